import Foundation
import JSON
import Lambda
import XCTest
@testable import APIGateway
@testable import Server
import Wire

/// The WebSocket runtime driven directly, with a recording peer in place of a socket:
/// a Swift handler that pushes to its own connection through the in-process
/// @connections client, route selection, and the authorizer's policy evaluation.
final class WebSocketRuntimeTests: XCTestCase {
    let context = RequestContext(requestId: "test", accountId: "000000000000", region: "us-east-1", host: "localhost")

    /// Records what the runtime sends, as a socket would carry it.
    final class RecordingPeer: WebSocketPeer, @unchecked Sendable {
        // @unchecked: both lists are guarded by `lock`.
        private let lock = NSLock()
        private var _sent: [String] = []
        private var _closes: [UInt16] = []
        var sent: [String] { lock.withLock { _sent } }
        var closes: [UInt16] { lock.withLock { _closes } }
        func send(_ data: [UInt8], binary: Bool) { lock.withLock { _sent.append(String(decoding: data, as: UTF8.self)) } }
        func close(code: UInt16, reason: String) { lock.withLock { _closes.append(code) } }
    }

    func call(_ emulator: Emulator, _ operation: String, _ input: JSONValue) async throws -> JSONValue {
        try await emulator.apiGateway.invoke(APIGatewayOperation(operation)!, try ShapeReader(input), context)
    }

