import Foundation
import JSON
import Wire

/// What a route's authorizer established, handed to the integration: a Lambda
/// authorizer's context, or a JWT's claims and scopes.
enum Authorization: Sendable {
    case lambda(context: JSONObject, principalId: String?)
    case jwt(claims: JSONObject, scopes: [String]?)

    /// `requestContext.authorizer` in a payload format 2.0 event.
    var version2: JSONObject {
        switch self {
        case .lambda(let context, _): JSONObject([.init("lambda", .object(context))])
        case .jwt(let claims, let scopes): JSONObject([.init("jwt", .object(Self.jwtMembers(claims, scopes)))])
        }
    }

    /// `requestContext.authorizer` in a payload format 1.0 event: the context's keys
    /// themselves, with the policy's `principalId`, as REST APIs pass them.
    var version1: JSONObject {
        switch self {
        case .lambda(var context, let principalId):
            if let principalId { context["principalId"] = .string(principalId) }
            return context
        case .jwt(let claims, let scopes): return Self.jwtMembers(claims, scopes)
        }
    }

    static func jwtMembers(_ claims: JSONObject, _ scopes: [String]?) -> JSONObject {
        JSONObject([.init("claims", .object(claims)), .init("scopes", scopes.map { .array($0.map(JSONValue.string)) } ?? .null)])
    }

    /// `$context.authorizer.<key>`, `$context.authorizer.claims.<claim>`, `$context.authorizer.principalId`.
    func contextVariable(_ key: String) -> String? {
        switch self {
        case .lambda(let context, let principalId):
            if key == "principalId" { return principalId }
            return context[key].map { $0.stringValue ?? $0.jsonString }
        case .jwt(let claims, _):
            return key.dropPrefix("claims.").flatMap { claims[$0]?.stringValue }
        }
    }
}

/// Runs a route's authorizer before its integration: a Lambda REQUEST authorizer
/// (payload format 1.0 or 2.0, simple or IAM policy responses, results cached by
/// identity source for `authorizerResultTtlInSeconds`) or a JWT authorizer.
struct HTTPAPIAuthorizer {
    let runtime: HTTPAPIRuntime

    /// `.success` with what the integration learns (nil for an open route), or the
    /// response API Gateway answers instead of calling the integration.
    func authorize(_ input: HTTPAPIEvent.Input) async -> Result<Authorization?, Denial> {
        let type = input.route["authorizationType"]?.stringValue ?? "NONE"
        guard type == "CUSTOM" || type == "JWT" else { return .success(nil) }
        guard let id = input.route["authorizerId"]?.stringValue,
              let authorizer = input.deployed.authorizers.first(where: { $0["authorizerId"]?.stringValue == id }) else {
            return .failure(.internalError)
        }
        if authorizer["authorizerType"]?.stringValue == "JWT" {
            return JWTAuthorizer(authorizer: authorizer, route: input.route).authorize(input)
        }
        return await lambda(authorizer, input)
    }

    /// A refusal, as API Gateway words it.
    struct Denial: Error {
        var response: WireResponse
        static var unauthorized: Denial { Denial(response: HTTPAPIRuntime.message(401, "Unauthorized")) }
        static var forbidden: Denial { Denial(response: HTTPAPIRuntime.message(403, "Forbidden")) }
        static var internalError: Denial { Denial(response: HTTPAPIRuntime.message(500, "Internal Server Error")) }

        /// A JWT refusal also says why, in `www-authenticate` (RFC 6750).
        static func bearer(_ status: Int, scopes: [String], error: String, description: String) -> Denial {
            var response = HTTPAPIRuntime.message(status, status == 403 ? "Forbidden" : "Unauthorized")
            response.headers.add("www-authenticate",
                                 "Bearer scope=\"\(scopes.joined(separator: " "))\" error=\"\(error)\" error_description=\"\(description)\"")
            return Denial(response: response)
        }
    }

