import Foundation
import XCTest
import JSON
import Wire
@testable import SQS

final class SendReceiveTests: XCTestCase {
    func testSendReturnsIdAndBodyMD5AndReceiveReturnsTheMessage() async throws {
        let sqs = try await SQSHarness()
        let url = try await sqs.createQueue("q")
        let sent = try await sqs.send(url, "hello world")
        XCTAssertEqual(sent["MD5OfMessageBody"], "5eb63bbbe01eeed093cb22bb8f5acdc3")
        XCTAssertNil(sent["MD5OfMessageAttributes"])
        let id = try XCTUnwrap(sent["MessageId"]?.stringValue)
        XCTAssertNotNil(UUID(uuidString: id))
        XCTAssertEqual(id, id.lowercased())

        let messages = try await sqs.receive(url, ["AttributeNames": ["All"]])
        XCTAssertEqual(messages.count, 1)
        let m = messages[0]
        XCTAssertEqual(m["MessageId"]?.stringValue, id)
        XCTAssertEqual(m["Body"], "hello world")
        XCTAssertEqual(m["MD5OfBody"], "5eb63bbbe01eeed093cb22bb8f5acdc3")
        XCTAssertNotNil(m["ReceiptHandle"]?.stringValue)
        XCTAssertEqual(m["Attributes"]?["ApproximateReceiveCount"], "1")
        XCTAssertEqual(m["Attributes"]?["SenderId"], "000000000000")
        XCTAssertEqual(m["Attributes"]?["SentTimestamp"], .string(String(sqs.clock.nowMilliseconds())))
        XCTAssertEqual(m["Attributes"]?["ApproximateFirstReceiveTimestamp"], .string(String(sqs.clock.nowMilliseconds())))
        XCTAssertNil(m["Attributes"]?["SequenceNumber"], "standard queues have no sequence numbers")
        await sqs.close()
    }

    func testReceiveReturnsOnlyTheSystemAttributesAskedFor() async throws {
        let sqs = try await SQSHarness()
        let url = try await sqs.createQueue("q")
        try await sqs.send(url, "m", ["MessageSystemAttributes": ["AWSTraceHeader": ["DataType": "String", "StringValue": "Root=1-abc"]]])
        let messages = try await sqs.receive(url, ["MessageSystemAttributeNames": ["SentTimestamp", "AWSTraceHeader"]])
        XCTAssertEqual(messages.first?["Attributes"]?.objectValue?.keys, ["SentTimestamp", "AWSTraceHeader"])
        XCTAssertEqual(messages.first?["Attributes"]?["AWSTraceHeader"], "Root=1-abc")
        await assertSQSError("InvalidAttributeName") { try await sqs.receive(url, ["AttributeNames": ["Bogus"]]) }
        await sqs.close()
    }

    func testReceiveReturnsAtMostMaxNumberOfMessagesInSendOrder() async throws {
        let sqs = try await SQSHarness()
        let url = try await sqs.createQueue("q")
        for i in 0..<15 { try await sqs.send(url, "m\(i)") }
        let first = try await sqs.bodies(url, max: 10)
        XCTAssertEqual(first, (0..<10).map { "m\($0)" })
        let rest = try await sqs.bodies(url, max: 10)
        XCTAssertEqual(rest, (10..<15).map { "m\($0)" })
        let none = try await sqs.bodies(url)
        XCTAssertEqual(none, [])
        let output = try await sqs.call(.receiveMessage, ["QueueUrl": .string(url)])
        XCTAssertEqual(output, [:], "an empty receive has no Messages member")
        await sqs.close()
    }

    func testReceiveValidatesItsParameters() async throws {
        let sqs = try await SQSHarness()
        let url = try await sqs.createQueue("q")
        let table: [JSONValue] = [
            ["MaxNumberOfMessages": 0], ["MaxNumberOfMessages": 11], ["VisibilityTimeout": -1], ["VisibilityTimeout": 43_201],
            ["WaitTimeSeconds": 21], ["WaitTimeSeconds": -1], ["MessageAttributeNames": ["AWS.reserved"]],
            ["MessageAttributeNames": ["bad..name"]], ["ReceiveRequestAttemptId": ""],
        ]
        for extra in table {
            var input = extra.objectValue ?? JSONObject()
            input["QueueUrl"] = .string(url)
            await assertSQSError("InvalidParameterValue") { try await sqs.call(.receiveMessage, .object(input)) }
        }
        await sqs.close()
    }

