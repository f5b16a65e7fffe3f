import Foundation
import XCTest
import JSON
import Wire
@testable import SQS

final class VisibilityTests: XCTestCase {
    func testReceiveHidesMessageUntilVisibilityTimeout() async throws {
        let sqs = try await SQSHarness()
        let url = try await sqs.createQueue("q", ["VisibilityTimeout": "30"])
        try await sqs.send(url, "m")
        let first = try await sqs.bodies(url)
        XCTAssertEqual(first, ["m"])
        let hidden = try await sqs.bodies(url)
        XCTAssertEqual(hidden, [])
        let counts = try await sqs.count(url)
        XCTAssertEqual(counts.visible, 0)
        XCTAssertEqual(counts.inFlight, 1)

        sqs.advance(milliseconds: 29_999)
        let stillHidden = try await sqs.bodies(url)
        XCTAssertEqual(stillHidden, [])
        sqs.advance(milliseconds: 1)
        let again = try await sqs.receive(url, ["AttributeNames": ["ApproximateReceiveCount"]])
        XCTAssertEqual(again.map { $0["Body"] }, ["m"])
        XCTAssertEqual(again.first?["Attributes"]?["ApproximateReceiveCount"], "2")
        await sqs.close()
    }

    func testReceiveVisibilityTimeoutOverridesTheQueues() async throws {
        let sqs = try await SQSHarness()
        let url = try await sqs.createQueue("q", ["VisibilityTimeout": "300"])
        try await sqs.send(url, "m")
        _ = try await sqs.receive(url, visibility: 5)
        sqs.advance(seconds: 5)
        let zero = try await sqs.bodies(url, visibility: 0)
        XCTAssertEqual(zero, ["m"])
        let immediately = try await sqs.bodies(url)
        XCTAssertEqual(immediately, ["m"], "visibility 0 leaves the message visible")
        await sqs.close()
    }

    func testChangeMessageVisibilityExtendsOrReleases() async throws {
        let sqs = try await SQSHarness()
        let url = try await sqs.createQueue("q", ["VisibilityTimeout": "30"])
        try await sqs.send(url, "m")
        let messageBatch = try await sqs.receive(url)
        let message = try XCTUnwrap(messageBatch.first)
        let handle = try XCTUnwrap(message["ReceiptHandle"])

        try await sqs.call(.changeMessageVisibility, ["QueueUrl": .string(url), "ReceiptHandle": handle, "VisibilityTimeout": 100])
        sqs.advance(seconds: 99)
        let extended = try await sqs.bodies(url)
        XCTAssertEqual(extended, [], "the new timeout counts from the change")
        try await sqs.call(.changeMessageVisibility, ["QueueUrl": .string(url), "ReceiptHandle": handle, "VisibilityTimeout": 0])
        let released = try await sqs.bodies(url)
        XCTAssertEqual(released, ["m"])
        await sqs.close()
    }

    func testChangeMessageVisibilityErrors() async throws {
        let sqs = try await SQSHarness()
        let url = try await sqs.createQueue("q", ["VisibilityTimeout": "30"])
        let other = try await sqs.createQueue("other")
        try await sqs.send(url, "m")
        let firstBatch = try await sqs.receive(url)
        let first = try XCTUnwrap(firstBatch.first?["ReceiptHandle"])
        func change(_ handle: JSONValue, _ timeout: Int, queue: String? = nil) async throws {
            try await sqs.call(.changeMessageVisibility, ["QueueUrl": .string(queue ?? url), "ReceiptHandle": handle,
                                                          "VisibilityTimeout": .integer(timeout)])
        }

        for garbage: JSONValue in ["garbage", "", "MTox", .string(Data("1:1:short".utf8).base64EncodedString())] {
            await assertSQSError("ReceiptHandleIsInvalid") { try await change(garbage, 10) }
        }
        await assertSQSError("ReceiptHandleIsInvalid", message: "The input receipt handle \"garbage\" is not a valid receipt handle.") {
            try await change("garbage", 10)
        }
        await assertSQSError("ReceiptHandleIsInvalid") { try await change(first, 10, queue: other) }
        await assertSQSError("InvalidParameterValue") { try await change(first, 43_201) }
        await assertSQSError("InvalidParameterValue") { try await change(first, -1) }

        sqs.advance(seconds: 30)
        await assertSQSError("MessageNotInflight", query: "AWS.SimpleQueueService.MessageNotInflight",
                             message: "Message is not in flight.") {
            try await change(first, 10)
        }
        // A newer receive makes the first handle stale.
        let secondBatch = try await sqs.receive(url)
        let second = try XCTUnwrap(secondBatch.first?["ReceiptHandle"])
        XCTAssertNotEqual(first, second)
        await assertSQSError("InvalidParameterValue") { try await change(first, 10) }
        try await change(second, 10)
        // Deleted: the handle names nothing any more.
        try await sqs.call(.deleteMessage, ["QueueUrl": .string(url), "ReceiptHandle": second])
        await assertSQSError("InvalidParameterValue") { try await change(second, 10) }
        await sqs.close()
    }

