import Foundation
import JSON
import Lambda
import Wire

/// AWS's WebSocket API limits; the durations can be shortened for tests.
public struct WebSocketLimits: Sendable {
    /// A connection with no message either way for this long is closed (AWS: 10 minutes).
    public var idleTimeoutSeconds: Int
    /// Any connection is closed after this long (AWS: 2 hours).
    public var maxConnectionSeconds: Int
    public var maxMessageBytes: Int
    public var maxFrameBytes: Int

    public init(idleTimeoutSeconds: Int = 600, maxConnectionSeconds: Int = 7_200, maxMessageBytes: Int = 128 * 1024,
                maxFrameBytes: Int = 32 * 1024) {
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.maxConnectionSeconds = maxConnectionSeconds
        self.maxMessageBytes = maxMessageBytes
        self.maxFrameBytes = maxFrameBytes
    }
}

/// How a WebSocket handshake ends.
public enum WebSocketHandshake: Sendable {
    /// Upgrade, answering with these extra headers; the server then calls `opened`.
    case accept(WebSocketConnection, headers: [(String, String)])
    /// Refuse the upgrade with this HTTP response.
    case refuse(WireResponse)
}

/// Serves WebSocket APIs: runs `$connect` (and its authorizer) on the handshake,
/// routes each message by the API's RouteSelectionExpression, sends route responses
/// back, runs `$disconnect` on close, and keeps the live connections the @connections
/// API posts to.
public final class WebSocketRuntime: Sendable {
    let service: APIGatewayService
    let lambda: LambdaService
    let connections = WebSocketConnections()
    public let limits: WebSocketLimits

    public init(service: APIGatewayService, lambda: LambdaService, limits: WebSocketLimits = WebSocketLimits()) {
        self.service = service
        self.lambda = lambda
        self.limits = limits
    }

    var now: Int64 { service.clock.nowMilliseconds() }

    public var connectionCount: Int { connections.count }

    /// True when `apiId` names a WebSocket API: only those handshakes are ours.
    public func isWebSocketAPI(_ apiId: String) async -> Bool {
        (try? await service.deployedAPI(apiId))??.api["protocolType"]?.stringValue == "WEBSOCKET"
    }

    static func refusal(_ status: Int, _ message: String) -> WireResponse {
        var headers = WireHeaders()
        headers.add("Content-Type", "application/json")
        return WireResponse(status: status, headers: headers, body: (["message": .string(message)] as JSONValue).serialized())
    }

    static func statusMessage(_ status: Int) -> String {
        switch status {
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 400..<500: "Bad Request"
        default: "Internal server error"
        }
    }

    /// `path` is what follows the API id: `/<stage>`.
    public func handshake(apiId: String, path: String, headers: [(String, String)], query: String, host: String,
                          sourceIp: String) async -> WebSocketHandshake {
        guard let deployed = try? await service.deployedAPI(apiId), deployed.api["protocolType"]?.stringValue == "WEBSOCKET" else {
            return .refuse(Self.refusal(404, "Not Found"))
        }
        let segments = path.split(separator: "/").map(String.init)
        guard segments.count == 1, deployed.stages.contains(where: { $0["stageName"]?.stringValue == segments[0] }) else {
            return .refuse(Self.refusal(403, "Forbidden"))
        }
        let at = now
        var connection = WebSocketConnection(
            connectionId: WebSocketConnection.newIdentifier(), apiId: apiId, stage: segments[0], account: deployed.account,
            region: deployed.region, domainName: host, connectedAt: at, lastActiveAt: at, sourceIp: sourceIp,
            userAgent: headers.first { $0.0.lowercased() == "user-agent" }?.1 ?? "")
        guard let route = deployed.routes.first(where: { $0["routeKey"]?.stringValue == "$connect" }) else {
            return .accept(connection, headers: [])
        }
        let handshake = WebSocketEvent.Handshake(headers: headers, query: query)
        let requestId = WebSocketEvent.identifier()
        if route["authorizationType"]?.stringValue == "CUSTOM" {
            guard let id = route["authorizerId"]?.stringValue,
                  let definition = deployed.authorizers.first(where: { $0["authorizerId"]?.stringValue == id }) else {
                return .refuse(Self.refusal(500, "Internal server error"))
            }
            switch await WebSocketAuthorizer(definition: definition, lambda: lambda)
                .decide(connection, handshake: handshake, requestId: requestId, now: at) {
            case .refuse(let status): return .refuse(Self.refusal(status, Self.statusMessage(status)))
            case .allow(let context): connection.authorizer = context
            }
        }
        let event = WebSocketEvent.connect(connection, handshake: handshake, requestId: requestId, now: at)
        switch await integrate(route, deployed: deployed, event: event, connection: connection, requestId: requestId) {
        case .failed:
            return .refuse(Self.refusal(500, "Internal server error"))
        case .answered(let payload):
            // A proxy answer with a non-2xx statusCode refuses the connection.
            if let status = payload?["statusCode"]?.intValue, !(200..<300).contains(status) {
                return .refuse(Self.refusal(status, Self.statusMessage(status)))
            }
            var extra: [(String, String)] = []
            for member in payload?["headers"]?.objectValue ?? JSONObject() where member.key.lowercased() == "sec-websocket-protocol" {
                if let value = member.value.stringValue { extra.append(("Sec-WebSocket-Protocol", value)) }
            }
            return .accept(connection, headers: extra)
        }
    }