    func testInvalidBodiesAreRejected() async throws {
        let sqs = try await SQSHarness()
        let url = try await sqs.createQueue("q", ["MaximumMessageSize": "1024"])
        await assertSQSError("MissingRequiredParameterException", query: "MissingParameter") { try await sqs.send(url, "") }
        for body in ["\u{0}", "a\u{1}b", "\u{1F}", "\u{FFFE}", "\u{FFFF}"] {
            await assertSQSError("InvalidMessageContents") { try await sqs.send(url, body) }
        }
        // Tab, newline, carriage return and everything from U+0020 up are fine.
        try await sqs.send(url, "\t\n\r é \u{D7FF} \u{E000} \u{FFFD} \u{10000} \u{10FFFF}")
        try await sqs.send(url, String(repeating: "x", count: 1024))
        await assertSQSError("InvalidParameterValue") { try await sqs.send(url, String(repeating: "x", count: 1025)) }
        // Attribute names, types and values count toward the limit.
        await assertSQSError("InvalidParameterValue") {
            try await sqs.send(url, String(repeating: "x", count: 1000),
                               ["MessageAttributes": ["name": ["DataType": "String", "StringValue": .string(String(repeating: "v", count: 20))]]])
        }
        await sqs.close()
    }

    func testLongPollReturnsAsSoonAsAMessageArrives() async throws {
        let sqs = try await SQSHarness()
        let url = try await sqs.createQueue("q")
        async let received = sqs.receive(url, ["WaitTimeSeconds": 20])
        try await Task.sleep(for: .milliseconds(20))
        try await sqs.send(url, "wake up")
        let messages = try await received
        XCTAssertEqual(messages.map { $0["Body"] }, ["wake up"])
        await sqs.close()
    }

    func testLongPollEndsWhenTheInjectedClockPassesItsDeadline() async throws {
        let sqs = try await SQSHarness()
        let url = try await sqs.createQueue("q")
        async let received = sqs.receive(url, ["WaitTimeSeconds": 20])
        // Advance in steps until the poll has parked and then ended; bounded.
        for _ in 0..<200 {
            try await Task.sleep(for: .milliseconds(5))
            sqs.advance(seconds: 1)
        }
        let messages = try await received
        XCTAssertEqual(messages, [])
        await sqs.close()
    }
}

final class MessageAttributeTests: XCTestCase {
    /// Expected digests are published vectors (aws-sdk-js docs examples, LocalStack
    /// and YDB test suites), cross-checked with a Python implementation of AWS's
    /// documented algorithm; binary values are base64 of the raw bytes.
    static let vectors: [(JSONValue, String)] = [
        (["SellerName": ["DataType": "String", "StringValue": "Example Store"]], "cd28f3b68aeee4b2eac9c66f2f694b58"),
        ([
            "City": ["DataType": "String", "StringValue": "Any City"],
            "PostalCode": ["DataType": "String", "StringValue": "99065"],
            "Region": ["DataType": "String", "StringValue": "WA"],
            "SellerName": ["DataType": "String", "StringValue": "Example Store"],
        ], "66d793da93becb551e41562575418975"),
        ([
            "SellerName": ["DataType": "String", "StringValue": "Example Store"],
            "Region": ["DataType": "String", "StringValue": "WA"],
            "PricePerGallon": ["DataType": "Number", "StringValue": "1.99"],
            "PostalCode": ["DataType": "String", "StringValue": "99065"],
            "City": ["DataType": "String", "StringValue": "Any City"],
        ], "10809b55e3d9b22c17220b7dbaf283ef"),
        (["timestamp": ["DataType": "Number", "StringValue": "1493147359900"]], "235c5c510d26fb653d073faed50ae77c"),
        ([
            "test_attribute_name_2": ["DataType": "String", "StringValue": "test_attribute_value_2"],
            "test_attribute_name_1": ["DataType": "String", "StringValue": "test_attribute_value_1"],
        ], "d53f3b558fe951154770f25cb63dbba9"),
        (["test_attribute_name": ["DataType": "Binary", "BinaryValue": "dGVzdF9hdHRyaWJ1dGVfdmFsdWU="]], "23f6bd27ea87aab7dfeadcc9aebee495"),
        // Sorted by name (Z < a < b), custom type suffix, non-ASCII text, bytes 0x00 and 0xFF.
        ([
            "b": ["DataType": "String.custom", "StringValue": "héllo 😀"],
            "a": ["DataType": "Binary", "BinaryValue": "AAEC/w=="],
            "Z": ["DataType": "Number", "StringValue": "-1.5e3"],
        ], "4807c9038528a59df50f892683d16744"),
    ]

