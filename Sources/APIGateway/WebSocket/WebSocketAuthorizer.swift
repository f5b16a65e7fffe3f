import Foundation
import JSON
import Lambda
import Wire

/// A Lambda REQUEST authorizer on `$connect`: identity sources must be present, the
/// function's IAM policy must allow the connection, and its context is remembered
/// for every later event of the connection.
struct WebSocketAuthorizer {
    enum Decision {
        case allow(JSONObject)
        /// 401, 403 or 500, as API Gateway refuses the handshake.
        case refuse(Int)
    }

    let definition: JSONObject
    let lambda: LambdaService

    /// `route.request.header.Auth`, `route.request.querystring.token`: nil when the request lacks one.
    static func identityValues(_ sources: [String], handshake: WebSocketEvent.Handshake) -> [String]? {
        let query = (try? FormDecoding.decode(handshake.query)) ?? []
        var values: [String] = []
        for source in sources {
            let value: String?
            if source.hasPrefix("route.request.header.") {
                let name = source.dropFirst(21).lowercased()
                value = handshake.headers.first { $0.0.lowercased() == name }?.1
            } else if source.hasPrefix("route.request.querystring.") {
                let name = String(source.dropFirst(26))
                value = query.first { $0.0 == name }?.1
            } else {
                value = ""
            }
            guard let value, !value.isEmpty || !source.hasPrefix("route.request.") else { return nil }
            values.append(value)
        }
        return values
    }

    func decide(_ connection: WebSocketConnection, handshake: WebSocketEvent.Handshake, requestId: String, now: Int64) async -> Decision {
        let sources = definition["identitySource"]?.arrayValue?.compactMap(\.stringValue) ?? []
        guard Self.identityValues(sources, handshake: handshake) != nil else { return .refuse(401) }
        guard let uri = definition["authorizerUri"]?.stringValue, let function = HTTPAPIRuntime.functionARN(uri) else { return .refuse(500) }
        let event = WebSocketEvent.authorizer(connection, handshake: handshake, requestId: requestId, now: now)
        let context = RequestContext(requestId: requestId, accountId: connection.account, region: connection.region, host: connection.domainName)
        let started = Date()
        guard let result = try? await lambda.invoke(function: function, payload: event, context: context) else { return .refuse(500) }
        if result.error != nil {
            // A function that throws "Unauthorized" answers 401, as on AWS.
            return result.payload["errorMessage"]?.stringValue == "Unauthorized" ? .refuse(401) : .refuse(500)
        }
        guard let response = result.payload.objectValue, let policy = response["policyDocument"]?.objectValue else { return .refuse(500) }
        switch IAMPolicy.evaluate(policy, resource: event["methodArn"]?.stringValue ?? "") {
        case .malformed: return .refuse(500)
        case .deny: return .refuse(403)
        case .allow: break
        }
        var authorizer = JSONObject()
        if let principal = response["principalId"] { authorizer.append("principalId", principal) }
        authorizer.append("integrationLatency", .integer(Int(Date().timeIntervalSince(started) * 1000)))
        for member in response["context"]?.objectValue ?? JSONObject() where authorizer[member.key] == nil {
            authorizer.append(member.key, member.value)
        }
        return .allow(authorizer)
    }
}