    /// The upgrade completed: the connection can receive messages and posts.
    public func opened(_ connection: WebSocketConnection, peer: any WebSocketPeer) {
        connections.add(connection, peer: peer)
    }

    /// One whole message from the client (fragments already joined).
    public func received(connectionId: String, message: [UInt8], binary: Bool) async {
        guard let (connection, peer) = connections.touch(connectionId, at: now) else { return }
        let requestId = WebSocketEvent.identifier()
        func reply(_ text: String) {
            let body: JSONValue = ["message": .string(text), "connectionId": .string(connectionId), "requestId": .string(requestId)]
            peer.send(body.serialized(), binary: false)
        }
        guard let deployed = try? await service.deployedAPI(connection.apiId) else {
            reply("Forbidden")
            return
        }
        let body = binary ? nil : try? JSONValue.parse(message)
        let expression = deployed.api["routeSelectionExpression"]?.stringValue ?? "$request.body.action"
        let key = RouteSelection.routeKey(expression, body: body)
        let route = deployed.routes.first { $0["routeKey"]?.stringValue == key && key != "$connect" && key != "$disconnect" }
            ?? deployed.routes.first { $0["routeKey"]?.stringValue == "$default" }
        guard let route, let routeKey = route["routeKey"]?.stringValue else {
            reply("Forbidden")
            return
        }
        let event = WebSocketEvent.message(connection, routeKey: routeKey, body: message, binary: binary, requestId: requestId, now: now)
        switch await integrate(route, deployed: deployed, event: event, connection: connection, requestId: requestId) {
        case .failed:
            reply("Internal server error")
        case .answered(let payload):
            guard let payload, Self.isTwoWay(route, deployed: deployed) else { return }
            // A proxy answer sends its body; any other answer is sent as JSON.
            let data: [UInt8]
            if let object = payload.objectValue, object["statusCode"] != nil || object["body"] != nil {
                guard let body = object["body"] else { return }
                data = body.stringValue.map { Array($0.utf8) } ?? body.serialized()
            } else {
                data = payload.serialized()
            }
            connections.touch(connectionId, at: now)
            peer.send(data, binary: false)
        }
    }

    /// A route answers the client when it has a route response selection expression and a route response.
    static func isTwoWay(_ route: JSONObject, deployed: DeployedAPI) -> Bool {
        guard route["routeResponseSelectionExpression"] != nil, let id = route["routeId"]?.stringValue else { return false }
        return deployed.routeResponses.contains { $0["routeId"]?.stringValue == id }
    }

    /// The socket closed, from either side: forget the connection and run `$disconnect`.
    public func closed(connectionId: String, statusCode: Int, reason: String) async {
        guard let connection = connections.remove(connectionId),
              let deployed = try? await service.deployedAPI(connection.apiId),
              let route = deployed.routes.first(where: { $0["routeKey"]?.stringValue == "$disconnect" }) else { return }
        let requestId = WebSocketEvent.identifier()
        let event = WebSocketEvent.disconnect(connection, statusCode: statusCode, reason: reason, requestId: requestId, now: now)
        _ = await integrate(route, deployed: deployed, event: event, connection: connection, requestId: requestId)
    }

    /// Closes connections idle past the limit or open past the maximum with 1001, as API
    /// Gateway does, on the service's clock (so a virtual clock moves them too).
    public func runLimitSweeper() async {
        let idle = Int64(limits.idleTimeoutSeconds) * 1000, maxAge = Int64(limits.maxConnectionSeconds) * 1000
        let clock = service.clock
        while !Task.isCancelled {
            let now = clock.nowMilliseconds()
            let (peers, next) = connections.overdue(now: now, idleMilliseconds: idle, maxAgeMilliseconds: maxAge)
            for peer in peers { peer.close(code: 1001, reason: "Going away") }
            // Checked at least once a second, so new connections and activity are seen.
            await clock.sleep(untilMilliseconds: min(next ?? now + 1000, now + 1000))
        }
    }

    /// Closes every connection, for shutdown.
    public func closeAll() {
        for entry in connections.removeAll() { entry.peer.close(code: 1001, reason: "Going away") }
    }

    enum Outcome {
        case answered(JSONValue?)
        case failed
    }

    /// Runs the route's integration: a Lambda proxy, or a MOCK that answers nothing.
    func integrate(_ route: JSONObject, deployed: DeployedAPI, event: JSONValue, connection: WebSocketConnection,
                   requestId: String) async -> Outcome {
        guard let target = route["target"]?.stringValue, target.hasPrefix("integrations/") else { return .answered(nil) }
        let id = String(target.dropFirst(13))
        guard let integration = deployed.integrations.first(where: { $0["integrationId"]?.stringValue == id }) else { return .failed }
        switch integration["integrationType"]?.stringValue {
        case "MOCK":
            return .answered(nil)
        case "AWS_PROXY", "AWS":
            guard let uri = integration["integrationUri"]?.stringValue, let function = HTTPAPIRuntime.functionARN(uri) else { return .failed }
            let context = RequestContext(requestId: requestId, accountId: deployed.account, region: deployed.region, host: connection.domainName)
            guard let result = try? await lambda.invoke(function: function, payload: event, context: context), result.error == nil else {
                return .failed
            }
            // A proxy integration answers with an object (or nothing); anything else is malformed.
            switch result.payload {
            case .null: return .answered(nil)
            case .object: return .answered(result.payload)
            default: return .failed
            }
        default:
            return .failed
        }
    }
}
