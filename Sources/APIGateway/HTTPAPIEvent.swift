import Foundation
import JSON
import Wire

/// The events HTTP APIs send to Lambda (payload formats 2.0 and 1.0), field for field,
/// and the mapping of a function's answer back to an HTTP response.
enum HTTPAPIEvent {
    struct Input {
        var request: WireRequest
        var deployed: DeployedAPI
        var stage: JSONObject
        var route: JSONObject
        /// The request path as sent after the API id, stage included.
        var rawPath: String
        var pathParameters: [String: String]
        var host: String
        var sourceIp: String
        /// Shared by the event, `$context.requestId` and the authorizer's event.
        var requestId = HTTPAPIRuntime.requestId()
        var time = Date()
        /// What the route's authorizer established, if it has one.
        var authorization: Authorization?
    }

    static let textTypes = ["text/", "application/json", "application/xml", "application/javascript", "application/x-www-form-urlencoded",
                            "+json", "+xml"]

    /// The body as API Gateway passes it: text as is, anything else base64-encoded.
    static func body(_ request: WireRequest) -> (JSONValue?, Bool) {
        guard !request.body.isEmpty else { return (nil, false) }
        let type = request.contentType?.lowercased() ?? ""
        if textTypes.contains(where: { type.contains($0) }) || type.isEmpty, let text = String(bytes: request.body, encoding: .utf8) {
            return (.string(text), false)
        }
        return (.string(Data(request.body).base64EncodedString()), true)
    }

