import XCTest
import JSON
import Wire
@testable import SQS

final class FifoTests: XCTestCase {
    func send(_ sqs: SQSHarness, _ url: String, _ body: String, group: String, dedup: String? = nil) async throws -> JSONValue {
        var extra = JSONObject(["MessageGroupId": .string(group)])
        if let dedup { extra["MessageDeduplicationId"] = .string(dedup) }
        return try await sqs.send(url, body, .object(extra))
    }

    func testFifoDeliversEachGroupInOrderAndLocksAGroupWhileInFlight() async throws {
        let sqs = try await SQSHarness()
        let url = try await sqs.createFifoQueue("q.fifo", ["VisibilityTimeout": "30"])
        _ = try await send(sqs, url, "A1", group: "A", dedup: "1")
        _ = try await send(sqs, url, "B1", group: "B", dedup: "2")
        _ = try await send(sqs, url, "A2", group: "A", dedup: "3")
        _ = try await send(sqs, url, "B2", group: "B", dedup: "4")

        let a1 = try await sqs.receive(url, max: 1)
        XCTAssertEqual(a1.map { $0["Body"] }, ["A1"])
        let b1 = try await sqs.bodies(url, max: 1)
        XCTAssertEqual(b1, ["B1"], "group A is locked while A1 is in flight; B is next")
        let locked = try await sqs.bodies(url)
        XCTAssertEqual(locked, [], "both groups are locked")

        try await sqs.delete(url, a1[0])
        let a2 = try await sqs.bodies(url)
        XCTAssertEqual(a2, ["A2"], "deleting A1 unlocks group A, B stays locked")

        sqs.advance(seconds: 30)
        let redelivered = try await sqs.bodies(url)
        XCTAssertEqual(redelivered, ["B1", "A2", "B2"], "expired receipts come back in send order")
        await sqs.close()
    }

    func testOneReceiveMayTakeSeveralMessagesOfOneGroupInOrder() async throws {
        let sqs = try await SQSHarness()
        let url = try await sqs.createFifoQueue("q.fifo", ["ContentBasedDeduplication": "true"])
        for body in ["1", "2", "3"] { _ = try await send(sqs, url, body, group: "g") }
        let messages = try await sqs.receive(url, ["AttributeNames": ["All"]])
        XCTAssertEqual(messages.map { $0["Body"] }, ["1", "2", "3"])
        let sequences = messages.compactMap { $0["Attributes"]?["SequenceNumber"]?.stringValue }
        XCTAssertEqual(sequences.count, 3)
        XCTAssertTrue(sequences.allSatisfy { $0.count == 20 }, "\(sequences)")
        XCTAssertEqual(sequences, sequences.sorted(), "sequence numbers increase")
        XCTAssertEqual(messages.first?["Attributes"]?["MessageGroupId"], "g")
        await sqs.close()
    }

    func testDuplicatesWithinFiveMinutesAreDroppedAndNotAfter() async throws {
        let sqs = try await SQSHarness()
        let url = try await sqs.createFifoQueue("q.fifo")
        let first = try await send(sqs, url, "m", group: "g", dedup: "d1")
        let sequence = try XCTUnwrap(first["SequenceNumber"]?.stringValue)
        XCTAssertEqual(sequence.count, 20)

        sqs.advance(milliseconds: 299_999)
        let duplicate = try await send(sqs, url, "different body, same id", group: "g", dedup: "d1")
        XCTAssertEqual(duplicate["MessageId"], first["MessageId"], "a duplicate gets the original's id")
        XCTAssertEqual(duplicate["SequenceNumber"], first["SequenceNumber"])
        XCTAssertEqual(duplicate["MD5OfMessageBody"], "7f94b1df31c78668bc80c3d31e163118", "the MD5 is of the body this request sent")
        let counts = try await sqs.count(url)
        XCTAssertEqual(counts.visible, 1)

        sqs.advance(milliseconds: 1)
        let fresh = try await send(sqs, url, "m", group: "g", dedup: "d1")
        XCTAssertNotEqual(fresh["MessageId"], first["MessageId"], "five minutes later the id is new again")
        let after = try await sqs.count(url)
        XCTAssertEqual(after.visible, 2)
        let bodies = try await sqs.bodies(url)
        XCTAssertEqual(bodies, ["m", "m"])
        await sqs.close()
    }

