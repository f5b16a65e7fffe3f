import XCTest
import JSON
import Wire
@testable import SQS

final class QueueLifecycleTests: XCTestCase {
    func testCreateQueueReturnsURLFromHostAndAccount() async throws {
        let sqs = try await SQSHarness()
        let url = try await sqs.createQueue("orders")
        XCTAssertEqual(url, "http://localhost:4566/000000000000/orders")
        let got = try await sqs.call(.getQueueUrl, ["QueueName": "orders"])
        XCTAssertEqual(got["QueueUrl"]?.stringValue, url)
        let attributes = try await sqs.attributes(url, ["QueueArn"])
        XCTAssertEqual(attributes, ["QueueArn": "arn:aws:sqs:us-east-1:000000000000:orders"])
        await sqs.close()
    }

    func testCreateQueueIsIdempotentWhenAttributesMatch() async throws {
        let sqs = try await SQSHarness()
        let url = try await sqs.createQueue("q", ["VisibilityTimeout": "45", "DelaySeconds": "2"])
        let again = try await sqs.createQueue("q", ["VisibilityTimeout": "45", "DelaySeconds": "2"])
        XCTAssertEqual(again, url)
        // Only the attributes given are compared: fewer, or defaults spelled out, still match.
        let fewer = try await sqs.createQueue("q", ["DelaySeconds": "2"])
        XCTAssertEqual(fewer, url)
        let none = try await sqs.createQueue("q")
        XCTAssertEqual(none, url)
        let defaults = try await sqs.createQueue("q", ["MaximumMessageSize": "1048576"])
        XCTAssertEqual(defaults, url)
        await sqs.close()
    }

    func testCreateQueueWithDifferentAttributesIsQueueNameExists() async throws {
        let sqs = try await SQSHarness()
        try await sqs.createQueue("q", ["VisibilityTimeout": "45"])
        await assertSQSError("QueueNameExists", query: "QueueAlreadyExists",
                             message: "A queue already exists with the same name and a different value for attribute VisibilityTimeout") {
            try await sqs.createQueue("q", ["VisibilityTimeout": "46"])
        }
        await assertSQSError("QueueNameExists", query: "QueueAlreadyExists") {
            try await sqs.createQueue("q", ["DelaySeconds": "1"])
        }
        await sqs.close()
    }

    func testCreateQueueValidatesNames() async throws {
        let sqs = try await SQSHarness()
        let invalid: [(String, [String: String])] = [
            ("", [:]),
            ("has space", [:]),
            ("dot.name", [:]),
            ("slash/name", [:]),
            ("é", [:]),
            (String(repeating: "a", count: 81), [:]),
            ("ends.fifo", [:]),
            ("no-suffix", ["FifoQueue": "true"]),
            (".fifo", ["FifoQueue": "true"]),
            (String(repeating: "a", count: 76) + ".fifo", ["FifoQueue": "true"]),
        ]
        for (name, attributes) in invalid {
            await assertSQSError("InvalidParameterValue") { try await sqs.createQueue(name, attributes) }
        }
        try await sqs.createQueue(String(repeating: "a", count: 80))
        try await sqs.createQueue("A-z_0-9")
        try await sqs.createQueue(String(repeating: "b", count: 75) + ".fifo", ["FifoQueue": "true"])
        await sqs.close()
    }

    func testGetQueueUrlAndDeleteQueue() async throws {
        let sqs = try await SQSHarness()
        await assertSQSError("QueueDoesNotExist", query: "AWS.SimpleQueueService.NonExistentQueue",
                             message: "The specified queue does not exist.") {
            try await sqs.call(.getQueueUrl, ["QueueName": "missing"])
        }
        let url = try await sqs.createQueue("doomed")
        try await sqs.send(url, "m")
        try await sqs.call(.deleteQueue, ["QueueUrl": .string(url)])
        for operation: SQSOperation in [.deleteQueue, .getQueueAttributes, .purgeQueue, .receiveMessage] {
            await assertSQSError("QueueDoesNotExist", query: "AWS.SimpleQueueService.NonExistentQueue") {
                try await sqs.call(operation, ["QueueUrl": .string(url)])
            }
        }
        await assertSQSError("QueueDoesNotExist", query: "AWS.SimpleQueueService.NonExistentQueue") {
            try await sqs.send(url, "m")
        }
        // The name is free again, and the new queue starts empty.
        let again = try await sqs.createQueue("doomed")
        let counts = try await sqs.count(again)
        XCTAssertEqual(counts.visible, 0)
        await sqs.close()
    }

    func testQueueURLsAreResolvedByAccountAndName() async throws {
        let sqs = try await SQSHarness()
        try await sqs.createQueue("q")
        try await sqs.send("https://sqs.us-east-1.amazonaws.com/000000000000/q", "any host")
        try await sqs.send("q", "bare name")
        let bodies = try await sqs.bodies(sqs.url("q"))
        XCTAssertEqual(bodies, ["any host", "bare name"])
        for url in ["http://localhost:4566/111111111111/q", "http://localhost:4566/notanaccount/q", "http://localhost:4566"] {
            await assertSQSError("QueueDoesNotExist", query: "AWS.SimpleQueueService.NonExistentQueue") {
                try await sqs.send(url, "m")
            }
        }
        await sqs.close()
    }

