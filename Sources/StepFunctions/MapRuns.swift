import Foundation
import JSON
import States
import Storage
import Wire

/// Map Runs in progress in this process: one task each, awaited by the parent.
actor MapRunTasks {
    private var running: [String: Task<[JSONValue], Error>] = [:]

    func start(_ arn: String, _ body: @escaping @Sendable () async throws -> [JSONValue]) {
        running[arn] = Task { try await body() }
    }

    func result(_ arn: String) async throws -> [JSONValue] {
        guard let task = running[arn] else { throw StatesError.runtime("Map Run \(arn) is not running") }
        defer { running[arn] = nil }
        return try await withTaskCancellationHandler {
            try await task.value
        } onCancel: {
            task.cancel()
        }
    }

    func cancelAll() {
        for t in running.values { t.cancel() }
        running.removeAll()
    }
}

/// The StepFunctions service's Map Runs: child executions of a DISTRIBUTED Map, in
/// SQLite like any execution, listed by ListMapRuns and ListExecutions(mapRunArn).
struct ServiceMapRunner: DistributedMapRunner {
    let service: StepFunctionsService

    func readItems(_ reader: JSONValue, scope: EvaluationScope) async throws -> [JSONValue] {
        try ItemReaderSource(reader, root: service.itemReaderRoot).read(scope: scope)
    }

    func startMapRun(_ request: MapRunRequest) async throws -> String {
        let info = request.execution
        let parts = SFNArn(info.executionArn)
        let region = parts?.region ?? "us-east-1", account = parts?.account ?? "000000000000"
        let label = request.label ?? request.stateName
        let childMachine = "\(info.stateMachineName)/\(label)"
        let mapRunArn = "arn:aws:states:\(region):\(account):mapRun:\(childMachine):\(UUID().uuidString.lowercased())"
        let childMachineArn = SFNArn.stateMachine(region: region, account: account, name: childMachine)
        let definition = request.definition.jsonString
        let now = service.clock.nowMilliseconds()
        let express = request.executionType == "EXPRESS"
        let children: [String] = request.inputs.indices.map { i in
            let name = UUID().uuidString.lowercased()
            return express
                ? SFNArn.expressExecution(region: region, account: account, machine: childMachine, name: name, id: UUID().uuidString.lowercased())
                : SFNArn.execution(region: region, account: account, machine: childMachine, name: name)
        }
        let inputs = request.inputs
        try await service.database.transaction { db in
            try db.run("""
                INSERT INTO sfn_map_runs (arn, execution_arn, state_machine_arn, status, started_at, max_concurrency, tolerated_count,
                                          tolerated_percentage, total)
                VALUES (?, ?, ?, 'RUNNING', ?, ?, ?, ?, ?)
                """, [.text(mapRunArn), .text(info.executionArn), .text(childMachineArn), .integer(now),
                      .integer(Int64(request.maxConcurrency)), request.toleratedFailureCount.map { .integer(Int64($0)) } ?? .null,
                      request.toleratedFailurePercentage.map { .real(Double($0)) } ?? .null, .integer(Int64(inputs.count))])
            for (i, arn) in children.enumerated() {
                try db.run("""
                    INSERT INTO sfn_executions (arn, state_machine_arn, name, type, status, input, started_at, definition, role_arn,
                                                map_run_arn, item_index)
                    VALUES (?, ?, ?, ?, 'PENDING', ?, ?, ?, ?, ?, ?)
                    """, [.text(arn), .text(childMachineArn), .text(String(arn.split(separator: ":")[7])),
                          .text(request.executionType), .text(inputs[i].jsonString), .integer(now), .text(definition),
                          .text(info.roleArn), .text(mapRunArn), .integer(Int64(i))])
            }
        }
        let service = self.service
        await service.mapRuns.start(mapRunArn) {
            try await service.runMapRun(mapRunArn, children: children)
        }
        return mapRunArn
    }

    func awaitMapRun(_ mapRunArn: String) async throws -> [JSONValue] {
        try await service.mapRuns.result(mapRunArn)
    }
}

