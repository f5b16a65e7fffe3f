import Foundation
import JSON
import XCTest

/// The whole pattern in-process, from POST /orders to the WebSocket notification: the
/// HTTP API over its socket, the SQS event source, the `order-workflow` state machine
/// with the committed definition, DynamoDB, and a client on the WebSocket runtime.
final class WorkflowTests: XCTestCase {
    static let paidPath = ["WebSocketIDMessage", "SaveOrder", "ProcessPayment", "UpdateOrder", "GetConnect", "Notify", "Notified",
                           "PublishOutcome", "OrderOutcome", "OrderCompleted"]
    static let declinedPath = ["WebSocketIDMessage", "SaveOrder", "ProcessPayment", "RecordPaymentFailure", "GetConnect", "Notify",
                               "Notified", "PublishOutcome", "OrderOutcome", "PaymentFailed"]

    /// Places an order and follows it as a client does: the message id from POST
    /// /orders, the execution from GET /orders/{messageId}.
    func place(_ stack: OrderStack, _ order: String) async throws -> (messageId: String, executionArn: String) {
        let (status, placed) = try await stack.http("POST", "/orders", body: order)
        XCTAssertEqual(status, 202, placed.jsonString)
        let messageId = try XCTUnwrap(placed["messageId"]?.stringValue)
        let found: JSONValue = try await stack.eventually("GET /orders/\(messageId)") {
            let (status, body) = try await stack.http("GET", "/orders/\(messageId)")
            guard status == 200 else { return Optional<JSONValue>.none }
            return body
        }
        XCTAssertEqual(found["webSocketUrl"]?.stringValue, stack.webSocketURL, found.jsonString)
        let executionArn = try XCTUnwrap(found["executionArn"]?.stringValue)
        XCTAssertEqual(executionArn, "arn:aws:states:us-east-1:000000000000:execution:order-workflow:\(messageId)")
        return (messageId, executionArn)
    }