    func testDeleteMessage() async throws {
        let sqs = try await SQSHarness()
        let url = try await sqs.createQueue("q")
        try await sqs.send(url, "m")
        let messageBatch = try await sqs.receive(url)
        let message = try XCTUnwrap(messageBatch.first)
        try await sqs.delete(url, message)
        try await sqs.delete(url, message)  // deleting twice succeeds, as on AWS
        sqs.advance(seconds: 60)
        let none = try await sqs.bodies(url)
        XCTAssertEqual(none, [])
        await assertSQSError("ReceiptHandleIsInvalid") {
            try await sqs.call(.deleteMessage, ["QueueUrl": .string(url), "ReceiptHandle": "nope"])
        }
        await assertSQSError("MissingRequiredParameterException", query: "MissingParameter") { try await sqs.call(.deleteMessage, ["QueueUrl": .string(url)]) }
        await sqs.close()
    }
}

final class DelayAndRetentionTests: XCTestCase {
    func testDelaySecondsHidesANewMessage() async throws {
        let sqs = try await SQSHarness()
        let url = try await sqs.createQueue("q")
        try await sqs.send(url, "later", ["DelaySeconds": 5])
        try await sqs.send(url, "now")
        let first = try await sqs.bodies(url)
        XCTAssertEqual(first, ["now"])
        let counts = try await sqs.count(url)
        XCTAssertEqual(counts.delayed, 1)
        sqs.advance(milliseconds: 4_999)
        let early = try await sqs.bodies(url)
        XCTAssertEqual(early, [])
        sqs.advance(milliseconds: 1)
        let due = try await sqs.bodies(url)
        XCTAssertEqual(due, ["later"])
        for bad: JSONValue in [-1, 901] {
            await assertSQSError("InvalidParameterValue") { try await sqs.send(url, "x", ["DelaySeconds": bad]) }
        }
        await sqs.close()
    }

    func testQueueDelayAppliesUnlessTheMessageOverridesIt() async throws {
        let sqs = try await SQSHarness()
        let url = try await sqs.createQueue("q", ["DelaySeconds": "10"])
        try await sqs.send(url, "queue delay")
        try await sqs.send(url, "no delay", ["DelaySeconds": 0])
        let first = try await sqs.bodies(url)
        XCTAssertEqual(first, ["no delay"])
        sqs.advance(seconds: 10)
        let second = try await sqs.bodies(url)
        XCTAssertEqual(second, ["queue delay"])
        await sqs.close()
    }

    func testMessagesExpireAfterTheRetentionPeriod() async throws {
        let sqs = try await SQSHarness()
        let url = try await sqs.createQueue("q", ["MessageRetentionPeriod": "60"])
        try await sqs.send(url, "old")
        sqs.advance(seconds: 30)
        try await sqs.send(url, "young")
        sqs.advance(milliseconds: 29_999)
        let before = try await sqs.bodies(url, visibility: 0)
        XCTAssertEqual(before, ["old", "young"])
        sqs.advance(milliseconds: 1)
        let after = try await sqs.bodies(url, visibility: 0)
        XCTAssertEqual(after, ["young"], "the first message reached 60 s")
        let counts = try await sqs.count(url)
        XCTAssertEqual(counts.visible, 1, "a receive deletes what it finds expired")
        await sqs.close()
    }

    func testTheSweeperDeletesExpiredMessagesNobodyReceives() async throws {
        let sqs = try await SQSHarness()
        let short = try await sqs.createQueue("short", ["MessageRetentionPeriod": "60"])
        let long = try await sqs.createQueue("long")
        for i in 0..<3 { try await sqs.send(short, "s\(i)") }
        try await sqs.send(long, "kept")
        _ = try await sqs.receive(short, max: 1)
        sqs.advance(seconds: 59)
        try await sqs.service.sweepExpired()
        let early = try await sqs.count(short)
        XCTAssertEqual(early.visible + early.inFlight, 3)
        sqs.advance(seconds: 1)
        try await sqs.service.sweepExpired()
        let swept = try await sqs.count(short)
        XCTAssertEqual(swept.visible + swept.inFlight + swept.delayed, 0, "visible and in-flight messages expire alike")
        let kept = try await sqs.count(long)
        XCTAssertEqual(kept.visible, 1, "each queue keeps its own retention")
        await sqs.close()
    }
}