extension StepFunctionsService {
    /// Launches the children at most `max_concurrency` at a time (re-read from the Map
    /// Run, so UpdateMapRun takes effect), fails the run past its tolerated failures.
    func runMapRun(_ mapRunArn: String, children: [String]) async throws -> [JSONValue] {
        var outputs = [JSONValue](repeating: .null, count: children.count)
        var failures = 0
        var next = 0
        func settings() async throws -> (Int, Int?, Double?) {
            try await database.transaction { db in
                try db.first("SELECT max_concurrency, tolerated_count, tolerated_percentage FROM sfn_map_runs WHERE arn = ?",
                             [.text(mapRunArn)]) { ($0.int(0), $0.isNull(1) ? nil : $0.int(1), $0.isNull(2) ? nil : $0.double(2)) }
                    ?? (0, nil, nil)
            }
        }
        do {
            try await withThrowingTaskGroup(of: (Int, ExecutionOutcome?).self) { group in
                var inFlight = 0
                func fill() async throws {
                    let (limit, _, _) = try await settings()
                    let cap = limit == 0 ? 1000 : limit
                    while next < children.count && inFlight < cap {
                        let i = next, arn = children[i]
                        next += 1
                        inFlight += 1
                        try await database.transaction { db in
                            try db.run("UPDATE sfn_executions SET status = 'RUNNING' WHERE arn = ?", .text(arn))
                        }
                        let task = try await launch(arn, resume: false)
                        group.addTask { (i, await task?.value) }
                    }
                }
                try await fill()
                while let (i, outcome) = try await group.next() {
                    inFlight -= 1
                    switch outcome {
                    case .succeeded(let output)?:
                        outputs[i] = output
                    default:
                        failures += 1
                        let (_, count, percentage) = try await settings()
                        let exceeded = failures > (count ?? 0) && (percentage == nil || Double(failures) * 100 / Double(children.count) > percentage!)
                        if (count != nil || percentage != nil) ? exceeded : true {
                            throw StatesError("States.ExceedToleratedFailureThreshold", "The specified tolerated failure threshold was exceeded")
                        }
                        if case .failed(let error)? = outcome {
                            outputs[i] = ["Error": .string(error.error), "Cause": .string(error.cause)]
                        }
                    }
                    try await fill()
                }
            }
            try await finishMapRun(mapRunArn, status: "SUCCEEDED", error: nil)
            return outputs
        } catch let error as StatesError {
            for arn in children { await runner.stop(arn) }
            try? await database.transaction { db in
                try db.run("UPDATE sfn_executions SET status = 'ABORTED' WHERE map_run_arn = ? AND status IN ('PENDING', 'RUNNING')",
                           .text(mapRunArn))
            }
            try? await finishMapRun(mapRunArn, status: "FAILED", error: error)
            throw error
        } catch {
            for arn in children { await runner.stop(arn) }
            try? await finishMapRun(mapRunArn, status: "ABORTED", error: nil)
            throw error
        }
    }

    func finishMapRun(_ arn: String, status: String, error: StatesError?) async throws {
        let now = clock.nowMilliseconds()
        try await database.transaction { db in
            try db.run("UPDATE sfn_map_runs SET status = ?, stopped_at = ?, error = ?, cause = ? WHERE arn = ?",
                       .text(status), .integer(now), SQLValue(error?.error), SQLValue(error?.cause), .text(arn))
        }
    }

    func listMapRuns(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let executionArn = try input.requiredString("executionArn")
        guard SFNArn(executionArn) != nil else { throw SFNError.invalidArn(executionArn) }
        let (limit, offset) = try Self.page(input)
        let rows: [JSONValue] = try await database.transaction { db in
            guard try db.execution(executionArn) != nil else { throw SFNError.executionDoesNotExist(executionArn) }
            return try db.all("""
                SELECT execution_arn, arn, state_machine_arn, started_at, stopped_at FROM sfn_map_runs WHERE execution_arn = ?
                ORDER BY started_at, rowid LIMIT ? OFFSET ?
                """, [.text(executionArn), .integer(Int64(limit + 1)), .integer(Int64(offset))]) { row in
                var o = JSONObject()
                o.append("executionArn", .string(row.text(0)))
                o.append("mapRunArn", .string(row.text(1)))
                o.append("stateMachineArn", .string(row.text(2)))
                o.append("startDate", Self.date(row.int64(3)))
                if let s = row.optionalInt64(4) { o.append("stopDate", Self.date(s)) }
                return .object(o)
            }
        }
        return Self.pageOutput("mapRuns", rows, limit: limit, offset: offset)
    }

