import Foundation
import JSON
import Wire

/// An HTTP API's `corsConfiguration`, applied as API Gateway applies it: preflight
/// `OPTIONS` requests that no route takes are answered here without an integration,
/// and every response to a request from an allowed origin carries the configured
/// headers. Whatever `access-control-*` headers the backend sent are dropped.
struct HTTPAPICORS {
    var allowOrigins: [String]
    var allowMethods: [String]
    var allowHeaders: [String]
    var exposeHeaders: [String]
    var maxAge: Int?
    var allowCredentials: Bool

    /// nil when the API has no CORS configuration.
    init?(api: JSONObject) {
        guard let o = api["corsConfiguration"]?.objectValue else { return nil }
        func list(_ key: String) -> [String] { o[key]?.arrayValue?.compactMap(\.stringValue) ?? [] }
        allowOrigins = list("allowOrigins")
        allowMethods = list("allowMethods")
        allowHeaders = list("allowHeaders")
        exposeHeaders = list("exposeHeaders")
        maxAge = o["maxAge"]?.intValue
        allowCredentials = o["allowCredentials"]?.boolValue ?? false
    }

    /// A browser's preflight: `OPTIONS` with `Origin` and `Access-Control-Request-Method`.
    static func isPreflight(_ request: WireRequest) -> Bool {
        request.method == "OPTIONS" && request.headers["origin"] != nil && request.headers["access-control-request-method"] != nil
    }

    /// The `access-control-allow-origin` value for this request: `*` when any origin
    /// is allowed, else the request's origin if it is listed; nil otherwise.
    func allowedOrigin(_ request: WireRequest) -> String? {
        guard let origin = request.headers["origin"] else { return nil }
        if allowOrigins.contains("*") { return "*" }
        return allowOrigins.contains(where: { $0.caseInsensitiveCompare(origin) == .orderedSame }) ? origin : nil
    }

    /// API Gateway's own answer to a preflight: 204, with the allow headers only when
    /// the origin, the requested method and every requested header are allowed.
    func preflight(_ request: WireRequest) -> WireResponse {
        var headers = WireHeaders()
        for (name, value) in preflightHeaders(request) ?? [] { headers.add(name, value) }
        headers.add("apigw-requestid", HTTPAPIRuntime.requestId())
        return WireResponse(status: 204, headers: headers)
    }

    func preflightHeaders(_ request: WireRequest) -> [(String, String)]? {
        guard let origin = allowedOrigin(request), let method = request.headers["access-control-request-method"] else { return nil }
        guard allowMethods.contains("*") || allowMethods.contains(where: { $0.caseInsensitiveCompare(method) == .orderedSame }) else {
            return nil
        }
        let requested = (request.headers["access-control-request-headers"] ?? "").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let allowed = Set(allowHeaders.map { $0.lowercased() })
        guard allowed.contains("*") || requested.allSatisfy({ allowed.contains($0.lowercased()) }) else { return nil }
        var headers = [("access-control-allow-origin", origin)]
        if allowCredentials { headers.append(("access-control-allow-credentials", "true")) }
        if !allowMethods.isEmpty { headers.append(("access-control-allow-methods", allowMethods.joined(separator: ","))) }
        if !allowHeaders.isEmpty { headers.append(("access-control-allow-headers", allowHeaders.joined(separator: ","))) }
        if let maxAge, maxAge >= 0 { headers.append(("access-control-max-age", String(maxAge))) }
        return headers
    }

    /// The response with the backend's CORS headers replaced by the configured ones.
    func decorate(_ response: WireResponse, for request: WireRequest) -> WireResponse {
        var decorated = response
        decorated.headers = WireHeaders(response.headers.entries.filter { !$0.name.lowercased().hasPrefix("access-control-") }
            .map { ($0.name, $0.value) })
        if Self.isPreflight(request) {
            for (name, value) in preflightHeaders(request) ?? [] { decorated.headers.add(name, value) }
            return decorated
        }
        guard let origin = allowedOrigin(request) else { return decorated }
        decorated.headers.add("access-control-allow-origin", origin)
        if allowCredentials { decorated.headers.add("access-control-allow-credentials", "true") }
        if !exposeHeaders.isEmpty { decorated.headers.add("access-control-expose-headers", exposeHeaders.joined(separator: ",")) }
        return decorated
    }
}
