import Foundation
import JSON
import Lambda
import XCTest

/// Each handler of the reference architecture on its own, invoked as its function in an
/// emulator started in-process with the stack deployed.
final class HandlerTests: XCTestCase {
    func testPlaceOrderQueuesTheOrderAndAnswersWithItsMessageIdAndTheWebSocketURL() async throws {
        let stack = try await OrderStack.start(eventSource: false)
        defer { Task { await stack.shutdown() } }
        let order = #"{"customerId":"c-1","items":[{"sku":"tea","quantity":2,"price":12.5}]}"#
        let (status, body) = try await stack.http("POST", "/orders", body: order)
        XCTAssertEqual(status, 202, body.jsonString)
        let messageId = try XCTUnwrap(body["messageId"]?.stringValue)
        XCTAssertEqual(body["webSocketUrl"]?.stringValue, stack.webSocketURL)
        XCTAssertEqual(body["status"], "ACCEPTED")

        let queueURL = "http://localhost/000000000000/orders"
        let received = try await stack.call("sqs", "ReceiveMessage", ["QueueUrl": .string(queueURL), "MaxNumberOfMessages": 10])
        let messages = received["Messages"]?.arrayValue ?? []
        XCTAssertEqual(messages.count, 1)
        XCTAssertEqual(messages.first?["MessageId"]?.stringValue, messageId)
        XCTAssertEqual(messages.first?["Body"]?.stringValue, order)
    }

    func testPlaceOrderRefusesABodyThatIsNotAnOrder() async throws {
        let stack = try await OrderStack.start(eventSource: false)
        defer { Task { await stack.shutdown() } }
        for body in ["not json", "[1,2]", #"{"customerId":"c-1"}"#, #"{"items":[{"sku":"tea"}]}"#] {
            let (status, answer) = try await stack.http("POST", "/orders", body: body)
            XCTAssertEqual(status, 400, body)
            XCTAssertNotNil(answer["message"]?.stringValue, body)
        }
    }

