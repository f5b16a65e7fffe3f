import Foundation
import JSON
import Lambda
import Wire

/// Serves HTTP APIs: picks the stage and the most specific route, runs the route's
/// authorizer, sends the request to the route's integration — a Lambda function as a
/// payload format 2.0 (or 1.0) event, or an AWS service action — maps the answer back
/// to HTTP as API Gateway does, and applies the API's CORS configuration.
public struct HTTPAPIRuntime: Sendable {
    let service: APIGatewayService
    let lambda: LambdaService
    /// Every emulated service in-process, for service integrations (`SQS-SendMessage`).
    let aws: (any InProcessAWS)?
    /// Lambda authorizer results within their TTL.
    let authorizerCache = AuthorizerCache()

    public init(service: APIGatewayService, lambda: LambdaService, aws: (any InProcessAWS)? = nil) {
        self.service = service
        self.lambda = lambda
        self.aws = aws
    }

    static func message(_ status: Int, _ text: String) -> WireResponse {
        var headers = WireHeaders()
        headers.add("Content-Type", "application/json")
        headers.add("apigw-requestid", requestId())
        return WireResponse(status: status, headers: headers, body: (["message": .string(text)] as JSONValue).serialized())
    }

    static func requestId() -> String {
        Data((0..<10).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
    }

    /// `path` is everything after the API id (`/dev/orders/7`), `host` the Host header.
    public func handle(apiId: String, path: String, request: WireRequest, host: String, sourceIp: String) async -> WireResponse {
        guard let deployed = try? await service.deployedAPI(apiId), deployed.api["protocolType"]?.stringValue == "HTTP" else {
            return Self.message(404, "Not Found")
        }
        let response = await serve(deployed, path: path, request: request, host: host, sourceIp: sourceIp)
        return HTTPAPICORS(api: deployed.api)?.decorate(response, for: request) ?? response
    }

    func serve(_ deployed: DeployedAPI, path: String, request: WireRequest, host: String, sourceIp: String) async -> WireResponse {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        let stage: JSONObject
        if let first = segments.first, first != "$default", let named = deployed.stages.first(where: { $0["stageName"]?.stringValue == first }) {
            stage = named
        } else if let fallback = deployed.stages.first(where: { $0["stageName"]?.stringValue == "$default" }) {
            stage = fallback
        } else {
            return Self.message(404, "Not Found")
        }
        let stageName = stage["stageName"]?.stringValue ?? "$default"
        let routePath = "/" + (stageName == "$default" ? segments : Array(segments.dropFirst())).joined(separator: "/")
        guard let (route, parameters) = RouteMatcher.match(method: request.method, path: routePath, routes: deployed.routes) else {
            // A preflight that no route takes is API Gateway's to answer.
            if let cors = HTTPAPICORS(api: deployed.api), HTTPAPICORS.isPreflight(request) { return cors.preflight(request) }
            return Self.message(404, "Not Found")
        }
        var input = HTTPAPIEvent.Input(request: request, deployed: deployed, stage: stage, route: route, rawPath: path,
                                       pathParameters: parameters, host: host, sourceIp: sourceIp)
        switch await HTTPAPIAuthorizer(runtime: self).authorize(input) {
        case .failure(let denial): return denial.response
        case .success(let authorization): input.authorization = authorization
        }
        guard let target = route["target"]?.stringValue, target.hasPrefix("integrations/"),
              let integration = deployed.integrations.first(where: { $0["integrationId"]?.stringValue == String(target.dropFirst(13)) }) else {
            return Self.message(404, "Not Found")
        }
        if integration["integrationSubtype"] != nil {
            guard let aws else { return Self.message(500, "Internal Server Error") }
            return await HTTPAPIServiceIntegration(aws: aws).invoke(integration, input)
        }
        guard integration["integrationType"]?.stringValue == "AWS_PROXY", let uri = integration["integrationUri"]?.stringValue,
              let function = Self.functionARN(uri) else {
            return Self.message(500, "Internal Server Error")
        }
        let requestContext = RequestContext(requestId: UUID().uuidString.lowercased(), accountId: deployed.account,
                                            region: deployed.region, host: host)
        let version = integration["payloadFormatVersion"]?.stringValue ?? "2.0"
        let event = version == "1.0" ? HTTPAPIEvent.version1(input) : HTTPAPIEvent.version2(input)
        guard let result = try? await lambda.invoke(function: function, payload: event, context: requestContext), result.error == nil else {
            return Self.message(500, "Internal Server Error")
        }
        return HTTPAPIEvent.response(result.payload, version: version) ?? Self.message(500, "Internal Server Error")
    }

    /// A function ARN, or the API Gateway invocation URI that wraps one.
    static func functionARN(_ uri: String) -> String? {
        if uri.hasPrefix("arn:aws:lambda:") { return uri }
        guard let start = uri.range(of: "/functions/"), let end = uri.range(of: "/invocations") else { return nil }
        return String(uri[start.upperBound..<end.lowerBound])
    }
}

/// Route selection for HTTP APIs: the most specific route wins — literal segments
/// over path variables over a greedy `{proxy+}`, an exact method over `ANY` — and
/// `$default` catches the rest.
enum RouteMatcher {
    static func match(method: String, path: String, routes: [JSONObject]) -> (JSONObject, [String: String])? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map { $0.removingPercentEncoding ?? String($0) }
        var best: (score: [Int], route: JSONObject, parameters: [String: String])?
        for route in routes {
            guard let key = route["routeKey"]?.stringValue, key != "$default" else { continue }
            let pieces = key.split(separator: " ", maxSplits: 1).map(String.init)
            guard pieces.count == 2, pieces[0] == method || pieces[0] == "ANY" else { continue }
            let template = pieces[1].split(separator: "/", omittingEmptySubsequences: true).map(String.init)
            guard let (parameters, literals, greedy) = bind(template, parts) else { continue }
            let score = [greedy ? 0 : 1, literals, template.count, pieces[0] == "ANY" ? 0 : 1]
            if best == nil || best!.score.lexicographicallyPrecedes(score) {
                best = (score, route, parameters)
            }
        }
        if let best { return (best.route, best.parameters) }
        if let fallback = routes.first(where: { $0["routeKey"]?.stringValue == "$default" }) { return (fallback, [:]) }
        return nil
    }

    static func bind(_ template: [String], _ parts: [String]) -> ([String: String], Int, Bool)? {
        var parameters: [String: String] = [:]
        var literals = 0
        for (i, segment) in template.enumerated() {
            if segment.hasPrefix("{") && segment.hasSuffix("+}") {
                guard i < parts.count else { return nil }
                parameters[String(segment.dropFirst().dropLast(2))] = parts[i...].joined(separator: "/")
                return (parameters, literals, true)
            }
            guard i < parts.count else { return nil }
            if segment.hasPrefix("{") && segment.hasSuffix("}") {
                parameters[String(segment.dropFirst().dropLast())] = parts[i]
            } else {
                guard segment == parts[i] else { return nil }
                literals += 1
            }
        }
        return template.count == parts.count ? (parameters, literals, false) : nil
    }
}