    func describeMapRun(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let arn = try input.requiredString("mapRunArn")
        guard let parsed = SFNArn(arn), parsed.kind == "mapRun" else { throw SFNError.invalidArn(arn) }
        let found: (JSONObject, [String: Int])? = try await database.transaction { db in
            guard let run = try db.first("""
                SELECT execution_arn, status, started_at, stopped_at, max_concurrency, tolerated_count, tolerated_percentage, total
                FROM sfn_map_runs WHERE arn = ?
                """, [.text(arn)], { row -> JSONObject in
                var o = JSONObject()
                o.append("mapRunArn", .string(arn))
                o.append("executionArn", .string(row.text(0)))
                o.append("status", .string(row.text(1)))
                o.append("startDate", Self.date(row.int64(2)))
                if let s = row.optionalInt64(3) { o.append("stopDate", Self.date(s)) }
                o.append("maxConcurrency", .integer(row.int64(4)))
                o.append("toleratedFailurePercentage", .number(row.isNull(6) ? "0.0" : String(row.double(6))))
                o.append("toleratedFailureCount", .integer(row.isNull(5) ? 0 : row.int64(5)))
                o.append("total", .integer(row.int64(7)))
                return o
            }) else { return nil }
            var counts: [String: Int] = [:]
            try db.query("SELECT status, COUNT(*) FROM sfn_executions WHERE map_run_arn = ? GROUP BY status", [.text(arn)]) {
                counts[$0.text(0)] = $0.int(1)
            }
            return (run, counts)
        }
        guard var (o, counts) = found else { throw SFNError.resourceNotFound("Resource not found: '\(arn)'") }
        let total = o["total"]?.intValue ?? 0
        o["total"] = nil
        func countsObject(resultsWritten: Bool) -> JSONValue {
            var c = JSONObject()
            c.append("pending", .integer(counts["PENDING", default: 0]))
            c.append("running", .integer(counts["RUNNING", default: 0]))
            c.append("succeeded", .integer(counts["SUCCEEDED", default: 0]))
            c.append("failed", .integer(counts["FAILED", default: 0]))
            c.append("timedOut", .integer(counts["TIMED_OUT", default: 0]))
            c.append("aborted", .integer(counts["ABORTED", default: 0]))
            c.append("total", .integer(total))
            c.append("resultsWritten", .integer(resultsWritten ? counts["SUCCEEDED", default: 0] : 0))
            c.append("failuresNotRedrivable", 0)
            c.append("pendingRedrive", 0)
            return .object(c)
        }
        o.append("itemCounts", countsObject(resultsWritten: true))
        o.append("executionCounts", countsObject(resultsWritten: true))
        o.append("redriveCount", 0)
        return .object(o)
    }

    func updateMapRun(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let arn = try input.requiredString("mapRunArn")
        guard let parsed = SFNArn(arn), parsed.kind == "mapRun" else { throw SFNError.invalidArn(arn) }
        let concurrency = try input.int("maxConcurrency")
        let count = try input.int("toleratedFailureCount")
        var percentage: Double?
        if let v = input.value("toleratedFailurePercentage") {
            guard case .number(let n) = v, let d = Double(n), (0...100).contains(d) else {
                throw SFNError.validation("toleratedFailurePercentage must be between 0 and 100")
            }
            percentage = d
        }
        guard concurrency != nil || count != nil || percentage != nil else {
            throw SFNError.validation("At least one of maxConcurrency, toleratedFailurePercentage or toleratedFailureCount must be specified")
        }
        let newPercentage = percentage
        try await database.transaction { db in
            guard try db.first("SELECT 1 FROM sfn_map_runs WHERE arn = ?", [.text(arn)], { _ in true }) != nil else {
                throw SFNError.resourceNotFound("Resource not found: '\(arn)'")
            }
            if let concurrency { try db.run("UPDATE sfn_map_runs SET max_concurrency = ? WHERE arn = ?", .integer(Int64(concurrency)), .text(arn)) }
            if let count { try db.run("UPDATE sfn_map_runs SET tolerated_count = ? WHERE arn = ?", .integer(Int64(count)), .text(arn)) }
            if let newPercentage { try db.run("UPDATE sfn_map_runs SET tolerated_percentage = ? WHERE arn = ?", .real(newPercentage), .text(arn)) }
        }
        return [:]
    }
}