    func testMissingAndMistypedMembers() async throws {
        let sqs = try await SQSHarness()
        await assertSQSError("MissingRequiredParameterException", query: "MissingParameter", message: "The request must contain the parameter QueueName.") {
            try await sqs.call(.createQueue, [:])
        }
        await assertSQSError("MissingRequiredParameterException", query: "MissingParameter", message: "The request must contain the parameter QueueUrl.") {
            try await sqs.call(.sendMessage, ["MessageBody": "x"])
        }
        await assertSQSError("SerializationException") {
            try await sqs.call(.createQueue, ["QueueName": 5])
        }
        // Query-protocol text that is not a number: AWS's InvalidParameterValue wording.
        let url = try await sqs.createQueue("q")
        await assertSQSError("InvalidParameterValue",
                             message: "Value 'ten' for parameter MaxNumberOfMessages is invalid. Reason: Must be an integer.") {
            try await sqs.service.invoke(.receiveMessage, ShapeReader(["QueueUrl": .string(url), "MaxNumberOfMessages": "ten"], lenient: true),
                                         sqs.context)
        }
        await sqs.close()
    }
}

final class ListQueuesTests: XCTestCase {
    func testListQueuesPaginatesInNameOrder() async throws {
        let sqs = try await SQSHarness()
        for name in ["q5", "q1", "other", "q3", "q2", "q4"] { try await sqs.createQueue(name) }

        var seen: [String] = []
        var token: String?
        var pages = 0
        repeat {
            var input = JSONObject(["QueueNamePrefix": "q", "MaxResults": 2])
            if let token { input["NextToken"] = .string(token) }
            let page = try await sqs.call(.listQueues, .object(input))
            let urls = page["QueueUrls"]?.arrayValue?.compactMap(\.stringValue) ?? []
            XCTAssertLessThanOrEqual(urls.count, 2)
            seen += urls
            token = page["NextToken"]?.stringValue
            pages += 1
        } while token != nil && pages < 10
        XCTAssertEqual(seen, ["q1", "q2", "q3", "q4", "q5"].map(sqs.url))
        XCTAssertEqual(pages, 3)

        let all = try await sqs.call(.listQueues, [:])
        XCTAssertEqual(all["QueueUrls"]?.arrayValue?.count, 6)
        XCTAssertNil(all["NextToken"], "no token without MaxResults")

        let exact = try await sqs.call(.listQueues, ["QueueNamePrefix": "q", "MaxResults": 5])
        XCTAssertEqual(exact["QueueUrls"]?.arrayValue?.count, 5)
        XCTAssertNil(exact["NextToken"], "no token when the page holds the rest")

        let none = try await sqs.call(.listQueues, ["QueueNamePrefix": "zzz"])
        XCTAssertEqual(none["QueueUrls"], [])
        await sqs.close()
    }

    func testListQueuesValidatesMaxResultsAndToken() async throws {
        let sqs = try await SQSHarness()
        for bad: JSONValue in [0, 1001, -1] {
            await assertSQSError("InvalidParameterValue") { try await sqs.call(.listQueues, ["MaxResults": bad]) }
        }
        for token in ["not base64!", "aGVsbG8="] {
            await assertSQSError("InvalidParameterValue") {
                try await sqs.call(.listQueues, ["MaxResults": 1, "NextToken": .string(token)])
            }
        }
        await sqs.close()
    }
}

final class PurgeQueueTests: XCTestCase {
    func testPurgeDeletesMessagesAndASecondPurgeWithinSixtySecondsFails() async throws {
        let sqs = try await SQSHarness()
        let url = try await sqs.createQueue("q")
        for i in 0..<3 { try await sqs.send(url, "m\(i)") }
        _ = try await sqs.receive(url, max: 1)
        try await sqs.call(.purgeQueue, ["QueueUrl": .string(url)])
        let counts = try await sqs.count(url)
        XCTAssertEqual(counts.visible + counts.inFlight + counts.delayed, 0)

        await assertSQSError("PurgeQueueInProgress", query: "AWS.SimpleQueueService.PurgeQueueInProgress",
                             message: "Only one PurgeQueue operation on q is allowed every 60 seconds.", status: 403) {
            try await sqs.call(.purgeQueue, ["QueueUrl": .string(url)])
        }
        sqs.advance(milliseconds: 59_999)
        await assertSQSError("PurgeQueueInProgress", query: "AWS.SimpleQueueService.PurgeQueueInProgress", status: 403) {
            try await sqs.call(.purgeQueue, ["QueueUrl": .string(url)])
        }
        sqs.advance(milliseconds: 1)
        try await sqs.call(.purgeQueue, ["QueueUrl": .string(url)])
        await sqs.close()
    }
}
