import Foundation
import JSON
import States
import Storage
import Wire

/// An execution row.
struct ExecutionRecord: Sendable {
    var arn: String
    var stateMachineArn: String
    var name: String
    var type: String
    var status: String
    var input: String
    var output: String?
    var error: String?
    var cause: String?
    var startedAt: Int64
    var stoppedAt: Int64?
    var definition: String
    var roleArn: String
    var traceHeader: String?
    var checkpoint: String?
    var nextEventId: Int
    var redriveCount: Int
    var versionArn: String?
    var aliasArn: String?
    var redriveDate: Int64?
    var mapRunArn: String?

    static let columns = """
        arn, state_machine_arn, name, type, status, input, output, error, cause, started_at, stopped_at, definition, role_arn,
        trace_header, checkpoint, next_event_id, redrive_count, version_arn, alias_arn, redrive_date, map_run_arn
        """

    init(_ row: Statement) {
        arn = row.text(0)
        stateMachineArn = row.text(1)
        name = row.text(2)
        type = row.text(3)
        status = row.text(4)
        input = row.text(5)
        output = row.optionalText(6)
        error = row.optionalText(7)
        cause = row.optionalText(8)
        startedAt = row.int64(9)
        stoppedAt = row.optionalInt64(10)
        definition = row.text(11)
        roleArn = row.text(12)
        traceHeader = row.optionalText(13)
        checkpoint = row.optionalText(14)
        nextEventId = row.int(15)
        redriveCount = row.int(16)
        versionArn = row.optionalText(17)
        aliasArn = row.optionalText(18)
        redriveDate = row.optionalInt64(19)
        mapRunArn = row.optionalText(20)
    }
}

extension Connection {
    func execution(_ arn: String) throws -> ExecutionRecord? {
        try first("SELECT \(ExecutionRecord.columns) FROM sfn_executions WHERE arn = ?", [.text(arn)]) { ExecutionRecord($0) }
    }
}

extension StepFunctionsService {
    static let maxPayloadBytes = 262_144

    func startExecution(_ input: ShapeReader, _ context: RequestContext, sync: Bool) async throws -> JSONValue {
        let (machineArn, testCase) = try mockTestCase(in: try input.requiredString("stateMachineArn"))
        let name = try input.string("name") ?? UUID().uuidString.lowercased()
        guard SFNName.isValid(name) else { throw SFNError.invalidName(name) }
        let inputText = try input.string("input") ?? "{}"
        guard inputText.utf8.count <= Self.maxPayloadBytes else {
            throw SFNError.invalidExecutionInput("Invalid State Machine Execution Input: 'The input exceeds the maximum size of 262144 bytes'")
        }
        guard let parsedInput = try? JSONValue.parse(Array(inputText.utf8)) else {
            throw SFNError.invalidExecutionInput("Invalid State Machine Execution Input: 'Unexpected character'")
        }
        let traceHeader = try input.string("traceHeader")
        let now = clock.nowMilliseconds()
        let (arn, existing): (String, Bool) = try await database.transaction { [self] db in
            let target = try resolveTarget(machineArn, db: db)
            let machine = target.machine
            if sync && machine.type != "EXPRESS" {
                throw SFNError.stateMachineTypeNotSupported("This operation is not supported by this type of state machine")
            }
            let arn = machine.type == "EXPRESS"
                ? SFNArn.expressExecution(region: context.region, account: context.accountId, machine: machine.name, name: name,
                                          id: UUID().uuidString.lowercased())
                : SFNArn.execution(region: context.region, account: context.accountId, machine: machine.name, name: name)
            if let previous = try db.execution(arn) {
                // Same name and input while it runs: the same execution (idempotent start).
                if previous.status == "RUNNING" && previous.input == inputText { return (arn, true) }
                throw SFNError.executionAlreadyExists(arn)
            }
            try db.run("""
                INSERT INTO sfn_executions (arn, state_machine_arn, version_arn, alias_arn, name, type, status, input, started_at,
                                            definition, role_arn, trace_header)
                VALUES (?, ?, ?, ?, ?, ?, 'RUNNING', ?, ?, ?, ?, ?)
                """, [.text(arn), .text(machine.arn), SQLValue(target.versionArn), SQLValue(target.aliasArn), .text(name),
                      .text(machine.type), .text(inputText), .integer(now), .text(target.definition), .text(target.roleArn),
                      SQLValue(traceHeader)])
            return (arn, false)
        }
        _ = parsedInput
        if let testCase, !existing { mockedExecutions.value[arn] = testCase }
        let task = existing ? nil : try await launch(arn, resume: false)
        if !sync {
            let started = try await database.transaction { db in try db.execution(arn)?.startedAt } ?? now
            return ["executionArn": .string(arn), "startDate": Self.date(started)]
        }
        if let task { _ = await task.value } else { _ = await runner.outcome(of: arn) }
        let record = try await database.transaction { db in try db.execution(arn) }
        guard let record else { throw SFNError.executionDoesNotExist(arn) }
        var o = JSONObject()
        o.append("executionArn", .string(record.arn))
        o.append("stateMachineArn", .string(record.stateMachineArn))
        o.append("name", .string(record.name))
        o.append("startDate", Self.date(record.startedAt))
        o.append("stopDate", Self.date(record.stoppedAt ?? clock.nowMilliseconds()))
        o.append("status", .string(record.status == "ABORTED" ? "FAILED" : record.status))
        if let e = record.error { o.append("error", .string(e)) }
        if let c = record.cause { o.append("cause", .string(c)) }
        o.append("input", .string(record.input))
        o.append("inputDetails", ["included": true])
        if let out = record.output {
            o.append("output", .string(out))
            o.append("outputDetails", ["included": true])
        }
        if let t = record.traceHeader { o.append("traceHeader", .string(t)) }
        let duration = max(0, (record.stoppedAt ?? record.startedAt) - record.startedAt)
        o.append("billingDetails", ["billedMemoryUsedInMB": 64, "billedDurationInMilliseconds": .integer(max(100, (duration + 99) / 100 * 100))])
        return .object(o)
    }

