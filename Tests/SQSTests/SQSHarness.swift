import XCTest
import JSON
import Storage
import Wire
@testable import SQS

/// One SQS engine over an in-memory database and a manual clock, driven the way the
/// Wire layer drives it: a decoded JSON request through `invoke`.
struct SQSHarness: Sendable {
    let database: Database
    let clock: ManualClock
    let service: SQSService
    let context = RequestContext(requestId: "r", accountId: "000000000000", region: "us-east-1", host: "localhost:4566")

    init() async throws {
        database = try Database(path: nil)
        clock = ManualClock()
        service = try await SQSService(database: database, clock: clock)
    }

    func close() async {
        await service.shutdown()
        database.close()
    }

    @discardableResult
    func call(_ operation: SQSOperation, _ input: JSONValue) async throws -> JSONValue {
        try await service.invoke(operation, ShapeReader(input), context)
    }

    func advance(seconds: Int64) { clock.advance(milliseconds: seconds * 1000) }
    func advance(milliseconds: Int64) { clock.advance(milliseconds: milliseconds) }

    // MARK: queues

    func url(_ name: String) -> String { "http://localhost:4566/000000000000/\(name)" }
    func arn(_ name: String) -> String { "arn:aws:sqs:us-east-1:000000000000:\(name)" }

    @discardableResult
    func createQueue(_ name: String, _ attributes: [String: String] = [:]) async throws -> String {
        var input = JSONObject(["QueueName": .string(name)])
        if !attributes.isEmpty {
            input["Attributes"] = .object(JSONObject(attributes.sorted { $0.key < $1.key }.map { JSONObject.Member($0.key, .string($0.value)) }))
        }
        let output = try await call(.createQueue, .object(input))
        return try XCTUnwrap(output["QueueUrl"]?.stringValue)
    }

    func createFifoQueue(_ name: String, _ attributes: [String: String] = [:]) async throws -> String {
        try await createQueue(name, attributes.merging(["FifoQueue": "true"]) { a, _ in a })
    }

    func attributes(_ url: String, _ names: [String] = ["All"]) async throws -> [String: String] {
        let output = try await call(.getQueueAttributes, ["QueueUrl": .string(url), "AttributeNames": .array(names.map { .string($0) })])
        var result: [String: String] = [:]
        for m in output["Attributes"]?.objectValue ?? JSONObject() { result[m.key] = m.value.stringValue }
        return result
    }

    func setAttributes(_ url: String, _ attributes: [String: String]) async throws {
        try await call(.setQueueAttributes, [
            "QueueUrl": .string(url),
            "Attributes": .object(JSONObject(attributes.map { JSONObject.Member($0.key, .string($0.value)) })),
        ])
    }

    // MARK: messages

    @discardableResult
    func send(_ url: String, _ body: String, _ extra: JSONValue = [:]) async throws -> JSONValue {
        var input = extra.objectValue ?? JSONObject()
        input["QueueUrl"] = .string(url)
        input["MessageBody"] = .string(body)
        return try await call(.sendMessage, .object(input))
    }

    func receive(_ url: String, max: Int = 10, visibility: Int? = nil, _ extra: JSONValue = [:]) async throws -> [JSONValue] {
        var input = extra.objectValue ?? JSONObject()
        input["QueueUrl"] = .string(url)
        input["MaxNumberOfMessages"] = .integer(max)
        if let visibility { input["VisibilityTimeout"] = .integer(visibility) }
        return try await call(.receiveMessage, .object(input))["Messages"]?.arrayValue ?? []
    }

    func bodies(_ url: String, max: Int = 10, visibility: Int? = nil) async throws -> [String] {
        try await receive(url, max: max, visibility: visibility).map { $0["Body"]?.stringValue ?? "?" }
    }

    func delete(_ url: String, _ message: JSONValue) async throws {
        try await call(.deleteMessage, ["QueueUrl": .string(url), "ReceiptHandle": message["ReceiptHandle"] ?? .null])
    }

    func count(_ url: String) async throws -> (visible: Int, inFlight: Int, delayed: Int) {
        let a = try await attributes(url, ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
                                           "ApproximateNumberOfMessagesDelayed"])
        return (Int(a["ApproximateNumberOfMessages"] ?? "") ?? -1, Int(a["ApproximateNumberOfMessagesNotVisible"] ?? "") ?? -1,
                Int(a["ApproximateNumberOfMessagesDelayed"] ?? "") ?? -1)
    }
}

/// Asserts that `body` throws an `SQSError` with the given JSON code and (when it
/// differs) query code.
func assertSQSError<T>(_ code: String, query: String? = nil, message: String? = nil, status: Int = 400,
                       file: StaticString = #filePath, line: UInt = #line,
                       _ body: () async throws -> T) async {
    do {
        let value = try await body()
        XCTFail("expected \(code), got \(value)", file: file, line: line)
    } catch let error as SQSError {
        XCTAssertEqual(error.code, code, error.description, file: file, line: line)
        XCTAssertEqual(error.queryCode, query ?? code, error.description, file: file, line: line)
        if let message { XCTAssertEqual(error.message, message, file: file, line: line) }
        XCTAssertEqual(error.httpStatus, status, error.description, file: file, line: line)
    } catch {
        XCTFail("expected SQSError \(code), got \(error)", file: file, line: line)
    }
}