    func testDeduplicationOutlivesTheMessage() async throws {
        let sqs = try await SQSHarness()
        let url = try await sqs.createFifoQueue("q.fifo")
        _ = try await send(sqs, url, "m", group: "g", dedup: "d")
        let messageBatch = try await sqs.receive(url)
        let message = try XCTUnwrap(messageBatch.first)
        try await sqs.delete(url, message)
        _ = try await send(sqs, url, "m", group: "g", dedup: "d")
        let none = try await sqs.bodies(url)
        XCTAssertEqual(none, [], "a deleted message still deduplicates its id")
        await sqs.close()
    }

    func testContentBasedDeduplicationHashesTheBody() async throws {
        let sqs = try await SQSHarness()
        let url = try await sqs.createFifoQueue("q.fifo", ["ContentBasedDeduplication": "true"])
        let x1 = try await send(sqs, url, "x", group: "g")
        let x2 = try await send(sqs, url, "x", group: "other-group")
        let y = try await send(sqs, url, "y", group: "g")
        XCTAssertEqual(x1["MessageId"], x2["MessageId"], "same body, same deduplication id (scope is the queue)")
        XCTAssertNotEqual(x1["MessageId"], y["MessageId"])
        let explicit = try await send(sqs, url, "x", group: "g", dedup: "explicit")
        XCTAssertNotEqual(explicit["MessageId"], x1["MessageId"], "an explicit id wins over the body hash")
        let received = try await sqs.receive(url, ["AttributeNames": ["MessageDeduplicationId"]])
        XCTAssertEqual(received.map { $0["Body"] }, ["x", "y", "x"])
        XCTAssertEqual(received.map { $0["Attributes"]?["MessageDeduplicationId"] }, [
            "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881",  // SHA-256 of "x"
            "a1fce4363854ff888cff4b8e7875d600c2682390412a8cf79b37d0b11148b0fa",  // SHA-256 of "y"
            "explicit",
        ])
        await sqs.close()
    }

    func testDeduplicationScopeMessageGroup() async throws {
        let sqs = try await SQSHarness()
        let url = try await sqs.createFifoQueue("q.fifo", ["DeduplicationScope": "messageGroup", "FifoThroughputLimit": "perMessageGroupId"])
        let a = try await send(sqs, url, "m", group: "A", dedup: "d")
        let b = try await send(sqs, url, "m", group: "B", dedup: "d")
        let a2 = try await send(sqs, url, "m", group: "A", dedup: "d")
        XCTAssertNotEqual(a["MessageId"], b["MessageId"], "the same id in another group is not a duplicate")
        XCTAssertEqual(a["MessageId"], a2["MessageId"])
        await sqs.close()
    }

    func testFifoSendRules() async throws {
        let sqs = try await SQSHarness()
        let fifo = try await sqs.createFifoQueue("q.fifo")
        let standard = try await sqs.createQueue("std")
        await assertSQSError("MissingRequiredParameterException", query: "MissingParameter", message: "The request must contain the parameter MessageGroupId.") {
            try await sqs.send(fifo, "m", ["MessageDeduplicationId": "d"])
        }
        await assertSQSError("InvalidParameterValue",
                             message: "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly") {
            try await sqs.send(fifo, "m", ["MessageGroupId": "g"])
        }
        await assertSQSError("InvalidParameterValue") {
            try await sqs.send(fifo, "m", ["MessageGroupId": "g", "MessageDeduplicationId": "d", "DelaySeconds": 1])
        }
        _ = try await sqs.send(fifo, "m", ["MessageGroupId": "g", "MessageDeduplicationId": "d", "DelaySeconds": 0])
        await assertSQSError("InvalidParameterValue") {
            try await sqs.send(standard, "m", ["MessageDeduplicationId": "d"])
        }
        for bad in ["", "has space", String(repeating: "x", count: 129), "é"] {
            await assertSQSError("InvalidParameterValue") {
                try await sqs.send(fifo, "m", ["MessageGroupId": .string(bad), "MessageDeduplicationId": "d"])
            }
            await assertSQSError("InvalidParameterValue") {
                try await sqs.send(fifo, "m", ["MessageGroupId": "g", "MessageDeduplicationId": .string(bad)])
            }
        }
        await sqs.close()
    }