    /// Runs an execution in the background, from its start or its last checkpoint.
    @discardableResult
    func launch(_ arn: String, resume: Bool) async throws -> Task<ExecutionOutcome, Never>? {
        guard let record = try await database.transaction({ db in try db.execution(arn) }) else { return nil }
        let machine = try Self.parseDefinition(record.definition)
        let input = (try? JSONValue.parse(Array(record.input.utf8))) ?? .object(JSONObject())
        let parts = SFNArn(record.stateMachineArn)
        let info = ExecutionInfo(executionArn: arn, name: record.name, stateMachineArn: record.stateMachineArn,
                                 stateMachineName: parts?.parts.first ?? "", roleArn: record.roleArn,
                                 startTime: record.startedAt, input: input, redriveCount: record.redriveCount)
        var checkpoint: Checkpoint?
        if resume, let text = record.checkpoint, case .object(let o)? = try? JSONValue.parse(Array(text.utf8)),
           let state = o["state"]?.stringValue {
            var variables: [String: JSONValue] = [:]
            for m in o["variables"]?.objectValue ?? JSONObject() { variables[m.key] = m.value }
            checkpoint = Checkpoint(stateName: state, input: o["input"] ?? input, variables: variables,
                                    enteredEventId: o["enteredEventId"]?.intValue,
                                    waitUntil: o["waitUntil"]?.intValue.map { Int64($0) })
        }
        let history = PersistentHistory(executionArn: arn, service: self)
        var interpreter = Interpreter(invoker: integrations.invoker(for: self, region: parts?.region ?? "us-east-1",
                                                                    account: parts?.account ?? "000000000000"),
                                      clock: statesClock)
        interpreter.invoker = mockedInvoker(arn, stateMachine: parts?.parts.first ?? "", fallback: interpreter.invoker)
        interpreter.mapRunner = ServiceMapRunner(service: self)
        let configured = interpreter
        let firstEventId = resume && checkpoint != nil ? record.nextEventId : 1
        let resumePoint = checkpoint
        let database = self.database
        let clock = self.clock
        return await runner.start(arn) {
            let outcome = await configured.run(machine, execution: info, history: history, resumeFrom: resumePoint,
                                                firstEventId: firstEventId)
            if self.suspending.value { return outcome }
            let now = clock.nowMilliseconds()
            let (status, output, error, cause): (String, String?, String?, String?) = {
                switch outcome {
                case .succeeded(let value): return ("SUCCEEDED", value.jsonString, nil, nil)
                case .failed(let e): return ("FAILED", nil, e.error, e.cause)
                case .timedOut: return ("TIMED_OUT", nil, nil, nil)
                case .aborted: return ("ABORTED", nil, nil, nil)
                }
            }()
            _ = try? await database.transaction { db in
                try db.run("""
                    UPDATE sfn_executions SET status = ?, output = ?, error = COALESCE(?, error), cause = COALESCE(?, cause),
                      stopped_at = COALESCE(stopped_at, ?), checkpoint = CASE WHEN ? = 'SUCCEEDED' THEN NULL ELSE checkpoint END
                    WHERE arn = ? AND status = 'RUNNING'
                    """, [.text(status), SQLValue(output), SQLValue(error), SQLValue(cause), .integer(now), .text(status), .text(arn)])
            }
            return outcome
        }
    }

