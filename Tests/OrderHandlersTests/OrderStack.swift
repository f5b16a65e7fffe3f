import Foundation
import JSON
import Lambda
import OrderHandlers
import XCTest
@testable import APIGateway
@testable import Server
import Wire

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The reference architecture deployed in-process with Swift calls, as `template.yaml`
/// deploys it: three tables, the `orders` queue, one function per handler with the
/// template's environment, the SQS event source, `order-workflow` with its
/// substitutions, the HTTP API (POST /orders, GET /orders/{messageId}) and the
/// WebSocket API ($connect, $disconnect) with its `prod` stage.
final class OrderStack: Sendable {
    let emulator: Emulator
    let aws: GatewayAWS
    let httpApiId: String
    let webSocketApiId: String
    let stateMachineArn: String
    let context = RequestContext(requestId: "test", accountId: "000000000000", region: "us-east-1", host: "localhost")

    var port: Int { emulator.port }
    var httpURL: String { "http://127.0.0.1:\(port)/_aws/execute-api/\(httpApiId)" }
    var webSocketURL: String { "ws://127.0.0.1:\(port)/_aws/execute-api/\(webSocketApiId)/prod" }

    static let functions = ["PlaceOrder", "GetOrder", "StartExecutionStepFunctions", "WebSocketIDMessage", "SaveOrder",
                            "ProcessPayment", "UpdateOrder", "OnConnect", "OnDisconnect", "GetConnect", "Notify"]

    static let topicArn = "arn:aws:sns:us-east-1:000000000000:order-outcomes"
    /// A queue subscribed to the topic (raw delivery), standing in for the webhook.
    static let outcomesQueueURL = "http://localhost/000000000000/order-outcomes-inbox"

    /// The workflow as committed, its FunctionName placeholders filled with function
    /// names; `edit` may change the text (a shorter Retry, say).
    static func definition(edit: (String) -> String = { $0 }) throws -> String {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("definitions/order-workflow.asl.json")
        var text = try String(contentsOf: url, encoding: .utf8)
        for name in functions { text = text.replacingOccurrences(of: "${\(name)FunctionArn}", with: name) }
        text = text.replacingOccurrences(of: "${OrderOutcomesTopicArn}", with: topicArn)
        return edit(text)
    }

    /// Starts an emulator and deploys the stack. `eventSource: false` leaves the queue
    /// without its consumer, so a test can look at what PlaceOrder sent.
    static func start(eventSource: Bool = true, editDefinition: (String) -> String = { $0 }) async throws -> OrderStack {
        let handlers = LambdaHandlers()
        OrderHandlers.register(into: handlers)
        let emulator = try await Emulator.start(Emulator.Configuration(port: 0, dataDirectory: nil, handlers: handlers))
        let aws = GatewayAWS(services: [emulator.sqs.endpoint, emulator.sns.endpoint, emulator.stepFunctions.endpoint, emulator.dynamoDB.endpoint,
                                        emulator.lambda.endpoint, ConnectionsAPI(runtime: emulator.webSockets).endpoint],
                             accountId: "000000000000", region: "us-east-1")
        let context = RequestContext(requestId: "test", accountId: "000000000000", region: "us-east-1", host: "localhost")
        func apigw(_ operation: String, _ input: JSONValue) async throws -> JSONValue {
            try await emulator.apiGateway.invoke(APIGatewayOperation(operation)!, try ShapeReader(input), context)
        }

        for (table, key) in [("OrderExecutions", "messageId"), ("Orders", "messageId")] {
            _ = try await aws.call(service: "dynamodb", operation: "CreateTable", input: [
                "TableName": .string(table), "BillingMode": "PAY_PER_REQUEST",
                "AttributeDefinitions": [["AttributeName": .string(key), "AttributeType": "S"]],
                "KeySchema": [["AttributeName": .string(key), "KeyType": "HASH"]]])
        }
        _ = try await aws.call(service: "dynamodb", operation: "CreateTable", input: [
            "TableName": "OrderConnections", "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [["AttributeName": "executionArn", "AttributeType": "S"],
                                     ["AttributeName": "connectionId", "AttributeType": "S"]],
            "KeySchema": [["AttributeName": "executionArn", "KeyType": "HASH"]],
            "GlobalSecondaryIndexes": [["IndexName": "ConnectionIdIndex",
                                        "KeySchema": [["AttributeName": "connectionId", "KeyType": "HASH"]],
                                        "Projection": ["ProjectionType": "ALL"]]]])
        _ = try await aws.call(service: "sns", operation: "CreateTopic", input: ["Name": "order-outcomes"])
        _ = try await aws.call(service: "sqs", operation: "CreateQueue", input: ["QueueName": "order-outcomes-inbox"])
        _ = try await aws.call(service: "sns", operation: "Subscribe", input: [
            "TopicArn": .string(topicArn), "Protocol": "sqs", "Endpoint": "arn:aws:sqs:us-east-1:000000000000:order-outcomes-inbox",
            "Attributes": ["RawMessageDelivery": "true"]])
        let queue = try await aws.call(service: "sqs", operation: "CreateQueue", input: ["QueueName": "orders"])
        let queueURL = queue["QueueUrl"]?.stringValue ?? ""

