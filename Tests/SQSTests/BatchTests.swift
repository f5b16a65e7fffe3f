import XCTest
import JSON
import Wire
@testable import SQS

final class BatchTests: XCTestCase {
    static let batchOperations: [(SQSOperation, String)] = [
        (.sendMessageBatch, "SendMessageBatchRequestEntry"),
        (.deleteMessageBatch, "DeleteMessageBatchRequestEntry"),
        (.changeMessageVisibilityBatch, "ChangeMessageVisibilityBatchRequestEntry"),
    ]

    func entries(_ ids: [String]) -> JSONValue {
        .array(ids.map { ["Id": .string($0), "MessageBody": "b", "ReceiptHandle": "h", "VisibilityTimeout": 0] })
    }

    func testBatchRequestsAreValidatedBeforeAnyEntryRuns() async throws {
        let sqs = try await SQSHarness()
        let url = try await sqs.createQueue("q")
        for (operation, requestName) in Self.batchOperations {
            func call(_ entries: JSONValue?) async throws -> JSONValue {
                var input = JSONObject(["QueueUrl": .string(url)])
                if let entries { input["Entries"] = entries }
                return try await sqs.call(operation, .object(input))
            }
            await assertSQSError("MissingRequiredParameterException", query: "MissingParameter") { try await call(nil) }
            await assertSQSError("EmptyBatchRequest", query: "AWS.SimpleQueueService.EmptyBatchRequest",
                                 message: "There should be at least one \(requestName) in the request.") {
                try await call([])
            }
            await assertSQSError("TooManyEntriesInBatchRequest", query: "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
                                 message: "Maximum number of entries per request are 10. You have sent 11.") {
                try await call(self.entries((0..<11).map { "e\($0)" }))
            }
            await assertSQSError("BatchEntryIdsNotDistinct", query: "AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
                                 message: "Id dup repeated.") {
                try await call(self.entries(["dup", "other", "dup"]))
            }
            for bad in ["", "has space", "dot.", "é", String(repeating: "x", count: 81)] {
                await assertSQSError("InvalidBatchEntryId", query: "AWS.SimpleQueueService.InvalidBatchEntryId") {
                    try await call(self.entries(["ok", bad]))
                }
            }
            await assertSQSError("MissingRequiredParameterException", query: "MissingParameter") { try await call([["NoId": "x"]]) }
        }
        let counts = try await sqs.count(url)
        XCTAssertEqual(counts.visible, 0, "no entry of a rejected batch ran")
        await sqs.close()
    }

    func testTenEntriesAndEightyCharacterIdsAreAllowed() async throws {
        let sqs = try await SQSHarness()
        let url = try await sqs.createQueue("q")
        var ids = (0..<9).map { "id-\($0)_X" }
        ids.append(String(repeating: "z", count: 80))
        let output = try await sqs.call(.sendMessageBatch, ["QueueUrl": .string(url), "Entries": entries(ids)])
        XCTAssertEqual(output["Successful"]?.arrayValue?.compactMap { $0["Id"]?.stringValue }, ids)
        XCTAssertEqual(output["Failed"], [])
        await sqs.close()
    }

    func testSendMessageBatchFailsBadEntriesAlone() async throws {
        let sqs = try await SQSHarness()
        let url = try await sqs.createQueue("q")
        let output = try await sqs.call(.sendMessageBatch, ["QueueUrl": .string(url), "Entries": [
            ["Id": "good", "MessageBody": "fine"],
            ["Id": "empty", "MessageBody": ""],
            ["Id": "control", "MessageBody": "\u{1}"],
            ["Id": "delay", "MessageBody": "x", "DelaySeconds": 901],
            ["Id": "mistyped", "MessageBody": "x", "DelaySeconds": "soon"],
            ["Id": "dedup", "MessageBody": "x", "MessageDeduplicationId": "d"],
            ["Id": "also-good", "MessageBody": "fine too"],
        ]])
        XCTAssertEqual(output["Successful"]?.arrayValue?.map { $0["Id"] }, ["good", "also-good"])
        let failed = output["Failed"]?.arrayValue ?? []
        XCTAssertEqual(failed.map { $0["Id"] }, ["empty", "control", "delay", "mistyped", "dedup"])
        XCTAssertEqual(failed.map { $0["Code"] }, ["MissingParameter", "InvalidMessageContents", "InvalidParameterValue",
                                                   "SerializationException", "InvalidParameterValue"])
        XCTAssertTrue(failed.allSatisfy { $0["SenderFault"] == true && $0["Message"]?.stringValue?.isEmpty == false })
        let bodies = try await sqs.bodies(url)
        XCTAssertEqual(bodies, ["fine", "fine too"])
        await sqs.close()
    }

    func testBatchLargerThanTheMessageSizeLimitIsRejected() async throws {
        let sqs = try await SQSHarness()
        let url = try await sqs.createQueue("q")
        let half = String(repeating: "x", count: 600_000)
        await assertSQSError("BatchRequestTooLong", query: "AWS.SimpleQueueService.BatchRequestTooLong") {
            try await sqs.call(.sendMessageBatch, ["QueueUrl": .string(url), "Entries": [
                ["Id": "a", "MessageBody": .string(half)], ["Id": "b", "MessageBody": .string(half)],
            ]])
        }
        await sqs.close()
    }

    func testDeleteAndChangeVisibilityBatchesReportEachEntry() async throws {
        let sqs = try await SQSHarness()
        let url = try await sqs.createQueue("q", ["VisibilityTimeout": "30"])
        for i in 0..<3 { try await sqs.send(url, "m\(i)") }
        let handles = try await sqs.receive(url).compactMap { $0["ReceiptHandle"] }
        XCTAssertEqual(handles.count, 3)

        let changed = try await sqs.call(.changeMessageVisibilityBatch, ["QueueUrl": .string(url), "Entries": [
            ["Id": "release", "ReceiptHandle": handles[0], "VisibilityTimeout": 0],
            ["Id": "bad", "ReceiptHandle": "garbage", "VisibilityTimeout": 0],
            ["Id": "too-long", "ReceiptHandle": handles[1], "VisibilityTimeout": 43_201],
        ]])
        XCTAssertEqual(changed["Successful"], [["Id": "release"]])
        XCTAssertEqual(changed["Failed"]?.arrayValue?.map { $0["Code"] }, ["ReceiptHandleIsInvalid", "InvalidParameterValue"])
        let released = try await sqs.bodies(url)
        XCTAssertEqual(released, ["m0"])

        let deleted = try await sqs.call(.deleteMessageBatch, ["QueueUrl": .string(url), "Entries": [
            ["Id": "one", "ReceiptHandle": handles[1]],
            ["Id": "bad", "ReceiptHandle": "garbage"],
            ["Id": "missing"],
            ["Id": "two", "ReceiptHandle": handles[2]],
        ]])
        XCTAssertEqual(deleted["Successful"], [["Id": "one"], ["Id": "two"]])
        XCTAssertEqual(deleted["Failed"], [
            ["Id": "bad", "SenderFault": true, "Code": "ReceiptHandleIsInvalid",
             "Message": "The input receipt handle \"garbage\" is not a valid receipt handle."],
            ["Id": "missing", "SenderFault": true, "Code": "MissingParameter",
             "Message": "The request must contain the parameter ReceiptHandle."],
        ])
        sqs.advance(seconds: 30)
        let left = try await sqs.bodies(url)
        XCTAssertEqual(left, ["m0"], "only the released message is left")
        await sqs.close()
    }
}