    func lambda(_ authorizer: JSONObject, _ input: HTTPAPIEvent.Input) async -> Result<Authorization?, Denial> {
        // Every identity source must be present and non-empty, or the function is not called.
        let sources = authorizer["identitySource"]?.arrayValue?.compactMap(\.stringValue) ?? []
        var identity: [String] = []
        for source in sources {
            guard let value = input.select(source), !value.isEmpty else { return .failure(.unauthorized) }
            identity.append(value)
        }
        let version = authorizer["authorizerPayloadFormatVersion"]?.stringValue ?? "2.0"
        let simple = version == "2.0" && authorizer["enableSimpleResponses"]?.boolValue == true
        let ttl = authorizer["authorizerResultTtlInSeconds"]?.intValue ?? 0
        let cacheKey = ttl > 0 && !sources.isEmpty
            ? ([input.deployed.apiId, JSONValue.object(authorizer).jsonString] + identity).joined(separator: "\u{0}") : nil
        let arn = routeArn(input)
        if let cacheKey, let cached = runtime.authorizerCache.lookup(cacheKey) {
            return Self.evaluate(cached, simple: simple, routeArn: arn)
        }
        guard let uri = authorizer["authorizerUri"]?.stringValue, let function = HTTPAPIRuntime.functionARN(uri) else {
            return .failure(.internalError)
        }
        let event = version == "1.0" ? Self.version1(input, identity: identity, methodArn: arn)
                                     : Self.version2(input, identity: identity, routeArn: arn)
        let context = RequestContext(requestId: input.requestId, accountId: input.deployed.account, region: input.deployed.region,
                                     host: input.host)
        guard let result = try? await runtime.lambda.invoke(function: function, payload: event, context: context), result.error == nil else {
            return .failure(.internalError)
        }
        let decision = Self.evaluate(result.payload, simple: simple, routeArn: arn)
        // A malformed answer is not remembered: the next request asks again.
        var malformed = false
        if case .failure(let denial) = decision { malformed = denial.response.status == 500 }
        if let cacheKey, !malformed { runtime.authorizerCache.store(cacheKey, result.payload, seconds: ttl) }
        return decision
    }

    /// `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{method}{path}`, the path as
    /// requested after the stage.
    func routeArn(_ input: HTTPAPIEvent.Input) -> String {
        let stage = input.stage["stageName"]?.stringValue ?? "$default"
        let path = stage == "$default" ? input.rawPath : String(input.rawPath.dropFirst(stage.count + 1))
        return "arn:aws:execute-api:\(input.deployed.region):\(input.deployed.account):\(input.deployed.apiId)/\(stage)/\(input.request.method)\(path)"
    }

    /// The payload format 2.0 authorizer event: the request as the integration sees it,
    /// with the identity source values and the route's ARN, and no body.
    static func version2(_ input: HTTPAPIEvent.Input, identity: [String], routeArn: String) -> JSONValue {
        let request = HTTPAPIEvent.version2(input)
        var o = JSONObject()
        o.append("version", "2.0")
        o.append("type", "REQUEST")
        o.append("routeArn", .string(routeArn))
        o.append("identitySource", .array(identity.map(JSONValue.string)))
        for key in ["routeKey", "rawPath", "rawQueryString", "cookies", "headers", "queryStringParameters", "requestContext",
                    "pathParameters", "stageVariables"] {
            if let value = request[key] { o.append(key, value) }
        }
        return .object(o)
    }

    /// The payload format 1.0 authorizer event, REST API style: `methodArn`, and the
    /// identity source values joined by commas as `identitySource` and `authorizationToken`.
    static func version1(_ input: HTTPAPIEvent.Input, identity: [String], methodArn: String) -> JSONValue {
        let request = HTTPAPIEvent.version1(input)
        var o = JSONObject()
        o.append("version", "1.0")
        o.append("type", "REQUEST")
        o.append("methodArn", .string(methodArn))
        o.append("identitySource", .string(identity.joined(separator: ",")))
        o.append("authorizationToken", .string(identity.joined(separator: ",")))
        for key in ["resource", "path", "httpMethod", "headers", "multiValueHeaders", "queryStringParameters",
                    "multiValueQueryStringParameters", "pathParameters", "stageVariables", "requestContext"] {
            if let value = request[key] { o.append(key, value) }
        }
        return .object(o)
    }

    /// A simple response (`isAuthorized`) or an IAM policy: an explicit Deny wins, then
    /// an Allow of `execute-api:Invoke` on the route's ARN; anything malformed is a 500.
    static func evaluate(_ response: JSONValue, simple: Bool, routeArn: String) -> Result<Authorization?, Denial> {
        guard let object = response.objectValue else { return .failure(.internalError) }
        let context = object["context"]?.objectValue ?? JSONObject()
        if simple {
            guard let authorized = object["isAuthorized"]?.boolValue else { return .failure(.internalError) }
            return authorized ? .success(.lambda(context: context, principalId: nil)) : .failure(.forbidden)
        }
        guard let document = object["policyDocument"]?.objectValue else { return .failure(.internalError) }
        switch IAMPolicy.evaluate(document, resource: routeArn) {
        case .malformed: return .failure(.internalError)
        case .deny: return .failure(.forbidden)
        case .allow: return .success(.lambda(context: context, principalId: object["principalId"]?.stringValue))
        }
    }
}

/// Lambda authorizer responses kept for `authorizerResultTtlInSeconds`, keyed by the
/// authorizer and its identity source values; a policy is re-evaluated per route.
final class AuthorizerCache: @unchecked Sendable {
    // @unchecked: `entries` is guarded by `lock`.
    private let lock = NSLock()
    private var entries: [String: (response: JSONValue, expires: Date)] = [:]

