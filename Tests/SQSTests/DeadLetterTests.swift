import XCTest
import JSON
import Wire
@testable import SQS

final class DeadLetterQueueTests: XCTestCase {
    func redrive(_ sqs: SQSHarness, to dlq: String, maxReceiveCount: String) -> String {
        #"{"deadLetterTargetArn":"\#(sqs.arn(dlq))","maxReceiveCount":\#(maxReceiveCount)}"#
    }

    func testMessagesMoveToTheDeadLetterQueueAfterMaxReceiveCount() async throws {
        let sqs = try await SQSHarness()
        let dlq = try await sqs.createQueue("dlq")
        let source = try await sqs.createQueue("source", ["RedrivePolicy": redrive(sqs, to: "dlq", maxReceiveCount: #""2""#)])
        let attributes = try await sqs.attributes(source, ["RedrivePolicy"])
        XCTAssertEqual(attributes["RedrivePolicy"], redrive(sqs, to: "dlq", maxReceiveCount: "2"), "stored with a numeric count")

        try await sqs.send(source, "poison")
        let first = try await sqs.bodies(source, visibility: 0)
        let second = try await sqs.bodies(source, visibility: 0)
        XCTAssertEqual(first + second, ["poison", "poison"])
        let third = try await sqs.bodies(source, visibility: 0)
        XCTAssertEqual(third, [], "the third receive moves the message instead of returning it")

        let dead = try await sqs.receive(dlq, ["AttributeNames": ["All"]])
        XCTAssertEqual(dead.map { $0["Body"] }, ["poison"])
        XCTAssertEqual(dead.first?["Attributes"]?["DeadLetterQueueSourceArn"]?.stringValue, sqs.arn("source"))
        XCTAssertEqual(dead.first?["Attributes"]?["ApproximateReceiveCount"], "1", "the count restarts in the DLQ")
        let sourceCounts = try await sqs.count(source)
        XCTAssertEqual(sourceCounts.visible + sourceCounts.inFlight, 0)
        await sqs.close()
    }

    func testListDeadLetterSourceQueues() async throws {
        let sqs = try await SQSHarness()
        let dlq = try await sqs.createQueue("dlq")
        for name in ["s2", "s1", "s3"] {
            try await sqs.createQueue(name, ["RedrivePolicy": redrive(sqs, to: "dlq", maxReceiveCount: "5")])
        }
        try await sqs.createQueue("unrelated")
        let all = try await sqs.call(.listDeadLetterSourceQueues, ["QueueUrl": .string(dlq)])
        XCTAssertEqual(all, ["queueUrls": .array(["s1", "s2", "s3"].map { .string(sqs.url($0)) })])
        let page = try await sqs.call(.listDeadLetterSourceQueues, ["QueueUrl": .string(dlq), "MaxResults": 2])
        XCTAssertEqual(page["queueUrls"]?.arrayValue?.count, 2)
        let token = try XCTUnwrap(page["NextToken"])
        let rest = try await sqs.call(.listDeadLetterSourceQueues, ["QueueUrl": .string(dlq), "MaxResults": 2, "NextToken": token])
        XCTAssertEqual(rest, ["queueUrls": [.string(sqs.url("s3"))]])
        await sqs.close()
    }

    func testRedrivePolicyTargetMustExistMatchTypeAndAllowTheSource() async throws {
        let sqs = try await SQSHarness()
        await assertSQSError("InvalidAttributeValue") {
            try await sqs.createQueue("s", ["RedrivePolicy": self.redrive(sqs, to: "missing", maxReceiveCount: "1")])
        }
        try await sqs.createQueue("std-dlq")
        await assertSQSError("InvalidAttributeValue") {
            try await sqs.createFifoQueue("s.fifo", ["RedrivePolicy": self.redrive(sqs, to: "std-dlq", maxReceiveCount: "1"),
                                                     "ContentBasedDeduplication": "true"])
        }
        try await sqs.createQueue("closed", ["RedriveAllowPolicy": #"{"redrivePermission":"denyAll"}"#])
        await assertSQSError("InvalidAttributeValue") {
            try await sqs.createQueue("s", ["RedrivePolicy": self.redrive(sqs, to: "closed", maxReceiveCount: "1")])
        }
        let allowed = #"{"redrivePermission":"byQueue","sourceQueueArns":["\#(sqs.arn("friend"))"]}"#
        try await sqs.createQueue("picky", ["RedriveAllowPolicy": allowed])
        await assertSQSError("InvalidAttributeValue") {
            try await sqs.createQueue("stranger", ["RedrivePolicy": self.redrive(sqs, to: "picky", maxReceiveCount: "1")])
        }
        try await sqs.createQueue("friend", ["RedrivePolicy": redrive(sqs, to: "picky", maxReceiveCount: "1")])
        await sqs.close()
    }
}

final class MessageMoveTaskTests: XCTestCase {
    /// A source whose messages have all been moved to its dead-letter queue.
    func deadLetters(_ sqs: SQSHarness, count: Int) async throws -> (source: String, dlq: String) {
        let dlq = try await sqs.createQueue("dlq")
        let source = try await sqs.createQueue("source", [
            "RedrivePolicy": #"{"deadLetterTargetArn":"\#(sqs.arn("dlq"))","maxReceiveCount":1}"#,
        ])
        for i in 0..<count { try await sqs.send(source, "m\(i)") }
        _ = try await sqs.receive(source, visibility: 0)
        let moved = try await sqs.receive(source, visibility: 0)
        XCTAssertEqual(moved, [])
        let counts = try await sqs.count(dlq)
        XCTAssertEqual(counts.visible, count)
        return (source, dlq)
    }

    /// Polls ListMessageMoveTasks until the newest task leaves `RUNNING`, moving the
    /// clock a second per poll (bounded).
    func waitForTask(_ sqs: SQSHarness, source arn: String, until done: Set<String> = ["COMPLETED", "FAILED", "CANCELLED"]) async throws -> JSONValue {
        for _ in 0..<300 {
            let list = try await sqs.call(.listMessageMoveTasks, ["SourceArn": .string(arn)])
            if let task = list["Results"]?.arrayValue?.first, let status = task["Status"]?.stringValue, done.contains(status) {
                return task
            }
            try await Task.sleep(for: .milliseconds(10))
            // Rate-limited tasks pace themselves on the injected clock.
            sqs.advance(seconds: 1)
        }
        XCTFail("move task did not finish")
        return nil
    }

    func testStartMessageMoveTaskReturnsMessagesToTheirSource() async throws {
        let sqs = try await SQSHarness()
        let (source, dlq) = try await deadLetters(sqs, count: 3)
        let started = try await sqs.call(.startMessageMoveTask, ["SourceArn": .string(sqs.arn("dlq"))])
        XCTAssertNotNil(started["TaskHandle"]?.stringValue)

        let task = try await waitForTask(sqs, source: sqs.arn("dlq"))
        XCTAssertEqual(task["Status"], "COMPLETED")
        XCTAssertEqual(task["ApproximateNumberOfMessagesMoved"], 3)
        XCTAssertEqual(task["ApproximateNumberOfMessagesToMove"], 3)
        XCTAssertEqual(task["SourceArn"]?.stringValue, sqs.arn("dlq"))
        XCTAssertNil(task["TaskHandle"], "only running tasks show their handle")
        XCTAssertNil(task["DestinationArn"])

        let back = try await sqs.receive(source, ["AttributeNames": ["All"]])
        XCTAssertEqual(back.map { $0["Body"] }, ["m0", "m1", "m2"])
        XCTAssertEqual(back.first?["Attributes"]?["ApproximateReceiveCount"], "1")
        XCTAssertNil(back.first?["Attributes"]?["DeadLetterQueueSourceArn"])
        let empty = try await sqs.count(dlq)
        XCTAssertEqual(empty.visible, 0)
        await sqs.close()
    }

    func testStartMessageMoveTaskToAnotherDestination() async throws {
        let sqs = try await SQSHarness()
        _ = try await deadLetters(sqs, count: 2)
        let elsewhere = try await sqs.createQueue("elsewhere")
        try await sqs.call(.startMessageMoveTask, ["SourceArn": .string(sqs.arn("dlq")), "DestinationArn": .string(sqs.arn("elsewhere"))])
        let task = try await waitForTask(sqs, source: sqs.arn("dlq"))
        XCTAssertEqual(task["Status"], "COMPLETED")
        XCTAssertEqual(task["DestinationArn"]?.stringValue, sqs.arn("elsewhere"))
        let bodies = try await sqs.bodies(elsewhere)
        XCTAssertEqual(bodies, ["m0", "m1"])
        await sqs.close()
    }

    func testCancelMessageMoveTask() async throws {
        let sqs = try await SQSHarness()
        _ = try await deadLetters(sqs, count: 3)
        let started = try await sqs.call(.startMessageMoveTask, ["SourceArn": .string(sqs.arn("dlq")), "MaxNumberOfMessagesPerSecond": 1])
        let handle = try XCTUnwrap(started["TaskHandle"])
        await assertSQSError("InvalidParameterValue") {
            try await sqs.call(.startMessageMoveTask, ["SourceArn": .string(sqs.arn("dlq"))])
        }
        let cancelled = try await sqs.call(.cancelMessageMoveTask, ["TaskHandle": handle])
        XCTAssertLessThanOrEqual(cancelled["ApproximateNumberOfMessagesMoved"]?.intValue ?? 99, 1)
        await assertSQSError("ResourceNotFoundException", status: 404) { try await sqs.call(.cancelMessageMoveTask, ["TaskHandle": handle]) }
        let task = try await waitForTask(sqs, source: sqs.arn("dlq"), until: ["CANCELLED"])
        XCTAssertEqual(task["Status"], "CANCELLED")
        XCTAssertEqual(task["MaxNumberOfMessagesPerSecond"], 1)
        XCTAssertLessThan(task["ApproximateNumberOfMessagesMoved"]?.intValue ?? 99, 3)
        await sqs.close()
    }

    func testMoveTaskErrors() async throws {
        let sqs = try await SQSHarness()
        try await sqs.createQueue("plain")
        await assertSQSError("InvalidParameterValue", message: "Source queue must be configured as a Dead Letter Queue.") {
            try await sqs.call(.startMessageMoveTask, ["SourceArn": .string(sqs.arn("plain"))])
        }
        await assertSQSError("ResourceNotFoundException", status: 404) {
            try await sqs.call(.startMessageMoveTask, ["SourceArn": .string(sqs.arn("missing"))])
        }
        await assertSQSError("InvalidParameterValue") { try await sqs.call(.startMessageMoveTask, ["SourceArn": "not-an-arn"]) }
        for rate: JSONValue in [0, 501] {
            await assertSQSError("InvalidParameterValue") {
                try await sqs.call(.startMessageMoveTask, ["SourceArn": .string(sqs.arn("plain")), "MaxNumberOfMessagesPerSecond": rate])
            }
        }
        _ = try await deadLetters(sqs, count: 1)
        await assertSQSError("ResourceNotFoundException", status: 404) {
            try await sqs.call(.startMessageMoveTask, ["SourceArn": .string(sqs.arn("dlq")), "DestinationArn": .string(sqs.arn("missing"))])
        }
        await assertSQSError("InvalidParameterValue", message: "Value for parameter TaskHandle is invalid.") {
            try await sqs.call(.cancelMessageMoveTask, ["TaskHandle": "nope"])
        }
        await assertSQSError("ResourceNotFoundException", status: 404) { try await sqs.call(.listMessageMoveTasks, ["SourceArn": .string(sqs.arn("missing"))]) }
        for bad: JSONValue in [0, 11] {
            await assertSQSError("InvalidParameterValue") {
                try await sqs.call(.listMessageMoveTasks, ["SourceArn": .string(sqs.arn("dlq")), "MaxResults": bad])
            }
        }
        let none = try await sqs.call(.listMessageMoveTasks, ["SourceArn": .string(sqs.arn("dlq"))])
        XCTAssertEqual(none, ["Results": []])
        await sqs.close()
    }
}