    static func query(_ raw: String) -> [(String, String)] {
        (try? FormDecoding.decode(raw)) ?? []
    }

    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `12/Mar/2020:19:03:58 +0000`, built by hand: a DateFormatter per request costs
    /// more than the rest of the event.
    static func timeText(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(two(parts.tm_mday))/\(months[Int(parts.tm_mon)])/\(parts.tm_year + 1900):\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) +0000"
    }

    static func version2(_ input: Input) -> JSONValue {
        let request = input.request
        var headers = JSONObject()
        var cookies: [JSONValue] = []
        for (name, value) in request.headers {
            let lower = name.lowercased()
            if lower == "cookie" {
                cookies += value.split(separator: ";").map { .string($0.trimmingCharacters(in: .whitespaces)) }
                continue
            }
            if let existing = headers[lower]?.stringValue { headers[lower] = .string(existing + "," + value) } else { headers.append(lower, .string(value)) }
        }
        var parameters = JSONObject()
        for (name, value) in query(request.query) {
            if let existing = parameters[name]?.stringValue { parameters[name] = .string(existing + "," + value) } else { parameters.append(name, .string(value)) }
        }
        let now = input.time
        let routeKey = input.route["routeKey"] ?? "$default"
        var http = JSONObject()
        http.append("method", .string(request.method))
        http.append("path", .string(input.rawPath))
        http.append("protocol", "HTTP/1.1")
        http.append("sourceIp", .string(input.sourceIp))
        http.append("userAgent", .string(request.headers["user-agent"] ?? ""))
        var context = JSONObject()
        context.append("accountId", .string(input.deployed.account))
        context.append("apiId", .string(input.deployed.apiId))
        if let authorization = input.authorization { context.append("authorizer", .object(authorization.version2)) }
        context.append("domainName", .string(input.host))
        context.append("domainPrefix", .string(input.host.split(separator: ".").first.map(String.init) ?? input.deployed.apiId))
        context.append("http", .object(http))
        context.append("requestId", .string(input.requestId))
        context.append("routeKey", routeKey)
        context.append("stage", input.stage["stageName"] ?? "$default")
        context.append("time", .string(timeText(now)))
        context.append("timeEpoch", .integer(Int(now.timeIntervalSince1970 * 1000)))
        var o = JSONObject()
        o.append("version", "2.0")
        o.append("routeKey", routeKey)
        o.append("rawPath", .string(input.rawPath))
        o.append("rawQueryString", .string(request.query))
        if !cookies.isEmpty { o.append("cookies", .array(cookies)) }
        o.append("headers", .object(headers))
        if !parameters.isEmpty { o.append("queryStringParameters", .object(parameters)) }
        o.append("requestContext", .object(context))
        let (body, base64) = body(request)
        if let body { o.append("body", body) }
        if !input.pathParameters.isEmpty {
            o.append("pathParameters", .object(JSONObject(input.pathParameters.sorted { $0.key < $1.key }.map { JSONObject.Member($0.key, .string($0.value)) })))
        }
        o.append("isBase64Encoded", .bool(base64))
        if let variables = input.stage["stageVariables"]?.objectValue, !variables.isEmpty { o.append("stageVariables", .object(variables)) }
        return .object(o)
    }

    static func version1(_ input: Input) -> JSONValue {
        let request = input.request
        var headers = JSONObject(), multiHeaders = JSONObject()
        for (name, value) in request.headers {
            headers[name] = .string(value)
            multiHeaders[name] = .array((multiHeaders[name]?.arrayValue ?? []) + [.string(value)])
        }
        var parameters = JSONObject(), multiParameters = JSONObject()
        for (name, value) in query(request.query) {
            parameters[name] = .string(value)
            multiParameters[name] = .array((multiParameters[name]?.arrayValue ?? []) + [.string(value)])
        }
        let now = input.time
        let routeKey = input.route["routeKey"]?.stringValue ?? "$default"
        let resource = routeKey == "$default" ? "$default" : String(routeKey.split(separator: " ", maxSplits: 1).last ?? "")
        var identity = JSONObject()
        identity.append("sourceIp", .string(input.sourceIp))
        identity.append("userAgent", .string(request.headers["user-agent"] ?? ""))
        var context = JSONObject()
        context.append("accountId", .string(input.deployed.account))
        context.append("apiId", .string(input.deployed.apiId))
        if let authorization = input.authorization { context.append("authorizer", .object(authorization.version1)) }
        context.append("domainName", .string(input.host))
        context.append("domainPrefix", .string(input.host.split(separator: ".").first.map(String.init) ?? input.deployed.apiId))
        context.append("extendedRequestId", .string(input.requestId))
        context.append("httpMethod", .string(request.method))
        context.append("identity", .object(identity))
        context.append("path", .string(input.rawPath))
        context.append("protocol", "HTTP/1.1")
        context.append("requestId", .string(input.requestId))
        context.append("requestTime", .string(timeText(now)))
        context.append("requestTimeEpoch", .integer(Int(now.timeIntervalSince1970 * 1000)))
        context.append("resourcePath", .string(resource))
        context.append("stage", input.stage["stageName"] ?? "$default")
        var o = JSONObject()
        o.append("version", "1.0")
        o.append("resource", .string(resource))
        o.append("path", .string(input.rawPath))
        o.append("httpMethod", .string(request.method))
        o.append("headers", .object(headers))
        o.append("multiValueHeaders", .object(multiHeaders))
        o.append("queryStringParameters", parameters.isEmpty ? .null : .object(parameters))
        o.append("multiValueQueryStringParameters", multiParameters.isEmpty ? .null : .object(multiParameters))
        o.append("requestContext", .object(context))
        o.append("pathParameters", input.pathParameters.isEmpty ? .null
                 : .object(JSONObject(input.pathParameters.sorted { $0.key < $1.key }.map { JSONObject.Member($0.key, .string($0.value)) })))
        o.append("stageVariables", (input.stage["stageVariables"]?.objectValue).flatMap { $0.isEmpty ? nil : .object($0) } ?? .null)
        let (body, base64) = body(input.request)
        o.append("body", body ?? .null)
        o.append("isBase64Encoded", .bool(base64))
        return .object(o)
    }

    /// The HTTP answer for a function's result; nil when API Gateway would call it malformed.
    static func response(_ payload: JSONValue, version: String) -> WireResponse? {
        var headers = WireHeaders()
        guard let object = payload.objectValue, let status = object["statusCode"] else {
            if version == "1.0" { return nil }
            headers.add("Content-Type", "application/json")
            headers.add("apigw-requestid", HTTPAPIRuntime.requestId())
            return WireResponse(status: 200, headers: headers, body: payload.serialized())
        }
        guard let code = status.intValue ?? status.stringValue.flatMap({ Int($0) }), (100...599).contains(code) else { return nil }
        var hasType = false
        for member in object["headers"]?.objectValue ?? JSONObject() {
            let value = member.value.stringValue ?? member.value.jsonString
            if member.key.lowercased() == "content-type" { hasType = true }
            headers.add(member.key, value)
        }
        for member in object["multiValueHeaders"]?.objectValue ?? JSONObject() {
            for value in member.value.arrayValue ?? [] { headers.add(member.key, value.stringValue ?? value.jsonString) }
        }
        for cookie in object["cookies"]?.arrayValue ?? [] {
            if let text = cookie.stringValue { headers.add("Set-Cookie", text) }
        }
        var body: [UInt8] = []
        if let text = object["body"]?.stringValue {
            if object["isBase64Encoded"]?.boolValue == true {
                guard let data = Data(base64Encoded: text) else { return nil }
                body = [UInt8](data)
            } else {
                body = Array(text.utf8)
            }
        }
        if !hasType && !body.isEmpty && version == "2.0" { headers.add("Content-Type", "text/plain; charset=utf-8") }
        headers.add("apigw-requestid", HTTPAPIRuntime.requestId())
        return WireResponse(status: code, headers: headers, body: body)
    }
}