    func testSwiftHandlerPostsToItsConnectionInProcess() async throws {
        let handlers = LambdaHandlers()
        handlers.register("notify") { event, context in
            let connectionId = event["requestContext"]?["connectionId"] ?? .null
            _ = try await context.aws?.call(service: "apigatewaymanagementapi", operation: "PostToConnection",
                                            input: ["ConnectionId": connectionId, "Data": "order paid"])
            let info = try await context.aws?.call(service: "apigatewaymanagementapi", operation: "GetConnection",
                                                   input: ["ConnectionId": connectionId])
            return ["statusCode": 200, "body": .string("source \(info?["Identity"]?["SourceIp"]?.stringValue ?? "?")")]
        }
        let emulator = try await Emulator.start(Emulator.Configuration(port: 0, dataDirectory: nil, handlers: handlers))
        defer { Task { await emulator.shutdown() } }
        let create: JSONValue = ["FunctionName": "notify", "Runtime": "provided.al2023", "Handler": "notify",
                                 "Role": "arn:aws:iam::000000000000:role/test", "Code": ["ZipFile": "b2ZmY2xvdWQ="]]
        let function = try await emulator.lambda.invoke(.createFunction, try ShapeReader(create), context)

        let api = try await call(emulator, "CreateApi", ["name": "ws", "protocolType": "WEBSOCKET",
                                                         "routeSelectionExpression": "$request.body.action"])
        let apiId = api["apiId"] ?? .null
        let integration = try await call(emulator, "CreateIntegration", ["apiId": apiId, "integrationType": "AWS_PROXY",
                                                                         "integrationUri": function["FunctionArn"] ?? .null])
        let route = try await call(emulator, "CreateRoute", [
            "apiId": apiId, "routeKey": "notify", "routeResponseSelectionExpression": "$default",
            "target": .string("integrations/\(integration["integrationId"]?.stringValue ?? "")")])
        _ = try await call(emulator, "CreateRouteResponse", ["apiId": apiId, "routeId": route["routeId"] ?? .null,
                                                             "routeResponseKey": "$default"])
        _ = try await call(emulator, "CreateStage", ["apiId": apiId, "stageName": "dev"])

        let runtime = emulator.webSockets
        guard case .accept(let connection, _) = await runtime.handshake(
            apiId: apiId.stringValue ?? "", path: "/dev", headers: [("Host", "localhost")], query: "", host: "localhost",
            sourceIp: "10.1.2.3") else {
            return XCTFail("the handshake was refused")
        }
        let peer = RecordingPeer()
        runtime.opened(connection, peer: peer)
        await runtime.received(connectionId: connection.connectionId, message: Array(#"{"action":"notify"}"#.utf8), binary: false)
        // The push arrives before the route response, both on the same connection.
        XCTAssertEqual(peer.sent, ["order paid", "source 10.1.2.3"])

        await runtime.received(connectionId: connection.connectionId, message: Array(#"{"action":"other"}"#.utf8), binary: false)
        let forbidden = try JSONValue.parse(Array(peer.sent.last!.utf8))
        XCTAssertEqual(forbidden["message"], "Forbidden")
        XCTAssertEqual(forbidden["connectionId"]?.stringValue, connection.connectionId)

        try ConnectionsAPI(runtime: runtime).deleteConnection(connection.connectionId)
        XCTAssertEqual(peer.closes, [1000])
        await runtime.closed(connectionId: connection.connectionId, statusCode: 1000, reason: "")
        XCTAssertThrowsError(try ConnectionsAPI(runtime: runtime).postToConnection(connection.connectionId, data: [0x41])) { error in
            XCTAssertEqual((error as? APIGatewayError)?.code, "GoneException")
        }
    }

    func testRouteSelectionExpressions() {
        let body: JSONValue = ["action": "send", "service": "orders", "n": 3, "nested": ["kind": "x"]]
        XCTAssertEqual(RouteSelection.routeKey("$request.body.action", body: body), "send")
        XCTAssertEqual(RouteSelection.routeKey("$request.body.nested.kind", body: body), "x")
        XCTAssertEqual(RouteSelection.routeKey("$request.body.n", body: body), "3")
        XCTAssertEqual(RouteSelection.routeKey("${request.body.service}/${request.body.action}", body: body), "orders/send")
        XCTAssertNil(RouteSelection.routeKey("$request.body.missing", body: body))
        XCTAssertNil(RouteSelection.routeKey("$request.body.nested", body: body))
        XCTAssertNil(RouteSelection.routeKey("$request.body.action", body: nil))
        XCTAssertNil(RouteSelection.routeKey("${request.body.service}-${request.body.missing}", body: body))
        XCTAssertEqual(RouteSelection.routeKey("$default", body: body), "$default")
    }

    func testAuthorizerPolicyEvaluation() {
        let arn = "arn:aws:execute-api:us-east-1:000000000000:abc/dev/$connect"
        func policy(_ statements: JSONValue) -> JSONObject { ["Version": "2012-10-17", "Statement": statements] }
        let invoke: JSONValue = "execute-api:Invoke"
        XCTAssertEqual(IAMPolicy.evaluate(policy([["Effect": "Allow", "Action": invoke, "Resource": .string(arn)]]), resource: arn), .allow)
        XCTAssertEqual(IAMPolicy.evaluate(policy(["Effect": "Allow", "Action": "execute-api:*", "Resource": "arn:aws:execute-api:*:*:abc/*"]),
                                          resource: arn), .allow)
        XCTAssertEqual(IAMPolicy.evaluate(policy([["Effect": "Allow", "Action": invoke, "Resource": "arn:aws:execute-api:*:*:other/*"]]),
                                          resource: arn), .deny)
        XCTAssertEqual(IAMPolicy.evaluate(policy([["Effect": "Allow", "Action": invoke, "Resource": "*"],
                                                  ["Effect": "Deny", "Action": [invoke], "Resource": ["*"]]]), resource: arn), .deny)
        XCTAssertEqual(IAMPolicy.evaluate(policy([]), resource: arn), .deny)
        XCTAssertEqual(IAMPolicy.evaluate(policy([["Action": invoke, "Resource": "*"]]), resource: arn), .malformed)
        XCTAssertTrue(IAMPolicy.wildcard("a?c*", matches: "abcdef"))
        XCTAssertFalse(IAMPolicy.wildcard("a?c", matches: "abcd"))
    }
}