    func testPaidOrderReachesTheClientOverItsWebSocket() async throws {
        let stack = try await OrderStack.start()
        defer { Task { await stack.shutdown() } }
        let (messageId, executionArn) = try await place(stack, #"{"customerId":"c-1","items":[{"sku":"tea","quantity":2,"price":18.5}]}"#)
        let connected = await stack.connect(query: connectQuery(executionArn))
        let client = try XCTUnwrap(connected)

        let run = try await stack.finished(executionArn)
        XCTAssertEqual(run.status, "SUCCEEDED")
        XCTAssertEqual(run.states, Self.paidPath)
        XCTAssertEqual(client.peer.sent.count, 1, "\(client.peer.sent)")
        let notification = try JSONValue.parse(client.peer.sent.first ?? "")
        XCTAssertEqual(notification["messageId"]?.stringValue, messageId)
        XCTAssertEqual(notification["status"], "PAID")
        XCTAssertEqual(notification["amount"], 37)
        XCTAssertEqual(notification["total"], 37)

        let record = try await stack.item("Orders", "messageId", messageId)
        XCTAssertEqual(record?["status"], ["S": "PAID"])
        XCTAssertEqual(record?["payment"]?["M"]?["status"], ["S": "APPROVED"])
        XCTAssertEqual(record?["order"]?["M"]?["customerId"], ["S": "c-1"])
        XCTAssertNotNil(record?["requestId"]?["S"])
        let (_, lookedUp) = try await stack.http("GET", "/orders/\(messageId)")
        XCTAssertEqual(lookedUp["status"], "PAID")
        XCTAssertNil(run.output["publishError"], run.output.jsonString)
        let published: [JSONValue] = try await stack.eventually("the published outcome") {
            let outcomes = try await stack.publishedOutcomes()
            return outcomes.isEmpty ? nil : outcomes
        }
        XCTAssertEqual(published, [notification])
        XCTAssertEqual(notification["executionArn"]?.stringValue, executionArn)
    }

    func testOrderOverTheLimitTakesTheFailurePathAndTheClientIsTold() async throws {
        let stack = try await OrderStack.start()
        defer { Task { await stack.shutdown() } }
        let (messageId, executionArn) = try await place(stack, #"{"customerId":"c-2","items":[{"sku":"espresso-machine","quantity":3,"price":500}]}"#)
        let connected = await stack.connect(query: connectQuery(executionArn))
        let client = try XCTUnwrap(connected)

        let run = try await stack.finished(executionArn)
        XCTAssertEqual(run.status, "FAILED")
        XCTAssertEqual(run.states, Self.declinedPath)
        let notification = try JSONValue.parse(client.peer.sent.first ?? "")
        XCTAssertEqual(notification["status"], "PAYMENT_FAILED")
        XCTAssertEqual(notification["error"], "PaymentDeclined")
        XCTAssertEqual(notification["message"], "Order total 1500 is over the limit of 1000")
        let described = try await stack.call("stepfunctions", "DescribeExecution", ["executionArn": .string(executionArn)])
        XCTAssertEqual(described["error"], "PaymentDeclined")

        let record = try await stack.item("Orders", "messageId", messageId)
        XCTAssertEqual(record?["status"], ["S": "PAYMENT_FAILED"])
        XCTAssertEqual(record?["paymentError"]?["M"]?["error"], ["S": "PaymentDeclined"])
        XCTAssertNil(record?["payment"])
        let published: [JSONValue] = try await stack.eventually("the published outcome") {
            let outcomes = try await stack.publishedOutcomes()
            return outcomes.isEmpty ? nil : outcomes
        }
        XCTAssertEqual(published.first?["status"], "PAYMENT_FAILED")
    }

    func testClientThatNeverConnectsEndsTheWorkflowCleanly() async throws {
        // One retry instead of eight, so the Catch comes after a second.
        let stack = try await OrderStack.start(editDefinition: { $0.replacingOccurrences(of: "\"MaxAttempts\": 8", with: "\"MaxAttempts\": 1") })
        defer { Task { await stack.shutdown() } }
        let (messageId, executionArn) = try await place(stack, #"{"total":12}"#)
        let run = try await stack.finished(executionArn)
        XCTAssertEqual(run.status, "SUCCEEDED")
        XCTAssertEqual(run.states, ["WebSocketIDMessage", "SaveOrder", "ProcessPayment", "UpdateOrder", "GetConnect",
                                    "ClientNeverConnected", "PublishOutcome", "OrderOutcome", "OrderCompleted"])
        XCTAssertEqual(run.output["notified"], false)
        XCTAssertEqual(run.output["connectionError"]?["Error"], "ConnectionNotFound")
        let record = try await stack.item("Orders", "messageId", messageId)
        XCTAssertEqual(record?["status"], ["S": "PAID"])
    }

    func testAClientThatLeftBeforeTheNotificationDoesNotFailTheOrder() async throws {
        let stack = try await OrderStack.start()
        defer { Task { await stack.shutdown() } }
        let (_, executionArn) = try await place(stack, #"{"total":12}"#)
        // Connected, then the socket drops without $disconnect cleaning up (a stale record).
        let connected = await stack.connect(query: connectQuery(executionArn))
        let client = try XCTUnwrap(connected)
        stack.emulator.webSockets.closeAll()
        _ = try await stack.call("dynamodb", "PutItem", ["TableName": "OrderConnections", "Item": [
            "executionArn": ["S": .string(executionArn)], "connectionId": ["S": .string(client.connectionId)]]])
        let run = try await stack.finished(executionArn)
        XCTAssertEqual(run.status, "SUCCEEDED")
        XCTAssertEqual(run.states, ["WebSocketIDMessage", "SaveOrder", "ProcessPayment", "UpdateOrder", "GetConnect", "Notify",
                                    "ClientNeverConnected", "PublishOutcome", "OrderOutcome", "OrderCompleted"])
        XCTAssertEqual(run.output["notificationError"]?["Error"]?.stringValue?.isEmpty, false)
    }
}
