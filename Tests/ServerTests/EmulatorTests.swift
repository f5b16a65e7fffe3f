import Foundation
import XCTest
@testable import Server
import Wire

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The whole emulator in-process, as a Swift user's XCTest would start it.
final class EmulatorTests: XCTestCase {
    func startEmulator() async throws -> Emulator {
        try await Emulator.start(Emulator.Configuration(port: 0, dataDirectory: nil))
    }

    func post(_ port: Int, target: String, body: String) async throws -> (Int, [String: String], String) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/")!)
        request.httpMethod = "POST"
        request.setValue("application/x-amz-json-1.0", forHTTPHeaderField: "Content-Type")
        request.setValue(target, forHTTPHeaderField: "X-Amz-Target")
        request.setValue("AWS4-HMAC-SHA256 Credential=test/20260101/eu-west-1/sqs/aws4_request, SignedHeaders=host, Signature=0",
                         forHTTPHeaderField: "Authorization")
        request.httpBody = Data(body.utf8)
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        var headers: [String: String] = [:]
        for (k, v) in http.allHeaderFields { headers[String(describing: k).lowercased()] = String(describing: v) }
        return (http.statusCode, headers, String(decoding: data, as: UTF8.self))
    }

    func testHealthReportsServicesAndDataFile() async throws {
        let emulator = try await startEmulator()
        defer { Task { await emulator.shutdown() } }
        let (data, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(emulator.port)/_offcloud/health")!)
        XCTAssertEqual((response as! HTTPURLResponse).statusCode, 200)
        let text = String(decoding: data, as: UTF8.self)
        XCTAssertTrue(text.contains("\"sqs\":\"running\""), text)
        XCTAssertTrue(text.contains("\"lambda\":\"running\""), text)
        XCTAssertTrue(text.contains("\"apigateway\":\"running\""), text)
        XCTAssertTrue(text.contains("\":memory:\""), text)
    }

    func testCreateQueueUsesRegionFromCredentialScopeAndHostFromRequest() async throws {
        let emulator = try await startEmulator()
        defer { Task { await emulator.shutdown() } }
        let (status, headers, body) = try await post(emulator.port, target: "AmazonSQS.CreateQueue", body: #"{"QueueName":"q"}"#)
        XCTAssertEqual(status, 200)
        XCTAssertEqual(body, #"{"QueueUrl":"http://127.0.0.1:\#(emulator.port)/000000000000/q"}"#)
        XCTAssertNotNil(headers["x-amzn-requestid"])
        let (_, _, attributes) = try await post(emulator.port, target: "AmazonSQS.GetQueueAttributes",
                                                body: #"{"QueueUrl":"http://127.0.0.1:\#(emulator.port)/000000000000/q","AttributeNames":["QueueArn"]}"#)
        XCTAssertEqual(attributes, #"{"Attributes":{"QueueArn":"arn:aws:sqs:eu-west-1:000000000000:q"}}"#)
    }

    func testUnknownTargetIsUnknownOperationException() async throws {
        let emulator = try await startEmulator()
        defer { Task { await emulator.shutdown() } }
        let (status, _, body) = try await post(emulator.port, target: "AmazonSQS.Frobnicate", body: "{}")
        XCTAssertEqual(status, 400)
        XCTAssertTrue(body.contains("UnknownOperationException"), body)
    }

    func testNonExistentQueueCarriesTheLegacyQueryCode() async throws {
        let emulator = try await startEmulator()
        defer { Task { await emulator.shutdown() } }
        let (status, headers, body) = try await post(emulator.port, target: "AmazonSQS.GetQueueUrl", body: #"{"QueueName":"missing"}"#)
        XCTAssertEqual(status, 400)
        XCTAssertEqual(headers["x-amzn-query-error"], "AWS.SimpleQueueService.NonExistentQueue;Sender")
        XCTAssertTrue(body.contains("\"__type\":\"com.amazonaws.sqs#QueueDoesNotExist\""), body)
    }
}
