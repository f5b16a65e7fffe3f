import Foundation
import JSON
import States
import Storage
import Wire

extension StepFunctionsService {
    /// Executions stay redrivable for 14 days after they stop.
    static let redrivePeriod: Int64 = 14 * 24 * 3600 * 1000

    /// Whether `execution` can be redriven now, and AWS's reason when it cannot.
    static func redrivability(_ execution: ExecutionRecord, now: Int64) -> (Bool, String?) {
        switch execution.status {
        case "RUNNING": return (false, "Execution is RUNNING and cannot be redriven")
        case "SUCCEEDED": return (false, "Execution is SUCCEEDED and cannot be redriven")
        default: break
        }
        if execution.type == "EXPRESS" { return (false, "Execution of an EXPRESS state machine cannot be redriven") }
        if let stopped = execution.stoppedAt, now - stopped > redrivePeriod {
            return (false, "Execution redrivable period exceeded")
        }
        if execution.checkpoint == nil { return (false, "Execution did not reach a state that can be redriven") }
        return (true, nil)
    }

    /// Restarts a failed, timed-out or stopped execution from the state where it ended,
    /// with that state's input and variables; its history continues after an
    /// `ExecutionRedriven` event.
    func redriveExecution(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let arn = try input.requiredString("executionArn")
        guard SFNArn(arn) != nil else { throw SFNError.invalidArn(arn) }
        _ = try input.string("clientToken")
        let now = clock.nowMilliseconds()
        try await database.transaction { db in
            guard let record = try db.execution(arn) else { throw SFNError.executionDoesNotExist(arn) }
            let (redrivable, reason) = Self.redrivability(record, now: now)
            guard redrivable else { throw SFNError.executionNotRedrivable(reason ?? "Execution cannot be redriven") }
            let count = record.redriveCount + 1
            let details = JSONValue.object(["redriveCount": .integer(count)]).jsonString
            try db.run("""
                INSERT INTO sfn_history (execution_arn, id, previous_id, timestamp, type, details_key, details)
                VALUES (?, ?, 0, ?, 'ExecutionRedriven', 'executionRedrivenEventDetails', ?)
                """, .text(arn), .integer(Int64(record.nextEventId)), .integer(now), .text(details))
            try db.run("""
                UPDATE sfn_executions SET status = 'RUNNING', redrive_count = ?, redrive_date = ?, stopped_at = NULL, output = NULL,
                  error = NULL, cause = NULL, next_event_id = ? WHERE arn = ?
                """, .integer(Int64(count)), .integer(now), .integer(Int64(record.nextEventId + 1)), .text(arn))
        }
        try await launch(arn, resume: true)
        return ["redriveDate": Self.date(now)]
    }
}
