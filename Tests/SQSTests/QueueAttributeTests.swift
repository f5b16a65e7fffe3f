import XCTest
import JSON
import Wire
@testable import SQS

final class QueueAttributeTests: XCTestCase {
    func testNewQueuesHaveAWSDefaults() async throws {
        let sqs = try await SQSHarness()
        sqs.clock.set(milliseconds: 1_767_225_600_500)
        let url = try await sqs.createQueue("std")
        let attributes = try await sqs.attributes(url)
        XCTAssertEqual(attributes, [
            "QueueArn": sqs.arn("std"),
            "ApproximateNumberOfMessages": "0",
            "ApproximateNumberOfMessagesNotVisible": "0",
            "ApproximateNumberOfMessagesDelayed": "0",
            "CreatedTimestamp": "1767225600",
            "LastModifiedTimestamp": "1767225600",
            "VisibilityTimeout": "30",
            "MaximumMessageSize": "1048576",
            "MessageRetentionPeriod": "345600",
            "DelaySeconds": "0",
            "ReceiveMessageWaitTimeSeconds": "0",
            "SqsManagedSseEnabled": "true",
        ])
        let fifo = try await sqs.createFifoQueue("f.fifo")
        let fifoAttributes = try await sqs.attributes(fifo)
        XCTAssertEqual(fifoAttributes["FifoQueue"], "true")
        XCTAssertEqual(fifoAttributes["ContentBasedDeduplication"], "false")
        XCTAssertEqual(fifoAttributes["DeduplicationScope"], "queue")
        XCTAssertEqual(fifoAttributes["FifoThroughputLimit"], "perQueue")
        await sqs.close()
    }

    func testGetQueueAttributesReturnsOnlyWhatWasAskedFor() async throws {
        let sqs = try await SQSHarness()
        let url = try await sqs.createQueue("q")
        let some = try await sqs.attributes(url, ["VisibilityTimeout", "DelaySeconds"])
        XCTAssertEqual(some, ["VisibilityTimeout": "30", "DelaySeconds": "0"])
        let output = try await sqs.call(.getQueueAttributes, ["QueueUrl": .string(url)])
        XCTAssertEqual(output, [:], "no AttributeNames, no attributes")
        let fifoOnly = try await sqs.attributes(url, ["FifoQueue", "ContentBasedDeduplication"])
        XCTAssertEqual(fifoOnly, [:], "FIFO attributes do not exist on a standard queue")
        for name in ["Bogus", "all", "visibilitytimeout"] {
            await assertSQSError("InvalidAttributeName", message: "Unknown Attribute \(name).") {
                try await sqs.attributes(url, [name])
            }
        }
        await sqs.close()
    }