    func testMD5OfMessageAttributesMatchesAWS() async throws {
        let sqs = try await SQSHarness()
        let url = try await sqs.createQueue("q")
        for (attributes, expected) in Self.vectors {
            let sent = try await sqs.send(url, "body", ["MessageAttributes": attributes])
            XCTAssertEqual(sent["MD5OfMessageAttributes"]?.stringValue, expected, attributes.jsonString)
            let received = try await sqs.receive(url, max: 1, ["MessageAttributeNames": ["All"]])
            XCTAssertEqual(received.first?["MD5OfMessageAttributes"]?.stringValue, expected, "on receive: \(attributes.jsonString)")
            XCTAssertEqual(received.first?["MessageAttributes"], attributes.objectValue.map { o in
                // Returned as sent, StringValue/BinaryValue first, then DataType.
                .object(JSONObject(o.members.map { m in
                    var value = JSONObject()
                    for field in ["StringValue", "BinaryValue", "DataType"] { if let v = m.value[field] { value[field] = v } }
                    return JSONObject.Member(m.key, .object(value))
                }))
            })
            if let message = received.first { try await sqs.delete(url, message) }
        }
        await sqs.close()
    }

    func testSendMessageBatchReportsAttributeMD5PerEntry() async throws {
        let sqs = try await SQSHarness()
        let url = try await sqs.createQueue("q")
        let output = try await sqs.call(.sendMessageBatch, ["QueueUrl": .string(url), "Entries": [
            ["Id": "plain", "MessageBody": "x"],
            ["Id": "attrs", "MessageBody": "y", "MessageAttributes": Self.vectors[0].0],
        ]])
        let successful = output["Successful"]?.arrayValue ?? []
        XCTAssertEqual(successful.map { $0["Id"] }, ["plain", "attrs"])
        XCTAssertNil(successful[0]["MD5OfMessageAttributes"])
        XCTAssertEqual(successful[1]["MD5OfMessageAttributes"]?.stringValue, Self.vectors[0].1)
        XCTAssertEqual(successful[1]["MD5OfMessageBody"], "415290769594460e2e485922904f345d")
        await sqs.close()
    }

    func testReceiveSelectsAttributesByNameAndPrefix() async throws {
        let sqs = try await SQSHarness()
        let url = try await sqs.createQueue("q")
        let attributes: JSONValue = [
            "order.id": ["DataType": "String", "StringValue": "1"],
            "order.total": ["DataType": "Number", "StringValue": "9.5"],
            "trace": ["DataType": "String", "StringValue": "t"],
        ]
        try await sqs.send(url, "m", ["MessageAttributes": attributes])
        let table: [([String], [String])] = [
            (["All"], ["order.id", "order.total", "trace"]),
            ([".*"], ["order.id", "order.total", "trace"]),
            (["order.*"], ["order.id", "order.total"]),
            (["trace", "missing"], ["trace"]),
            ([], []),
            (["missing"], []),
        ]
        for (names, expected) in table {
            let m = try await sqs.receive(url, max: 1, visibility: 0, ["MessageAttributeNames": .array(names.map { .string($0) })]).first
            XCTAssertEqual(m?["MessageAttributes"]?.objectValue?.keys ?? [], expected, "\(names)")
            XCTAssertEqual(m?["MD5OfMessageAttributes"] == nil, expected.isEmpty, "\(names)")
        }
        await sqs.close()
    }

    func testInvalidMessageAttributesAreRejected() async throws {
        let sqs = try await SQSHarness()
        let url = try await sqs.createQueue("q")
        let table: [JSONValue] = [
            ["AWS.x": ["DataType": "String", "StringValue": "v"]],
            ["amazon.x": ["DataType": "String", "StringValue": "v"]],
            [".lead": ["DataType": "String", "StringValue": "v"]],
            ["trail.": ["DataType": "String", "StringValue": "v"]],
            ["a..b": ["DataType": "String", "StringValue": "v"]],
            ["sp ace": ["DataType": "String", "StringValue": "v"]],
            ["n": ["StringValue": "v"]],
            ["n": ["DataType": "", "StringValue": "v"]],
            ["n": ["DataType": "Text", "StringValue": "v"]],
            ["n": ["DataType": "String"]],
            ["n": ["DataType": "String", "StringValue": ""]],
            ["n": ["DataType": "Binary", "BinaryValue": ""]],
            ["n": ["DataType": "Number", "StringValue": "twelve"]],
            ["n": ["DataType": "Number", "StringValue": "NaN"]],
            ["n": ["DataType": "Binary", "StringValue": "v"]],
            ["n": ["DataType": "Binary", "BinaryValue": "not base64!"]],
            .object(JSONObject((0..<11).map { JSONObject.Member("a\($0)", ["DataType": "String", "StringValue": "v"]) })),
        ]
        for attributes in table {
            await assertSQSError("InvalidParameterValue") { try await sqs.send(url, "m", ["MessageAttributes": attributes]) }
        }
        await assertSQSError("InvalidMessageContents") {
            try await sqs.send(url, "m", ["MessageAttributes": ["n": ["DataType": "String", "StringValue": "\u{1}"]]])
        }
        await assertSQSError("InvalidParameterValue") {
            try await sqs.send(url, "m", ["MessageSystemAttributes": ["Other": ["DataType": "String", "StringValue": "v"]]])
        }
        await sqs.close()
    }
}