        let webSocketApi = try await apigw("CreateApi", ["name": "orders-websocket", "protocolType": "WEBSOCKET",
                                                         "routeSelectionExpression": "$request.body.action"])
        let webSocketApiId = webSocketApi["apiId"]?.stringValue ?? ""
        let httpApi = try await apigw("CreateApi", ["name": "orders-http", "protocolType": "HTTP"])
        let httpApiId = httpApi["apiId"]?.stringValue ?? ""
        let stateMachineArn = "arn:aws:states:us-east-1:000000000000:stateMachine:order-workflow"
        let environment: JSONValue = ["Variables": [
            "QUEUE_URL": .string(queueURL), "STATE_MACHINE_ARN": .string(stateMachineArn),
            "WEBSOCKET_URL": .string("ws://127.0.0.1:\(emulator.port)/_aws/execute-api/\(webSocketApiId)/prod"),
            "EXECUTIONS_TABLE": "OrderExecutions", "ORDERS_TABLE": "Orders", "CONNECTIONS_TABLE": "OrderConnections",
            "CONNECTIONS_INDEX": "ConnectionIdIndex", "PAYMENT_LIMIT": "1000"]]
        var arns: [String: JSONValue] = [:]
        for name in functions {
            let created = try await aws.call(service: "lambda", operation: "CreateFunction", input: [
                "FunctionName": .string(name), "Runtime": "provided.al2023", "Handler": .string(name),
                "Role": "arn:aws:iam::000000000000:role/orders", "Code": ["ZipFile": "b2ZmY2xvdWQ="], "Environment": environment])
            arns[name] = created["FunctionArn"]
        }
        _ = try await aws.call(service: "stepfunctions", operation: "CreateStateMachine", input: [
            "name": "order-workflow", "definition": .string(try definition(edit: editDefinition)),
            "roleArn": "arn:aws:iam::000000000000:role/orders"])
        if eventSource {
            let attributes = try await aws.call(service: "sqs", operation: "GetQueueAttributes",
                                                input: ["QueueUrl": .string(queueURL), "AttributeNames": ["QueueArn"]])
            _ = try await aws.call(service: "lambda", operation: "CreateEventSourceMapping", input: [
                "EventSourceArn": attributes["Attributes"]?["QueueArn"] ?? .null, "FunctionName": "StartExecutionStepFunctions",
                "BatchSize": 10, "FunctionResponseTypes": ["ReportBatchItemFailures"]])
        }