    func testSetQueueAttributesUpdatesValuesAndModifiedTime() async throws {
        let sqs = try await SQSHarness()
        let url = try await sqs.createQueue("q")
        sqs.advance(seconds: 10)
        try await sqs.setAttributes(url, ["VisibilityTimeout": "0", "MessageRetentionPeriod": "60", "Policy": #"{"Version":"2012-10-17"}"#])
        let attributes = try await sqs.attributes(url)
        XCTAssertEqual(attributes["VisibilityTimeout"], "0")
        XCTAssertEqual(attributes["MessageRetentionPeriod"], "60")
        XCTAssertEqual(attributes["Policy"], #"{"Version":"2012-10-17"}"#)
        XCTAssertEqual(Int(attributes["LastModifiedTimestamp"] ?? ""), Int(attributes["CreatedTimestamp"] ?? "")! + 10)
        await assertSQSError("MissingRequiredParameterException", query: "MissingParameter") { try await sqs.call(.setQueueAttributes, ["QueueUrl": .string(url)]) }
        await sqs.close()
    }

    func testInvalidAttributeValuesAreRejected() async throws {
        let sqs = try await SQSHarness()
        let url = try await sqs.createQueue("q")
        let fifo = try await sqs.createFifoQueue("f.fifo")
        let table: [(String, String)] = [
            ("VisibilityTimeout", "-1"), ("VisibilityTimeout", "43201"), ("VisibilityTimeout", "abc"), ("VisibilityTimeout", ""),
            ("VisibilityTimeout", "1.5"),
            ("MaximumMessageSize", "1023"), ("MaximumMessageSize", "1048577"),
            ("MessageRetentionPeriod", "59"), ("MessageRetentionPeriod", "1209601"),
            ("DelaySeconds", "901"), ("ReceiveMessageWaitTimeSeconds", "21"),
            ("KmsDataKeyReusePeriodSeconds", "59"), ("SqsManagedSseEnabled", "yes"),
            ("Policy", "not json"), ("Policy", "[]"),
            ("RedrivePolicy", "{}"), ("RedrivePolicy", "[1]"),
            ("RedrivePolicy", #"{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq"}"#),
            ("RedrivePolicy", #"{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq","maxReceiveCount":0}"#),
            ("RedrivePolicy", #"{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq","maxReceiveCount":1001}"#),
            ("RedrivePolicy", #"{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:missing","maxReceiveCount":1}"#),
            ("RedriveAllowPolicy", #"{"redrivePermission":"sometimes"}"#),
            ("RedriveAllowPolicy", #"{"redrivePermission":"byQueue"}"#),
            ("RedriveAllowPolicy", #"{"redrivePermission":"allowAll","sourceQueueArns":["arn:aws:sqs:us-east-1:000000000000:q"]}"#),
        ]
        for (name, value) in table {
            await assertSQSError("InvalidAttributeValue") { try await sqs.setAttributes(url, [name: value]) }
            await assertSQSError("InvalidAttributeValue") { try await sqs.createQueue("new", [name: value]) }
        }
        // A target that is not an ARN at all is a bad parameter value, as on AWS.
        let notAnArn = #"{"deadLetterTargetArn":"not-an-arn","maxReceiveCount":1}"#
        await assertSQSError("InvalidParameterValue",
                             message: "Value \(notAnArn) for parameter RedrivePolicy is invalid. Reason: Invalid value for deadLetterTargetArn.") {
            try await sqs.setAttributes(url, ["RedrivePolicy": notAnArn])
        }
        for (name, value) in [("DeduplicationScope", "group"), ("FifoThroughputLimit", "perGroup"), ("ContentBasedDeduplication", "1")] {
            await assertSQSError("InvalidAttributeValue") { try await sqs.setAttributes(fifo, [name: value]) }
        }
        // Boundaries are accepted.
        for (name, value) in [("VisibilityTimeout", "0"), ("VisibilityTimeout", "43200"), ("MaximumMessageSize", "1024"),
                              ("MessageRetentionPeriod", "1209600"), ("DelaySeconds", "900"), ("ReceiveMessageWaitTimeSeconds", "20")] {
            try await sqs.setAttributes(url, [name: value])
        }
        await sqs.close()
    }

    func testUnknownReadOnlyAndWrongTypeAttributeNamesAreRejected() async throws {
        let sqs = try await SQSHarness()
        let url = try await sqs.createQueue("q")
        for name in ["Bogus", "QueueArn", "ApproximateNumberOfMessages", "CreatedTimestamp", "All",
                     "FifoQueue", "ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit"] {
            await assertSQSError("InvalidAttributeName", message: "Unknown Attribute \(name).") {
                try await sqs.setAttributes(url, [name: "true"])
            }
        }
        await assertSQSError("InvalidAttributeName") { try await sqs.createQueue("new", ["ContentBasedDeduplication": "true"]) }
        let fifo = try await sqs.createFifoQueue("f.fifo")
        await assertSQSError("InvalidAttributeValue", message: "Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.") {
            try await sqs.setAttributes(fifo, ["FifoQueue": "false"])
        }
        await sqs.close()
    }

    func testKMSAndSQSManagedEncryptionAreExclusive() async throws {
        let sqs = try await SQSHarness()
        let url = try await sqs.createQueue("q", ["KmsMasterKeyId": "alias/aws/sqs"])
        let attributes = try await sqs.attributes(url)
        XCTAssertEqual(attributes["KmsMasterKeyId"], "alias/aws/sqs")
        XCTAssertEqual(attributes["SqsManagedSseEnabled"], "false", "a KMS key turns SQS-managed SSE off")
        XCTAssertEqual(attributes["KmsDataKeyReusePeriodSeconds"], "300")
        try await sqs.setAttributes(url, ["SqsManagedSseEnabled": "true"])
        let managed = try await sqs.attributes(url)
        XCTAssertNil(managed["KmsMasterKeyId"], "SQS-managed SSE drops the KMS key")
        XCTAssertEqual(managed["SqsManagedSseEnabled"], "true")
        await assertSQSError("InvalidAttributeName") {
            try await sqs.createQueue("both", ["KmsMasterKeyId": "k", "SqsManagedSseEnabled": "true"])
        }
        await sqs.close()
    }
}

final class PermissionTests: XCTestCase {
    func policy(_ sqs: SQSHarness, _ url: String) async throws -> JSONValue? {
        try await sqs.attributes(url, ["Policy"])["Policy"].map { try JSONValue.parse($0) }
    }

    func testAddAndRemovePermissionEditThePolicyDocument() async throws {
        let sqs = try await SQSHarness()
        let url = try await sqs.createQueue("q")
        try await sqs.call(.addPermission, ["QueueUrl": .string(url), "Label": "one",
                                            "AWSAccountIds": ["111122223333"], "Actions": ["SendMessage"]])
        let first = try await policy(sqs, url)
        XCTAssertEqual(first?.jsonString, """
            {"Version":"2008-10-17","Id":"arn:aws:sqs:us-east-1:000000000000:q/SQSDefaultPolicy","Statement":[\
            {"Sid":"one","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},\
            "Action":"SQS:SendMessage","Resource":"arn:aws:sqs:us-east-1:000000000000:q"}]}
            """)

        try await sqs.call(.addPermission, ["QueueUrl": .string(url), "Label": "two",
                                            "AWSAccountIds": ["111122223333", "444455556666"],
                                            "Actions": ["ReceiveMessage", "DeleteMessage"]])
        let second = try await policy(sqs, url)
        let statements = second?["Statement"]?.arrayValue ?? []
        XCTAssertEqual(statements.map { $0["Sid"] }, ["one", "two"])
        XCTAssertEqual(statements[1]["Principal"], ["AWS": ["arn:aws:iam::111122223333:root", "arn:aws:iam::444455556666:root"]])
        XCTAssertEqual(statements[1]["Action"], ["SQS:ReceiveMessage", "SQS:DeleteMessage"])

        try await sqs.call(.removePermission, ["QueueUrl": .string(url), "Label": "one"])
        let remaining = try await policy(sqs, url)
        XCTAssertEqual(remaining?["Statement"]?.arrayValue?.map { $0["Sid"] }, ["two"])

        try await sqs.call(.removePermission, ["QueueUrl": .string(url), "Label": "two"])
        let emptied = try await policy(sqs, url)
        XCTAssertNil(emptied, "no statements left, no Policy attribute")
        await sqs.close()
    }

    func testPermissionErrors() async throws {
        let sqs = try await SQSHarness()
        let url = try await sqs.createQueue("q")
        let add: JSONValue = ["QueueUrl": .string(url), "Label": "L", "AWSAccountIds": ["111122223333"], "Actions": ["SendMessage"]]
        try await sqs.call(.addPermission, add)
        await assertSQSError("InvalidParameterValue", message: "Value L for parameter Label is invalid. Reason: Already exists.") {
            try await sqs.call(.addPermission, add)
        }
        await assertSQSError("InvalidParameterValue") {
            try await sqs.call(.removePermission, ["QueueUrl": .string(url), "Label": "missing"])
        }
        await assertSQSError("InvalidParameterValue") {
            try await sqs.call(.addPermission, ["QueueUrl": .string(url), "Label": "bad label",
                                                "AWSAccountIds": ["111122223333"], "Actions": ["SendMessage"]])
        }
        await assertSQSError("InvalidParameterValue") {
            try await sqs.call(.addPermission, ["QueueUrl": .string(url), "Label": "M",
                                                "AWSAccountIds": ["111122223333"], "Actions": ["CreateQueue"]])
        }
        await assertSQSError("MissingRequiredParameterException", query: "MissingParameter") {
            try await sqs.call(.addPermission, ["QueueUrl": .string(url), "Label": "M", "AWSAccountIds": [], "Actions": ["SendMessage"]])
        }
        await assertSQSError("MissingRequiredParameterException", query: "MissingParameter") {
            try await sqs.call(.addPermission, ["QueueUrl": .string(url), "Label": "M", "AWSAccountIds": ["111122223333"]])
        }
        await sqs.close()
    }
}

final class TagTests: XCTestCase {
    func testTagUntagAndListKeepTheClientsOrder() async throws {
        let sqs = try await SQSHarness()
        let created = try await sqs.call(.createQueue, ["QueueName": "q", "tags": ["team": "a", "env": "dev"]])
        let url = try XCTUnwrap(created["QueueUrl"])
        try await sqs.call(.tagQueue, ["QueueUrl": url, "Tags": ["env": "prod", "cost": "1"]])
        let listed = try await sqs.call(.listQueueTags, ["QueueUrl": url])
        XCTAssertEqual(listed, ["Tags": ["team": "a", "env": "prod", "cost": "1"]])
        try await sqs.call(.untagQueue, ["QueueUrl": url, "TagKeys": ["team", "absent"]])
        let after = try await sqs.call(.listQueueTags, ["QueueUrl": url])
        XCTAssertEqual(after, ["Tags": ["env": "prod", "cost": "1"]])
        try await sqs.call(.untagQueue, ["QueueUrl": url, "TagKeys": ["env", "cost"]])
        let none = try await sqs.call(.listQueueTags, ["QueueUrl": url])
        XCTAssertEqual(none, [:])
        await assertSQSError("InvalidParameterValue") { try await sqs.call(.tagQueue, ["QueueUrl": url, "Tags": [:]]) }
        await assertSQSError("MissingRequiredParameterException", query: "MissingParameter") { try await sqs.call(.untagQueue, ["QueueUrl": url]) }
        await sqs.close()
    }
}