    func testReceiveRequestAttemptIdRepeatsTheSameReceive() async throws {
        let sqs = try await SQSHarness()
        let url = try await sqs.createFifoQueue("q.fifo", ["ContentBasedDeduplication": "true"])
        for body in ["1", "2"] { _ = try await send(sqs, url, body, group: "g") }
        let first = try await sqs.receive(url, ["ReceiveRequestAttemptId": "attempt-1"])
        let retry = try await sqs.receive(url, ["ReceiveRequestAttemptId": "attempt-1"])
        XCTAssertEqual(first.map { $0["Body"] }, ["1", "2"])
        XCTAssertEqual(retry.map { $0["ReceiptHandle"] }, first.map { $0["ReceiptHandle"] }, "same messages, same handles")
        let other = try await sqs.receive(url, ["ReceiveRequestAttemptId": "attempt-2"])
        XCTAssertEqual(other, [], "a new attempt sees the group locked")
        await sqs.close()
    }

    func testOnFifoQueuesOnlyTheCurrentReceiptDeletes() async throws {
        let sqs = try await SQSHarness()
        let url = try await sqs.createFifoQueue("q.fifo", ["VisibilityTimeout": "10"])
        _ = try await send(sqs, url, "m", group: "g", dedup: "d")
        let staleBatch = try await sqs.receive(url)
        let stale = try XCTUnwrap(staleBatch.first)
        sqs.advance(seconds: 10)
        await assertSQSError("InvalidParameterValue", message: "Value \(stale["ReceiptHandle"]?.stringValue ?? "") for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.") {
            try await sqs.delete(url, stale)
        }
        let currentBatch = try await sqs.receive(url)
        let current = try XCTUnwrap(currentBatch.first)
        await assertSQSError("InvalidParameterValue") { try await sqs.delete(url, stale) }
        try await sqs.delete(url, current)
        try await sqs.delete(url, current)  // already gone: succeeds
        sqs.advance(seconds: 10)
        let none = try await sqs.bodies(url)
        XCTAssertEqual(none, [])
        await sqs.close()
    }

    func testFifoBatchEntriesWithoutAGroupFailTheWholeBatch() async throws {
        let sqs = try await SQSHarness()
        let url = try await sqs.createFifoQueue("q.fifo", ["ContentBasedDeduplication": "true"])
        await assertSQSError("InvalidParameterValue", message: "The request must contain the parameter MessageGroupId.") {
            try await sqs.call(.sendMessageBatch, ["QueueUrl": .string(url), "Entries": [
                ["Id": "a", "MessageBody": "a", "MessageGroupId": "g"],
                ["Id": "b", "MessageBody": "b"],
            ]])
        }
        let counts = try await sqs.count(url)
        XCTAssertEqual(counts.visible, 0, "nothing of the batch was stored")
        let output = try await sqs.call(.sendMessageBatch, ["QueueUrl": .string(url), "Entries": [
            ["Id": "a", "MessageBody": "a", "MessageGroupId": "g"],
            ["Id": "b", "MessageBody": "b", "MessageGroupId": "g"],
        ]])
        let sequences = output["Successful"]?.arrayValue?.compactMap { $0["SequenceNumber"]?.stringValue } ?? []
        XCTAssertEqual(sequences.count, 2)
        XCTAssertLessThan(sequences[0], sequences[1])
        await sqs.close()
    }
}