        func integrate(_ apiId: String, _ routeKey: String, _ function: String, payloadFormat: String?) async throws {
            var integration: JSONValue = ["apiId": .string(apiId), "integrationType": "AWS_PROXY", "integrationUri": arns[function] ?? .null]
            if let payloadFormat, case .object(var o) = integration {
                o["payloadFormatVersion"] = .string(payloadFormat)
                integration = .object(o)
            }
            let created = try await apigw("CreateIntegration", integration)
            _ = try await apigw("CreateRoute", ["apiId": .string(apiId), "routeKey": .string(routeKey),
                                                "target": .string("integrations/\(created["integrationId"]?.stringValue ?? "")")])
        }
        try await integrate(httpApiId, "POST /orders", "PlaceOrder", payloadFormat: "2.0")
        try await integrate(httpApiId, "GET /orders/{messageId}", "GetOrder", payloadFormat: "2.0")
        _ = try await apigw("CreateStage", ["apiId": .string(httpApiId), "stageName": "$default", "autoDeploy": true])
        try await integrate(webSocketApiId, "$connect", "OnConnect", payloadFormat: nil)
        try await integrate(webSocketApiId, "$disconnect", "OnDisconnect", payloadFormat: nil)
        _ = try await apigw("CreateStage", ["apiId": .string(webSocketApiId), "stageName": "prod", "autoDeploy": true])
        return OrderStack(emulator: emulator, aws: aws, httpApiId: httpApiId, webSocketApiId: webSocketApiId, stateMachineArn: stateMachineArn)
    }

    private init(emulator: Emulator, aws: GatewayAWS, httpApiId: String, webSocketApiId: String, stateMachineArn: String) {
        self.emulator = emulator
        self.aws = aws
        self.httpApiId = httpApiId
        self.webSocketApiId = webSocketApiId
        self.stateMachineArn = stateMachineArn
    }

    func shutdown() async { await emulator.shutdown() }

    func call(_ service: String, _ operation: String, _ input: JSONValue) async throws -> JSONValue {
        try await aws.call(service: service, operation: operation, input: input)
    }

    /// Invokes a function directly; the result, or the function's error.
    func invoke(_ function: String, _ payload: JSONValue) async throws -> (payload: JSONValue, error: LambdaFunctionError?) {
        let result = try await emulator.lambda.invoke(function: function, payload: payload, context: context)
        return (result.payload, result.error)
    }

    /// A request to the HTTP API over the socket: status and JSON body.
    func http(_ method: String, _ path: String, body: String? = nil) async throws -> (Int, JSONValue) {
        var request = URLRequest(url: URL(string: httpURL + path)!)
        request.httpMethod = method
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        return (status, (try? JSONValue.parse(Array(data))) ?? .string(String(decoding: data, as: UTF8.self)))
    }

    /// The outcomes SNS delivered to the stand-in subscriber so far.
    func publishedOutcomes() async throws -> [JSONValue] {
        let received = try await call("sqs", "ReceiveMessage", ["QueueUrl": .string(Self.outcomesQueueURL), "MaxNumberOfMessages": 10,
                                                                "MessageAttributeNames": ["All"]])
        return (received["Messages"]?.arrayValue ?? []).compactMap { ($0["Body"]?.stringValue).flatMap { try? JSONValue.parse($0) } }
    }

    func item(_ table: String, _ key: String, _ value: String) async throws -> JSONValue? {
        try await call("dynamodb", "GetItem", ["TableName": .string(table), "Key": [key: ["S": .string(value)]], "ConsistentRead": true])["Item"]
    }

    /// Polls until `probe` answers something, or fails the test after `seconds`.
    func eventually<T: Sendable>(_ what: String, seconds: Double = 10, _ probe: () async throws -> T?) async throws -> T {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if let value = try await probe() { return value }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        throw TimedOut(what: what, seconds: seconds)
    }

    struct TimedOut: Error, CustomStringConvertible {
        var what: String
        var seconds: Double
        var description: String { "no \(what) within \(seconds) s" }
    }

    /// Waits for the execution to end; its status and the names of the states it entered, in order.
    func finished(_ executionArn: String, seconds: Double = 30) async throws -> (status: String, states: [String], output: JSONValue) {
        let status: String = try await eventually("execution end", seconds: seconds) {
            let described = try await call("stepfunctions", "DescribeExecution", ["executionArn": .string(executionArn)])
            let status = described["status"]?.stringValue ?? ""
            return status == "RUNNING" ? nil : status
        }
        let described = try await call("stepfunctions", "DescribeExecution", ["executionArn": .string(executionArn)])
        let output = (described["output"]?.stringValue).flatMap { try? JSONValue.parse($0) } ?? .null
        var states: [String] = []
        var token: JSONValue = .null
        repeat {
            var input: JSONObject = ["executionArn": .string(executionArn), "maxResults": 1000]
            if !token.isNull { input["nextToken"] = token }
            let page = try await call("stepfunctions", "GetExecutionHistory", .object(input))
            for event in page["events"]?.arrayValue ?? [] where event["type"]?.stringValue?.hasSuffix("StateEntered") == true {
                states.append(event["stateEnteredEventDetails"]?["name"]?.stringValue ?? "?")
            }
            token = page["nextToken"] ?? .null
        } while !token.isNull
        return (status, states, output)
    }

    /// Opens a WebSocket connection on the `prod` stage through the runtime, the way the
    /// socket handler does, with a peer that records what is sent to it.
    func connect(query: String) async -> (connectionId: String, peer: RecordingPeer)? {
        guard case .accept(let connection, _) = await emulator.webSockets.handshake(
            apiId: webSocketApiId, path: "/prod", headers: [("Host", "127.0.0.1:\(port)")], query: query,
            host: "127.0.0.1:\(port)", sourceIp: "127.0.0.1") else { return nil }
        let peer = RecordingPeer()
        emulator.webSockets.opened(connection, peer: peer)
        return (connection.connectionId, peer)
    }

    func disconnect(_ connectionId: String) async {
        await emulator.webSockets.closed(connectionId: connectionId, statusCode: 1000, reason: "")
    }
}

/// Records what the WebSocket runtime sends, as a socket would carry it.
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

/// The query string that connects a client to its execution.
func connectQuery(_ executionArn: String) -> String {
    "executionArn=" + (executionArn.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? executionArn)
}
