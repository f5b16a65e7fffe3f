import Foundation
import JSON
@testable import Lambda
import Storage
import Wire
import XCTest

/// Event invocations are queued in SQLite: an accepted event survives a restart and
/// keeps its retry schedule (a minute, then two), on the emulator's clock.
final class AsyncInvocationTests: XCTestCase {
    let context = RequestContext(requestId: "test", accountId: "000000000000", region: "us-east-1", host: "localhost")

    /// Calls seen by a handler, safe to read from the test.
    final class Calls: @unchecked Sendable {
        private let lock = NSLock()
        private var events: [JSONValue] = []
        func record(_ event: JSONValue) { lock.withLock { events.append(event) } }
        var all: [JSONValue] { lock.withLock { events } }
    }

    func queued(_ database: Database) async throws -> [(Int64, Int64)] {
        try await database.read { db in
            try db.all("SELECT attempt, due FROM lambda_async_invocations", []) { ($0.int64(0), $0.int64(1)) }
        }
    }

    /// Waits (bounded) until `condition` holds.
    func eventually(_ message: String, _ condition: @escaping () async throws -> Bool) async throws {
        for _ in 0..<400 {
            if try await condition() { return }
            try await Task.sleep(nanoseconds: 10_000_000)
        }
        XCTFail("timed out waiting for \(message)")
    }

    func testQueuedEventSurvivesARestartAndIsRetriedOnSchedule() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lambda-async-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let clock = ManualClock()
        let start = clock.nowMilliseconds()

        // First life: the handler fails, so the event is kept for its retry a minute later.
        let failing = LambdaHandlers()
        let firstCalls = Calls()
        failing.register("work") { event, _ in
            firstCalls.record(event)
            throw LambdaFunctionError("Busy", "try later")
        }
        var database = try Database(path: path)
        var service = try await LambdaService(database: database, handlers: failing, clock: clock)
        _ = try await service.invoke(.createFunction, try ShapeReader([
            "FunctionName": "work", "Runtime": "provided.al2023", "Handler": "work",
            "Role": "arn:aws:iam::000000000000:role/test", "Code": ["ZipFile": "eA=="]]), context)
        let accepted = try await service.invoke(.invoke, try ShapeReader([
            "FunctionName": "work", "InvocationType": "Event", "Payload": #"{"order":1}"#]), context)
        XCTAssertEqual(accepted["StatusCode"], 202)
        try await eventually("the first attempt") { firstCalls.all.count == 1 }
        try await eventually("the retry to be scheduled") { try await self.queued(database).first?.0 == 1 }
        let due = try await queued(database).first?.1
        XCTAssertEqual(due, start + 60_000)
        await service.shutdown()
        database.close()

        // Second life: the queued event runs when its retry is due, and then is gone.
        let working = LambdaHandlers()
        let secondCalls = Calls()
        working.register("work") { event, _ in
            secondCalls.record(event)
            return "done"
        }
        database = try Database(path: path)
        service = try await LambdaService(database: database, handlers: working, clock: clock)
        await service.resumeEventSourceMappings()
        try await Task.sleep(nanoseconds: 50_000_000)
        XCTAssertEqual(secondCalls.all.count, 0, "not before the retry is due")
        clock.advance(milliseconds: 60_000)
        try await eventually("the retry") { secondCalls.all.count == 1 }
        XCTAssertEqual(secondCalls.all.first, ["order": 1])
        try await eventually("the queue to empty") { try await self.queued(database).isEmpty }
        await service.shutdown()
        database.close()
    }

    func testEventIsDroppedAfterTwoRetries() async throws {
        let clock = ManualClock()
        let handlers = LambdaHandlers()
        let calls = Calls()
        handlers.register("fail") { event, _ in
            calls.record(event)
            throw LambdaFunctionError("Broken", "always")
        }
        let database = try Database(path: nil)
        let service = try await LambdaService(database: database, handlers: handlers, clock: clock)
        _ = try await service.invoke(.createFunction, try ShapeReader([
            "FunctionName": "fail", "Runtime": "provided.al2023", "Handler": "fail",
            "Role": "arn:aws:iam::000000000000:role/test", "Code": ["ZipFile": "eA=="]]), context)
        _ = try await service.invoke(.invoke, try ShapeReader(["FunctionName": "fail", "InvocationType": "Event"]), context)
        try await eventually("the first attempt") { calls.all.count == 1 }
        try await eventually("the first retry to be scheduled") { try await self.queued(database).first?.0 == 1 }
        clock.advance(milliseconds: 60_000)
        try await eventually("the first retry") { calls.all.count == 2 }
        try await eventually("the second retry to be scheduled") { try await self.queued(database).first?.0 == 2 }
        clock.advance(milliseconds: 120_000)
        try await eventually("the second retry") { calls.all.count == 3 }
        try await eventually("the event to be dropped") { try await self.queued(database).isEmpty }
        XCTAssertEqual(calls.all.count, 3)
        await service.shutdown()
        database.close()
    }
}
