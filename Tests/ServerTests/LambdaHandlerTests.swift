import Foundation
import JSON
import Lambda
import XCTest
@testable import Server
import Wire

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Swift closures as Lambda handlers, in an emulator started in-process: Codable
/// events and results, function errors, the handler's log, and the in-process AWS
/// client handlers use to reach other services.
final class LambdaHandlerTests: XCTestCase {
    struct Order: Codable, Sendable { var id: String; var quantity: Int }
    struct Receipt: Codable, Sendable { var id: String; var total: Int }

    let context = RequestContext(requestId: "test", accountId: "000000000000", region: "us-east-1", host: "localhost")

    func startEmulator(_ register: (LambdaHandlers) -> Void) async throws -> Emulator {
        let handlers = LambdaHandlers()
        register(handlers)
        return try await Emulator.start(Emulator.Configuration(port: 0, dataDirectory: nil, handlers: handlers))
    }

    func createFunction(_ emulator: Emulator, name: String, handler: String) async throws {
        let input: JSONValue = ["FunctionName": .string(name), "Runtime": "provided.al2023", "Handler": .string(handler),
                                "Role": "arn:aws:iam::000000000000:role/test", "Code": ["ZipFile": "b2ZmY2xvdWQ="]]
        _ = try await emulator.lambda.invoke(.createFunction, try ShapeReader(input), context)
    }

