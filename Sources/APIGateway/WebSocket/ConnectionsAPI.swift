import Foundation
import JSON
import Wire

/// The @connections API (`apigatewaymanagementapi`): PostToConnection, GetConnection
/// and DeleteConnection on a live WebSocket connection. Served over HTTP at a stage's
/// callback URL (`…/<stage>/@connections/<id>`) and in-process to handlers.
public struct ConnectionsAPI: Sendable {
    let runtime: WebSocketRuntime

    public init(runtime: WebSocketRuntime) {
        self.runtime = runtime
    }

    static func gone(_ id: String) -> APIGatewayError {
        APIGatewayError("GoneException", "The connection with the provided id \(id) no longer exists.", status: 410)
    }

    /// The live connection `id`; a connection of another API or stage is as gone as a closed one.
    func live(_ id: String, apiId: String?, stage: String?) throws -> (connection: WebSocketConnection, peer: any WebSocketPeer) {
        guard let entry = runtime.connections.lookup(id),
              apiId == nil || entry.connection.apiId == apiId, stage == nil || entry.connection.stage == stage else {
            throw Self.gone(id)
        }
        return entry
    }

    public func postToConnection(_ id: String, data: [UInt8], apiId: String? = nil, stage: String? = nil) throws {
        let entry = try live(id, apiId: apiId, stage: stage)
        guard data.count <= runtime.limits.maxMessageBytes else {
            throw APIGatewayError("PayloadTooLargeException", "Message too long", status: 413)
        }
        runtime.connections.touch(id, at: runtime.now)
        entry.peer.send(data, binary: String(validating: data, as: UTF8.self) == nil)
    }

    public func getConnection(_ id: String, apiId: String? = nil, stage: String? = nil) throws -> JSONValue {
        let connection = try live(id, apiId: apiId, stage: stage).connection
        var identity = JSONObject()
        identity.append("sourceIp", .string(connection.sourceIp))
        identity.append("userAgent", .string(connection.userAgent))
        var o = JSONObject()
        o.append("connectedAt", .string(Self.iso8601(connection.connectedAt)))
        o.append("identity", .object(identity))
        o.append("lastActiveAt", .string(Self.iso8601(connection.lastActiveAt)))
        return .object(o)
    }

    public func deleteConnection(_ id: String, apiId: String? = nil, stage: String? = nil) throws {
        let entry = try live(id, apiId: apiId, stage: stage)
        entry.peer.close(code: 1000, reason: "")
    }

    static func iso8601(_ milliseconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }

    /// `/<stage>/@connections/<id>` (what follows the API id, or a whole path when the
    /// API is not named): the stage and the percent-decoded connection id.
    public static func target(_ path: String) -> (stage: String, connectionId: String)? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        guard parts.count == 3, parts[1] == "@connections" else { return nil }
        return (String(parts[0]), String(parts[2]).removingPercentEncoding ?? String(parts[2]))
    }

    /// Answers an HTTP request to the callback URL; `apiId` nil when reached by path alone.
    public func handle(_ request: WireRequest, apiId: String?, stage: String, connectionId: String, requestId: String) -> WireResponse {
        let context = RequestContext(requestId: requestId, accountId: "", region: "", host: "")
        var headers = WireHeaders()
        headers.add("Content-Type", "application/json")
        do {
            switch request.method {
            case "POST":
                try postToConnection(connectionId, data: request.body, apiId: apiId, stage: stage)
                return WireResponse(status: 200, headers: headers, body: [])
            case "GET":
                return WireResponse(status: 200, headers: headers, body: try getConnection(connectionId, apiId: apiId, stage: stage).serialized())
            case "DELETE":
                try deleteConnection(connectionId, apiId: apiId, stage: stage)
                return WireResponse(status: 204, headers: headers, body: [])
            default:
                throw APIGatewayError("ForbiddenException", "Forbidden", status: 403)
            }
        } catch let error as APIGatewayError {
            return RestJSONProtocol.errorResponse(error, context: context)
        } catch {
            return RestJSONProtocol.errorResponse(APIGatewayError("InternalServerErrorException", "\(error)", status: 500), context: context)
        }
    }

    /// The same operations for handlers' in-process client: `Data` is the message text.
    public var endpoint: ServiceEndpoint {
        ServiceEndpoint(signingName: "execute-api", jsonTargetPrefix: nil, jsonErrorTypePrefix: "", queryVersion: nil, xmlNamespace: "",
                        queryCompatible: false) { [self] name in
            guard ["PostToConnection", "GetConnection", "DeleteConnection"].contains(name) else { return nil }
            return ServiceOperation(name: name, query: QueryOperationSchema()) { input, _ in
                let id = try input.requiredString("ConnectionId")
                switch name {
                case "PostToConnection":
                    guard let data = input.value("Data") else { throw APIGatewayError.badRequest("Data is required") }
                    try postToConnection(id, data: data.stringValue.map { Array($0.utf8) } ?? data.serialized())
                    return [:]
                case "GetConnection":
                    let o = try getConnection(id)
                    // In-process results use the SDK's member names.
                    return ["ConnectedAt": o["connectedAt"] ?? .null, "Identity": ["SourceIp": o["identity"]?["sourceIp"] ?? .null,
                                                                                 "UserAgent": o["identity"]?["userAgent"] ?? .null],
                            "LastActiveAt": o["lastActiveAt"] ?? .null]
                default:
                    try deleteConnection(id)
                    return [:]
                }
            }
        }
    }
}