    func testStartExecutionStepFunctionsStartsOneExecutionPerMessageOnceAndReportsTheBadOnes() async throws {
        let stack = try await OrderStack.start(eventSource: false)
        defer { Task { await stack.shutdown() } }
        func record(_ id: String, _ body: String) -> JSONValue {
            ["messageId": .string(id), "receiptHandle": "r", "body": .string(body), "eventSource": "aws:sqs",
             "eventSourceARN": "arn:aws:sqs:us-east-1:000000000000:orders", "awsRegion": "us-east-1"]
        }
        let good = UUID().uuidString.lowercased()
        let event: JSONValue = ["Records": [record(good, #"{"total":10}"#), record("m-bad", "{not json")]]
        let first = try await stack.invoke("StartExecutionStepFunctions", event)
        XCTAssertNil(first.error, first.payload.jsonString)
        XCTAssertEqual(first.payload, ["batchItemFailures": [["itemIdentifier": "m-bad"]]])

        let arn = "arn:aws:states:us-east-1:000000000000:execution:order-workflow:\(good)"
        let described = try await stack.call("stepfunctions", "DescribeExecution", ["executionArn": .string(arn)])
        let input = try JSONValue.parse(described["input"]?.stringValue ?? "")
        XCTAssertEqual(input["order"], ["total": 10])
        XCTAssertEqual(input["messageId"]?.stringValue, good)
        XCTAssertNotNil(input["requestId"]?.stringValue)

        // A redelivery of the same message finds its execution: no failure, no second execution.
        let again = try await stack.invoke("StartExecutionStepFunctions", ["Records": [record(good, #"{"total":10}"#)]])
        XCTAssertEqual(again.payload, ["batchItemFailures": []])
        let listed = try await stack.call("stepfunctions", "ListExecutions", ["stateMachineArn": .string(stack.stateMachineArn)])
        XCTAssertEqual(listed["executions"]?.arrayValue?.count, 1)
    }

    func testWebSocketIDMessageLetsGetOrderFindTheExecution() async throws {
        let stack = try await OrderStack.start(eventSource: false)
        defer { Task { await stack.shutdown() } }
        let (missing, answer) = try await stack.http("GET", "/orders/m-1")
        XCTAssertEqual(missing, 404, answer.jsonString)

        let saved = try await stack.invoke("WebSocketIDMessage", ["messageId": "m-1", "executionArn": "arn:exec:1"])
        XCTAssertNil(saved.error, saved.payload.jsonString)
        let (status, found) = try await stack.http("GET", "/orders/m-1")
        XCTAssertEqual(status, 200, found.jsonString)
        XCTAssertEqual(found["executionArn"], "arn:exec:1")
        XCTAssertEqual(found["webSocketUrl"]?.stringValue, stack.webSocketURL)
        XCTAssertNil(found["status"])

        _ = try await stack.invoke("SaveOrder", ["messageId": "m-1", "requestId": "r-1", "order": ["total": 5]])
        let (_, withOrder) = try await stack.http("GET", "/orders/m-1")
        XCTAssertEqual(withOrder["status"], "RECEIVED")
    }

    func testSaveOrderAndUpdateOrderKeepTheOrderRecord() async throws {
        let stack = try await OrderStack.start(eventSource: false)
        defer { Task { await stack.shutdown() } }
        let order: JSONValue = ["customerId": "c-7", "items": [["sku": "tea", "quantity": 3, "price": .number("2.5")]]]
        let saved = try await stack.invoke("SaveOrder", ["messageId": "m-7", "requestId": "r-7", "order": order])
        XCTAssertNil(saved.error, saved.payload.jsonString)
        let saved7 = try await stack.item("Orders", "messageId", "m-7")
        var item = try XCTUnwrap(saved7)
        XCTAssertEqual(item["status"], ["S": "RECEIVED"])
        XCTAssertEqual(item["requestId"], ["S": "r-7"])
        XCTAssertEqual(item["total"], ["N": "7.5"])
        XCTAssertEqual(item["order"]?["M"]?["items"]?["L"]?.arrayValue?.first?["M"]?["price"], ["N": "2.5"])

        let paid = try await stack.invoke("UpdateOrder", ["messageId": "m-7", "status": "PAID",
                                                          "payment": ["status": "APPROVED", "amount": .number("7.5"), "transactionId": "txn-1"]])
        XCTAssertNil(paid.error, paid.payload.jsonString)
        XCTAssertEqual(paid.payload["status"], "PAID")
        XCTAssertEqual(paid.payload["total"], .number("7.5"))
        XCTAssertEqual(paid.payload["transactionId"], "txn-1")
        let paid7 = try await stack.item("Orders", "messageId", "m-7")
        item = try XCTUnwrap(paid7)
        XCTAssertEqual(item["status"], ["S": "PAID"])
        XCTAssertEqual(item["payment"]?["M"]?["transactionId"], ["S": "txn-1"])

        let cause = #"{"errorMessage":"Order total 1500 is over the limit of 1000","errorType":"PaymentDeclined"}"#
        let failed = try await stack.invoke("UpdateOrder", ["messageId": "m-7", "status": "PAYMENT_FAILED",
                                                            "error": "PaymentDeclined", "cause": .string(cause)])
        XCTAssertEqual(failed.payload["status"], "PAYMENT_FAILED")
        XCTAssertEqual(failed.payload["error"], "PaymentDeclined")
        XCTAssertEqual(failed.payload["message"], "Order total 1500 is over the limit of 1000")
    }

    func testProcessPaymentApprovesUpToTheLimitAndDeclinesAboveIt() async throws {
        let stack = try await OrderStack.start(eventSource: false)
        defer { Task { await stack.shutdown() } }
        let approved = try await stack.invoke("ProcessPayment", ["order": ["total": 1000]])
        XCTAssertNil(approved.error)
        XCTAssertEqual(approved.payload["status"], "APPROVED")
        XCTAssertEqual(approved.payload["amount"], 1000)
        XCTAssertTrue(approved.payload["transactionId"]?.stringValue?.hasPrefix("txn-") ?? false)

        let declined = try await stack.invoke("ProcessPayment", ["order": ["items": [["quantity": 3, "price": 500]]]])
        XCTAssertEqual(declined.error, LambdaFunctionError("PaymentDeclined", "Order total 1500 is over the limit of 1000"))
        let invalid = try await stack.invoke("ProcessPayment", ["order": ["items": []]])
        XCTAssertEqual(invalid.error?.errorType, "InvalidOrder")
    }

    func testGetConnectFailsUntilTheClientConnectsAndAgainAfterItLeaves() async throws {
        let stack = try await OrderStack.start(eventSource: false)
        defer { Task { await stack.shutdown() } }
        let arn = "arn:aws:states:us-east-1:000000000000:execution:order-workflow:m-3"
        let before = try await stack.invoke("GetConnect", ["executionArn": .string(arn)])
        XCTAssertEqual(before.error?.errorType, "ConnectionNotFound")

        // OnConnect refuses a client that does not say which execution it waits for.
        let refused = await stack.connect(query: "")
        XCTAssertNil(refused)

        let connected = await stack.connect(query: connectQuery(arn))
        let client = try XCTUnwrap(connected)
        let after = try await stack.invoke("GetConnect", ["executionArn": .string(arn)])
        XCTAssertNil(after.error, after.payload.jsonString)
        XCTAssertEqual(after.payload["connectionId"]?.stringValue, client.connectionId)

        let notified = try await stack.invoke("Notify", ["connectionId": .string(client.connectionId),
                                                         "outcome": ["messageId": "m-3", "status": "PAID"]])
        XCTAssertNil(notified.error, notified.payload.jsonString)
        XCTAssertEqual(client.peer.sent, [#"{"messageId":"m-3","status":"PAID"}"#])

        await stack.disconnect(client.connectionId)
        let gone = try await stack.invoke("GetConnect", ["executionArn": .string(arn)])
        XCTAssertEqual(gone.error?.errorType, "ConnectionNotFound")
        let cleared = try await stack.item("OrderConnections", "executionArn", arn)
        XCTAssertNil(cleared)
    }
}