    /// Invoke over HTTP, as an SDK sends it.
    func invokeOverHTTP(_ port: Int, _ name: String, _ body: String) async throws -> (Int, [String: String], String) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/2015-03-31/functions/\(name)/invocations")!)
        request.httpMethod = "POST"
        request.setValue("AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=0",
                         forHTTPHeaderField: "Authorization")
        request.httpBody = Data(body.utf8)
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        var headers: [String: String] = [:]
        for (k, v) in http.allHeaderFields { headers[String(describing: k).lowercased()] = String(describing: v) }
        return (http.statusCode, headers, String(decoding: data, as: UTF8.self))
    }

    func testCodableHandlerAnswersOverHTTP() async throws {
        let emulator = try await startEmulator { handlers in
            handlers.register("price") { (order: Order, _: LambdaContext) in Receipt(id: order.id, total: order.quantity * 5) }
        }
        defer { Task { await emulator.shutdown() } }
        try await createFunction(emulator, name: "price", handler: "price")
        let (status, headers, body) = try await invokeOverHTTP(emulator.port, "price", #"{"id":"o-1","quantity":3}"#)
        XCTAssertEqual(status, 200)
        XCTAssertNil(headers["x-amz-function-error"])
        let receipt = try JSONDecoder().decode(Receipt.self, from: Data(body.utf8))
        XCTAssertEqual(receipt.id, "o-1")
        XCTAssertEqual(receipt.total, 15)
    }

    func testUndecodableEventIsAnUnmarshalError() async throws {
        let emulator = try await startEmulator { handlers in
            handlers.register("price") { (order: Order, _: LambdaContext) in Receipt(id: order.id, total: 0) }
        }
        defer { Task { await emulator.shutdown() } }
        try await createFunction(emulator, name: "price", handler: "price")
        let (status, headers, body) = try await invokeOverHTTP(emulator.port, "price", #"{"id":7}"#)
        XCTAssertEqual(status, 200)
        XCTAssertEqual(headers["x-amz-function-error"], "Unhandled")
        XCTAssertEqual(try JSONValue.parse(body)["errorType"], "Runtime.UnmarshalError")
    }

    func testThrownFunctionErrorKeepsItsTypeAndTheLogKeepsHandlerLines() async throws {
        let emulator = try await startEmulator { handlers in
            handlers.register("reject") { _, context in
                context.logger.info("checking stock")
                throw LambdaFunctionError("OutOfStock", "no more widgets")
            }
        }
        defer { Task { await emulator.shutdown() } }
        try await createFunction(emulator, name: "reject", handler: "reject")
        let result = try await emulator.lambda.invoke(function: "reject", payload: [:], context: context)
        XCTAssertEqual(result.error, LambdaFunctionError("OutOfStock", "no more widgets"))
        XCTAssertEqual(result.payload["errorType"], "OutOfStock")
        XCTAssertEqual(result.payload["errorMessage"], "no more widgets")
        let lines = result.log.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.first?.hasPrefix("START RequestId: \(result.requestId)") ?? false, result.log)
        XCTAssertTrue(lines.contains("checking stock"), result.log)
        XCTAssertTrue(lines.last?.hasPrefix("REPORT RequestId: \(result.requestId)") ?? false, result.log)
    }

    func testHandlerThatIgnoresCancellationStillTimesOut() async throws {
        let emulator = try await startEmulator { handlers in
            handlers.register("stuck") { _, _ in
                usleep(3_000_000)  // blocks, never checks for cancellation
                return "late"
            }
        }
        defer { Task { await emulator.shutdown() } }
        _ = try await emulator.lambda.invoke(.createFunction, try ShapeReader([
            "FunctionName": "stuck", "Runtime": "provided.al2023", "Handler": "stuck", "Timeout": 1,
            "Role": "arn:aws:iam::000000000000:role/test", "Code": ["ZipFile": "eA=="]]), context)
        let result = try await emulator.lambda.invoke(function: "stuck", payload: [:], context: context)
        XCTAssertEqual(result.error?.errorType, "Sandbox.Timedout")
        XCTAssertEqual(result.error?.errorMessage, "RequestId: \(result.requestId) Error: Task timed out after 1.00 seconds")
    }

    func testHandlerReachesDynamoDBThroughTheInProcessClient() async throws {
        let emulator = try await startEmulator { handlers in
            handlers.register("save") { event, context in
                guard let aws = context.aws else { throw LambdaFunctionError("NoClient", "no in-process client") }
                _ = try await aws.call(service: "dynamodb", operation: "PutItem",
                                       input: ["TableName": "Orders", "Item": ["id": ["S": event["id"] ?? "?"]]])
                return ["saved": event["id"] ?? .null]
            }
        }
        defer { Task { await emulator.shutdown() } }
        _ = try await emulator.lambda.invoke(.createFunction, try ShapeReader([
            "FunctionName": "save", "Runtime": "provided.al2023", "Handler": "save",
            "Role": "arn:aws:iam::000000000000:role/test", "Code": ["ZipFile": "eA=="]]), context)
        let table: JSONValue = ["TableName": "Orders", "BillingMode": "PAY_PER_REQUEST",
                                "AttributeDefinitions": [["AttributeName": "id", "AttributeType": "S"]],
                                "KeySchema": [["AttributeName": "id", "KeyType": "HASH"]]]
        let create = try XCTUnwrap(emulator.dynamoDB.endpoint.operation("CreateTable"))
        _ = try await create.invoke(try ShapeReader(table), context)
        let result = try await emulator.lambda.invoke(function: "save", payload: ["id": "o-9"], context: context)
        XCTAssertNil(result.error, result.payload.jsonString)
        XCTAssertEqual(result.payload, ["saved": "o-9"])
        let get = try XCTUnwrap(emulator.dynamoDB.endpoint.operation("GetItem"))
        let item = try await get.invoke(try ShapeReader(["TableName": "Orders", "Key": ["id": ["S": "o-9"]]]), context)
        XCTAssertEqual(item["Item"]?["id"], ["S": "o-9"])
    }

    func testStateMachineTaskRunsASwiftHandler() async throws {
        let emulator = try await startEmulator { handlers in
            handlers.register("double") { event, _ in .integer((event["n"]?.intValue ?? 0) * 2) }
        }
        defer { Task { await emulator.shutdown() } }
        try await createFunction(emulator, name: "double", handler: "double")
        let invoker = LambdaStatesInvoker(lambda: emulator.lambda)
        let answer = try await invoker.invoke(function: "arn:aws:lambda:us-east-1:000000000000:function:double",
                                              payload: ["n": 21], context: context)
        XCTAssertEqual(answer, 42)
    }
}