/// Selection expressions over one request, as identity sources and parameter
/// mappings name its parts.
extension HTTPAPIEvent.Input {
    /// The value `expression` names (`$request.header.Authorization`, `$request.querystring.token`,
    /// `$request.path.id`, `$request.body.order.id`, `$context.requestId`, `$stageVariables.queue`);
    /// nil when the request lacks it. Repeated headers and query parameters join with commas.
    func select(_ expression: String) -> String? {
        if let name = expression.dropPrefix("$request.header.") {
            let values = request.headers.filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }.map(\.value)
            return values.isEmpty ? nil : values.joined(separator: ",")
        }
        if let name = expression.dropPrefix("$request.querystring.") {
            let values = HTTPAPIEvent.query(request.query).filter { $0.0 == name }.map(\.1)
            return values.isEmpty ? nil : values.joined(separator: ",")
        }
        if expression == "$request.path" { return rawPath }
        if let name = expression.dropPrefix("$request.path.") { return pathParameters[name] }
        if expression == "$request.body" { return request.body.isEmpty ? nil : String(decoding: request.body, as: UTF8.self) }
        if let path = expression.dropPrefix("$request.body.") {
            guard let body = try? JSONValue.parse(request.body), let value = Self.walk(body, path) else { return nil }
            return value.stringValue ?? value.jsonString
        }
        if let name = expression.dropPrefix("$stageVariables.") { return stage["stageVariables"]?[name]?.stringValue }
        if let name = expression.dropPrefix("$context.") { return contextVariable(name) }
        return nil
    }

    /// A parameter mapping's value: one expression, `${…}` expressions inside text
    /// (`order-${request.path.id}`), or static text. nil when a whole-value expression
    /// names nothing; an embedded one that names nothing becomes empty text.
    func map(_ template: String) -> String? {
        if template.contains("${") {
            var result = "", rest = Substring(template)
            while let open = rest.range(of: "${"), let close = rest[open.upperBound...].firstIndex(of: "}") {
                result += rest[..<open.lowerBound]
                result += select("$" + rest[open.upperBound..<close]) ?? ""
                rest = rest[rest.index(after: close)...]
            }
            return result + rest
        }
        if ["$request.", "$context.", "$stageVariables."].contains(where: { template.hasPrefix($0) }) { return select(template) }
        return template
    }

    func contextVariable(_ name: String) -> String? {
        let stageName = stage["stageName"]?.stringValue ?? "$default"
        switch name {
        case "requestId", "extendedRequestId": return requestId
        case "accountId": return deployed.account
        case "apiId": return deployed.apiId
        case "stage": return stageName
        case "domainName": return host
        case "domainPrefix": return host.split(separator: ".").first.map(String.init) ?? deployed.apiId
        case "httpMethod": return request.method
        case "path": return rawPath
        case "protocol": return "HTTP/1.1"
        case "routeKey": return route["routeKey"]?.stringValue ?? "$default"
        case "requestTime": return HTTPAPIEvent.timeText(time)
        case "requestTimeEpoch": return String(Int(time.timeIntervalSince1970 * 1000))
        case "identity.sourceIp": return sourceIp
        case "identity.userAgent": return request.headers["user-agent"]
        default:
            guard let key = name.dropPrefix("authorizer."), let authorization else { return nil }
            return authorization.contextVariable(key)
        }
    }

    /// `a.b[0].c` inside a JSON value.
    static func walk(_ value: JSONValue, _ path: String) -> JSONValue? {
        var current: JSONValue? = value
        for part in path.split(separator: ".") {
            var name = Substring(part)
            var indices: [Int] = []
            while name.hasSuffix("]"), let open = name.lastIndex(of: "["), let index = Int(name[name.index(after: open)..<name.index(before: name.endIndex)]) {
                indices.insert(index, at: 0)
                name = name[..<open]
            }
            if !name.isEmpty { current = current?[String(name)] }
            for index in indices {
                guard let array = current?.arrayValue, array.indices.contains(index) else { return nil }
                current = array[index]
            }
        }
        return current
    }
}

extension String {
    func dropPrefix(_ prefix: String) -> String? {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : nil
    }
}