    func describeExecution(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let arn = try input.requiredString("executionArn")
        guard SFNArn(arn) != nil else { throw SFNError.invalidArn(arn) }
        guard let r = try await database.transaction({ db in try db.execution(arn) }) else { throw SFNError.executionDoesNotExist(arn) }
        var o = JSONObject()
        o.append("executionArn", .string(r.arn))
        o.append("stateMachineArn", .string(r.stateMachineArn))
        o.append("name", .string(r.name))
        o.append("status", .string(r.status))
        o.append("startDate", Self.date(r.startedAt))
        if let s = r.stoppedAt { o.append("stopDate", Self.date(s)) }
        o.append("input", .string(r.input))
        o.append("inputDetails", ["included": true])
        if let out = r.output {
            o.append("output", .string(out))
            o.append("outputDetails", ["included": true])
        }
        if let t = r.traceHeader { o.append("traceHeader", .string(t)) }
        if let e = r.error { o.append("error", .string(e)) }
        if let c = r.cause { o.append("cause", .string(c)) }
        if let m = r.mapRunArn { o.append("mapRunArn", .string(m)) }
        if let v = r.versionArn { o.append("stateMachineVersionArn", .string(v)) }
        if let a = r.aliasArn { o.append("stateMachineAliasArn", .string(a)) }
        o.append("redriveCount", .integer(r.redriveCount))
        if let d = r.redriveDate { o.append("redriveDate", Self.date(d)) }
        let (redrivable, reason) = Self.redrivability(r, now: clock.nowMilliseconds())
        o.append("redriveStatus", .string(redrivable ? "REDRIVABLE" : "NOT_REDRIVABLE"))
        if let reason { o.append("redriveStatusReason", .string(reason)) }
        return .object(o)
    }

    func describeStateMachineForExecution(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let arn = try input.requiredString("executionArn")
        guard SFNArn(arn) != nil else { throw SFNError.invalidArn(arn) }
        let found: (ExecutionRecord, StateMachineRecord?)? = try await database.transaction { db in
            guard let e = try db.execution(arn) else { return nil }
            return (e, try db.stateMachine(e.stateMachineArn))
        }
        guard let (execution, machine) = found else { throw SFNError.executionDoesNotExist(arn) }
        var o = JSONObject()
        o.append("stateMachineArn", .string(execution.stateMachineArn))
        o.append("name", .string(SFNArn(execution.stateMachineArn)?.parts.first ?? ""))
        o.append("definition", .string(execution.definition))
        o.append("roleArn", .string(execution.roleArn))
        o.append("updateDate", Self.date(machine?.updatedAt ?? execution.startedAt))
        o.append("loggingConfiguration", machine?.logging.flatMap { try? JSONValue.parse($0) } ?? ["level": "OFF", "includeExecutionData": false])
        o.append("tracingConfiguration", machine?.tracing.flatMap { try? JSONValue.parse($0) } ?? ["enabled": false])
        if let revision = machine?.revisionId { o.append("revisionId", .string(revision)) }
        return .object(o)
    }

    func stopExecution(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let arn = try input.requiredString("executionArn")
        guard SFNArn(arn) != nil else { throw SFNError.invalidArn(arn) }
        let error = try input.string("error")
        let cause = try input.string("cause")
        let now = clock.nowMilliseconds()
        let wasRunning: Bool = try await database.transaction { db in
            guard let r = try db.execution(arn) else { throw SFNError.executionDoesNotExist(arn) }
            guard r.status == "RUNNING" else { return false }
            try db.run("UPDATE sfn_executions SET status = 'ABORTED', stopped_at = ?, error = ?, cause = ? WHERE arn = ?",
                       .integer(now), SQLValue(error), SQLValue(cause), .text(arn))
            return true
        }
        if wasRunning {
            await runner.stop(arn)
            // The interpreter records ExecutionAborted; add AWS's error and cause to it.
            try await database.transaction { db in
                guard let (id, details) = try db.first("""
                    SELECT id, details FROM sfn_history WHERE execution_arn = ? AND type = 'ExecutionAborted' ORDER BY id DESC LIMIT 1
                    """, [.text(arn)], { ($0.int64(0), $0.optionalText(1)) }) else { return }
                var o = details.flatMap { try? JSONValue.parse(Array($0.utf8)) }?.objectValue ?? JSONObject()
                if let error { o["error"] = .string(error) }
                if let cause { o["cause"] = .string(cause) }
                try db.run("UPDATE sfn_history SET details = ? WHERE execution_arn = ? AND id = ?",
                           .text(JSONValue.object(o).jsonString), .text(arn), .integer(id))
            }
        }
        return ["stopDate": Self.date(now)]
    }

