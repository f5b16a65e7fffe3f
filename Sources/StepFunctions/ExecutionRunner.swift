import JSON
import States

/// Executions running in this process: one task each, so StopExecution can cancel
/// and StartSyncExecution can await.
actor ExecutionRunner {
    private var running: [String: Task<ExecutionOutcome, Never>] = [:]

    /// Starts the execution's task and returns it, so a caller can await the outcome
    /// even if the execution ends before the caller looks.
    @discardableResult
    func start(_ arn: String, _ body: @escaping @Sendable () async -> ExecutionOutcome) -> Task<ExecutionOutcome, Never> {
        let task = Task { await body() }
        running[arn] = task
        Task {
            _ = await task.value
            self.finished(arn)
        }
        return task
    }

    private func finished(_ arn: String) { running[arn] = nil }

    func isRunning(_ arn: String) -> Bool { running[arn] != nil }

    /// Waits for an execution this process runs; nil if it is not running here.
    func outcome(of arn: String) async -> ExecutionOutcome? {
        guard let task = running[arn] else { return nil }
        return await task.value
    }

    func stop(_ arn: String) async {
        guard let task = running[arn] else { return }
        task.cancel()
        _ = await task.value
    }

    func cancelAll() async {
        let tasks = Array(running.values)
        for t in tasks { t.cancel() }
        for t in tasks { _ = await t.value }
    }
}

/// History that goes to SQLite: events are buffered in memory and written, with the
/// execution's checkpoint, whenever the interpreter commits (before side effects and
/// waits, and at the end).
actor PersistentHistory: HistoryRecorder {
    let executionArn: String
    let service: StepFunctionsService
    private var buffer: [HistoryEvent] = []

    init(executionArn: String, service: StepFunctionsService) {
        self.executionArn = executionArn
        self.service = service
    }

    func append(_ event: HistoryEvent) { buffer.append(event) }

    func commit(checkpoint: Checkpoint?) async throws {
        // Shutting down: what the cancelled run records now (its abort) is not the
        // execution's fate; it resumes from the last commit at the next start.
        if service.suspending.value { throw CancellationError() }
        let events = buffer
        buffer.removeAll()
        let arn = executionArn
        try await service.database.transaction { db in
            for e in events {
                try db.run("""
                    INSERT OR REPLACE INTO sfn_history (execution_arn, id, previous_id, timestamp, type, details_key, details)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, [.text(arn), .integer(Int64(e.id)), .integer(Int64(e.previousEventId)), .integer(e.timestamp), .text(e.type),
                          e.detailsKey.map { .text($0) } ?? .null, e.details.map { .text(JSONValue.object($0).jsonString) } ?? .null])
            }
            if let last = events.last {
                try db.run("UPDATE sfn_executions SET next_event_id = ? WHERE arn = ?", .integer(Int64(last.id + 1)), .text(arn))
            }
            if let checkpoint {
                var variables = JSONObject()
                for key in checkpoint.variables.keys.sorted() { variables[key] = checkpoint.variables[key] }
                var o: JSONObject = ["state": .string(checkpoint.stateName), "input": checkpoint.input, "variables": .object(variables)]
                if let id = checkpoint.enteredEventId { o["enteredEventId"] = .integer(id) }
                if let until = checkpoint.waitUntil { o["waitUntil"] = .integer(until) }
                let text = JSONValue.object(o).jsonString
                try db.run("UPDATE sfn_executions SET checkpoint = ? WHERE arn = ?", .text(text), .text(arn))
            }
        }
    }
}
