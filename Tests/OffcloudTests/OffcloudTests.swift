#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Foundation
import JSON
import Lambda
import Offcloud
import XCTest

/// The library product as a Swift test uses it: the README's example, a virtual clock,
/// a port for SDK clients, and AWS's error codes from the in-process client.
final class OffcloudTests: XCTestCase {
    struct TimedOut: Error {}

    /// Polls `check` until it returns a value (bounded: 10 s).
    func eventually<T>(_ check: () async throws -> T?) async throws -> T {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if let value = try await check() { return value }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        throw TimedOut()
    }

    func testQueueToHandlerToTable() async throws {
        let handlers = LambdaHandlers()
        handlers.register("SaveOrder") { event, context in
            for record in event["Records"]?.arrayValue ?? [] {
                let order = try JSONValue.parse(record["body"]?.stringValue ?? "{}")
                _ = try await context.aws?.call(service: "dynamodb", operation: "PutItem",
                                                input: ["TableName": "orders", "Item": ["id": ["S": order["id"] ?? "?"]]])
            }
            return .null
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("offcloud-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let template = folder.appendingPathComponent("template.yaml")
        try """
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Orders:
                Type: AWS::DynamoDB::Table
                Properties:
                  TableName: orders
                  AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                  KeySchema: [{AttributeName: id, KeyType: HASH}]
              Inbox:
                Type: AWS::SQS::Queue
              SaveOrder:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: SaveOrder
                  Events:
                    FromInbox: {Type: SQS, Properties: {Queue: !GetAtt Inbox.Arn}}
            Outputs:
              InboxUrl: {Value: !Ref Inbox}
            """.write(to: template, atomically: true, encoding: .utf8)

        let offcloud = try await Offcloud.start(port: nil, handlers: handlers, template: template.path)
        XCTAssertNil(offcloud.endpoint)
        let url = try XCTUnwrap(offcloud.outputs["InboxUrl"])
        _ = try await offcloud.aws.call(service: "sqs", operation: "SendMessage", input: ["QueueUrl": .string(url), "MessageBody": #"{"id":"o-1"}"#])
        let item = try await eventually {
            try await offcloud.aws.call(service: "dynamodb", operation: "GetItem", input: ["TableName": "orders", "Key": ["id": ["S": "o-1"]]])["Item"]
        }
        XCTAssertEqual(item["id"], ["S": "o-1"])
        await offcloud.stop()
    }

    func testWaitStateMovesWithTheVirtualClock() async throws {
        let offcloud = try await Offcloud.start(port: nil, virtualClock: true)
        let definition: JSONValue = ["StartAt": "Day", "States": ["Day": ["Type": "Wait", "Seconds": 86_400, "End": true]]]
        let machine = try await offcloud.aws.call(service: "stepfunctions", operation: "CreateStateMachine", input: [
            "name": "day", "definition": .string(definition.jsonString), "roleArn": "arn:aws:iam::000000000000:role/test"])
        let execution = try await offcloud.aws.call(service: "stepfunctions", operation: "StartExecution",
                                                    input: ["stateMachineArn": machine["stateMachineArn"] ?? .null])
        func status() async throws -> String? {
            try await offcloud.aws.call(service: "stepfunctions", operation: "DescribeExecution",
                                        input: ["executionArn": execution["executionArn"] ?? .null])["status"]?.stringValue
        }
        // The Wait has fixed its wake-up time once it is in the history; move the clock after that.
        _ = try await eventually { () -> Bool? in
            let history = try await offcloud.aws.call(service: "stepfunctions", operation: "GetExecutionHistory",
                                                      input: ["executionArn": execution["executionArn"] ?? .null])
            return history["events"]?.arrayValue?.contains { $0["type"] == "WaitStateEntered" } == true ? true : nil
        }
        let started = offcloud.now
        let running = try await status()
        XCTAssertEqual(running, "RUNNING")
        offcloud.advanceClock(seconds: 86_400)
        let ended = try await eventually { try await status() == "SUCCEEDED" ? true : nil }
        XCTAssertTrue(ended)
        XCTAssertEqual(offcloud.now - started, 86_400_000)
        await offcloud.stop()
    }

    func testListensOnAFreePortForSDKClients() async throws {
        let offcloud = try await Offcloud.start()
        let endpoint = try XCTUnwrap(offcloud.endpoint)
        let (_, response) = try await URLSession.shared.data(from: URL(string: "\(endpoint)/_offcloud/health")!)
        XCTAssertEqual((response as? HTTPURLResponse)?.statusCode, 200)
        await offcloud.stop()
    }

    func testServiceErrorsCarryAWSCodes() async throws {
        let offcloud = try await Offcloud.start(port: nil)
        do {
            _ = try await offcloud.aws.call(service: "dynamodb", operation: "GetItem", input: ["TableName": "missing", "Key": ["id": ["S": "x"]]])
            XCTFail("GetItem on a missing table succeeded")
        } catch let error as LambdaFunctionError {
            XCTAssertEqual(error.errorType, "ResourceNotFoundException")
        }
        await offcloud.stop()
    }
}