    func listExecutions(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let mapRunArn = try input.string("mapRunArn")
        guard let machineArn = try input.string("stateMachineArn") ?? mapRunArn else {
            throw SFNError.validation("Must provide a StateMachine ARN or MapRun ARN")
        }
        let status = try input.string("statusFilter")
        if let status, !["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE"].contains(status) {
            throw SFNError.validation("1 validation error detected: Value '\(status)' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set")
        }
        let redriveFilter = try input.string("redriveFilter")
        if let redriveFilter, redriveFilter != "REDRIVEN" && redriveFilter != "NOT_REDRIVEN" {
            throw SFNError.validation("1 validation error detected: Value '\(redriveFilter)' at 'redriveFilter' failed to satisfy constraint: Member must satisfy enum value set: [REDRIVEN, NOT_REDRIVEN]")
        }
        let redriven: SQLValue = redriveFilter.map { .integer($0 == "REDRIVEN" ? 1 : 0) } ?? .null
        let (limit, offset) = try Self.page(input)
        let rows: [JSONValue] = try await database.transaction { [self] db in
            let filterColumn: String
            let filterValue: String
            if let mapRunArn {
                guard try db.first("SELECT 1 FROM sfn_map_runs WHERE arn = ?", [.text(mapRunArn)], { _ in true }) != nil else {
                    throw SFNError.resourceNotFound("Resource not found: '\(mapRunArn)'")
                }
                (filterColumn, filterValue) = ("map_run_arn", mapRunArn)
            } else {
                let machine = try requireMachine(machineArn, db: db)
                if machine.type == "EXPRESS" {
                    throw SFNError.stateMachineTypeNotSupported("This operation is not supported by this type of state machine")
                }
                // A version or alias ARN lists only the executions it started.
                if let parsed = SFNArn(machineArn), parsed.parts.count > 1 {
                    (filterColumn, filterValue) = (Int(parsed.parts[1]) != nil ? "version_arn" : "alias_arn", machineArn)
                } else {
                    (filterColumn, filterValue) = ("state_machine_arn", machine.arn)
                }
            }
            return try db.all("""
                SELECT arn, state_machine_arn, name, status, started_at, stopped_at, redrive_count, map_run_arn, version_arn, alias_arn,
                       redrive_date FROM sfn_executions
                WHERE \(filterColumn) = ? AND (? IS NULL OR status = ?) AND (? IS NULL OR (redrive_count > 0) = ?)
                ORDER BY started_at DESC, rowid DESC LIMIT ? OFFSET ?
                """, [.text(filterValue), SQLValue(status), SQLValue(status), redriven, redriven, .integer(Int64(limit + 1)),
                      .integer(Int64(offset))]) { row in
                var o = JSONObject()
                o.append("executionArn", .string(row.text(0)))
                o.append("stateMachineArn", .string(row.text(1)))
                o.append("name", .string(row.text(2)))
                o.append("status", .string(row.text(3)))
                o.append("startDate", Self.date(row.int64(4)))
                if let s = row.optionalInt64(5) { o.append("stopDate", Self.date(s)) }
                if let m = row.optionalText(7) { o.append("mapRunArn", .string(m)) }
                if let v = row.optionalText(8) { o.append("stateMachineVersionArn", .string(v)) }
                if let a = row.optionalText(9) { o.append("stateMachineAliasArn", .string(a)) }
                o.append("redriveCount", .integer(row.int64(6)))
                if let d = row.optionalInt64(10) { o.append("redriveDate", Self.date(d)) }
                return .object(o)
            }
        }
        return Self.pageOutput("executions", rows, limit: limit, offset: offset)
    }

    func getExecutionHistory(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let arn = try input.requiredString("executionArn")
        guard SFNArn(arn) != nil else { throw SFNError.invalidArn(arn) }
        let reverse = try input.bool("reverseOrder") ?? false
        let includeData = try input.bool("includeExecutionData") ?? true
        let (limit, offset) = try Self.page(input)
        let rows: [JSONValue] = try await database.transaction { db in
            guard try db.execution(arn) != nil else { throw SFNError.executionDoesNotExist(arn) }
            return try db.all("""
                SELECT id, previous_id, timestamp, type, details_key, details FROM sfn_history WHERE execution_arn = ?
                ORDER BY id \(reverse ? "DESC" : "ASC") LIMIT ? OFFSET ?
                """, [.text(arn), .integer(Int64(limit + 1)), .integer(Int64(offset))]) { row in
                var o = JSONObject()
                o.append("timestamp", Self.date(row.int64(2)))
                o.append("type", .string(row.text(3)))
                o.append("id", .integer(row.int64(0)))
                o.append("previousEventId", .integer(row.int64(1)))
                if let key = row.optionalText(4), let text = row.optionalText(5), case .object(var details)? = try? JSONValue.parse(Array(text.utf8)) {
                    if !includeData {
                        for field in ["input", "output", "parameters"] { details[field] = nil }
                    }
                    o.append(key, .object(details))
                }
                return .object(o)
            }
        }
        return Self.pageOutput("events", rows, limit: limit, offset: offset)
    }
}