    func lookup(_ key: String) -> JSONValue? {
        lock.withLock {
            guard let entry = entries[key] else { return nil }
            if entry.expires > Date() { return entry.response }
            entries[key] = nil
            return nil
        }
    }

    func store(_ key: String, _ response: JSONValue, seconds: Int) {
        lock.withLock {
            if entries.count > 10_000 { entries.removeAll() }
            entries[key] = (response, Date().addingTimeInterval(Double(seconds)))
        }
    }
}

/// A JWT authorizer: the bearer token from the identity source, checked for structure,
/// issuer, audience (`aud`, else `client_id`), `exp`, `nbf` and the route's scopes
/// (`scope` or `scp`). Offcloud runs offline, so it cannot fetch the issuer's JWKS: the
/// signature is not verified.
struct JWTAuthorizer {
    let authorizer: JSONObject
    let route: JSONObject

    var requiredScopes: [String] { IAMPolicy.strings(route["authorizationScopes"]) }

    func authorize(_ input: HTTPAPIEvent.Input) -> Result<Authorization?, HTTPAPIAuthorizer.Denial> {
        let source = authorizer["identitySource"]?.arrayValue?.first?.stringValue ?? "$request.header.Authorization"
        guard var token = input.select(source)?.trimmingCharacters(in: .whitespaces), !token.isEmpty else {
            return .failure(.unauthorized)
        }
        if token.lowercased().hasPrefix("bearer ") { token = String(token.dropFirst(7)).trimmingCharacters(in: .whitespaces) }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, Self.decode(parts[0])?.objectValue != nil, let claims = Self.decode(parts[1])?.objectValue else {
            return .failure(invalid("the token is malformed"))
        }
        let configuration = authorizer["jwtConfiguration"]?.objectValue ?? JSONObject()
        if let issuer = configuration["issuer"]?.stringValue, claims["iss"]?.stringValue != issuer {
            return .failure(invalid("the token does not have a valid issuer"))
        }
        let audiences = IAMPolicy.strings(configuration["audience"])
        // `client_id` counts only when the token has no `aud`.
        let presented = claims["aud"].map { IAMPolicy.strings($0) } ?? IAMPolicy.strings(claims["client_id"])
        if !audiences.isEmpty && !presented.contains(where: audiences.contains) {
            return .failure(invalid("the token does not have a valid audience"))
        }
        let now = input.time.timeIntervalSince1970
        if let exp = Self.seconds(claims["exp"]), exp <= now { return .failure(invalid("the token has expired")) }
        if let nbf = Self.seconds(claims["nbf"]), nbf > now { return .failure(invalid("the token is not valid yet")) }
        let granted = Self.scopes(claims)
        let required = requiredScopes
        if !required.isEmpty && !granted.contains(where: required.contains) {
            return .failure(.bearer(403, scopes: required, error: "insufficient_scope",
                                    description: "the token does not have a valid scope"))
        }
        var flattened = JSONObject()
        for member in claims { flattened.append(member.key, .string(Self.flatten(member.value))) }
        return .success(.jwt(claims: flattened, scopes: required.isEmpty ? nil : granted))
    }

    func invalid(_ description: String) -> HTTPAPIAuthorizer.Denial {
        .bearer(401, scopes: requiredScopes, error: "invalid_token", description: description)
    }

    /// One base64url segment as JSON.
    static func decode(_ segment: Substring) -> JSONValue? {
        var text = segment.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        text += String(repeating: "=", count: (4 - text.count % 4) % 4)
        guard let data = Data(base64Encoded: text) else { return nil }
        return try? JSONValue.parse([UInt8](data))
    }

    static func seconds(_ value: JSONValue?) -> Double? {
        guard case .number(let text)? = value else { return nil }
        return Double(text)
    }

    /// `scope` is space-separated text; `scp` may also be a list.
    static func scopes(_ claims: JSONObject) -> [String] {
        if let scope = claims["scope"]?.stringValue { return scope.split(separator: " ").map(String.init) }
        if let scp = claims["scp"] {
            return scp.stringValue.map { $0.split(separator: " ").map(String.init) } ?? IAMPolicy.strings(scp)
        }
        return []
    }

    /// Claims reach the integration as text, the way API Gateway prints them:
    /// numbers as written, lists as `[a b]`, objects as `map[k:v]`.
    static func flatten(_ value: JSONValue) -> String {
        switch value {
        case .null: ""
        case .bool(let b): b ? "true" : "false"
        case .number(let n): n
        case .string(let s): s
        case .array(let items): "[" + items.map(flatten).joined(separator: " ") + "]"
        case .object(let o): "map[" + o.members.sorted { $0.key < $1.key }.map { "\($0.key):\(flatten($0.value))" }.joined(separator: " ") + "]"
        }
    }
}
