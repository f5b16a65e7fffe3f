import Foundation
import JSON
import Storage
import Wire

/// Running message move tasks (DLQ redrive), one background job each.
actor MoveTaskRunner {
    private var jobs: [String: Task<Void, Never>] = [:]

    func start(_ handle: String, _ body: @escaping @Sendable () async -> Void) {
        jobs[handle] = Task {
            await body()
            self.finished(handle)
        }
    }

    private func finished(_ handle: String) { jobs[handle] = nil }

    func cancelAll() {
        for job in jobs.values { job.cancel() }
        jobs.removeAll()
    }
}

extension SQSService {
    func startMessageMoveTask(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let sourceArn = try input.requiredString("SourceArn")
        let destinationArn = try input.string("DestinationArn")
        let rate = try input.int("MaxNumberOfMessagesPerSecond")
        if let rate, !(1...500).contains(rate) {
            throw SQSError.invalidParameter("MaxNumberOfMessagesPerSecond", value: String(rate), reason: "Must be between 1 and 500.")
        }
        guard let source = QueueARN(sourceArn) else {
            throw SQSError.invalidParameter("SourceArn", value: sourceArn, reason: "Invalid ARN.")
        }
        let destination = try destinationArn.map { arn -> QueueARN in
            guard let d = QueueARN(arn) else { throw SQSError.invalidParameter("DestinationArn", value: arn, reason: "Invalid ARN.") }
            return d
        }
        let now = clock.nowMilliseconds()
        let handle = Data(JSONValue.object(JSONObject(["taskId": .string(MessageID.make()), "sourceArn": .string(sourceArn)])).serialized())
            .base64EncodedString()
        try await database.transaction { db in
            guard let queue = try db.queue(source.key) else {
                throw SQSError.resourceNotFound("The resource that you specified for the SourceArn parameter doesn't exist.")
            }
            let isDeadLetterQueue = try db.all("SELECT \(QueueRecord.columns) FROM sqs_queues WHERE account = ? AND region = ?",
                                               [.text(source.key.account), .text(source.key.region)]) { QueueRecord($0) }
                .contains { $0.configuration.redrivePolicy?.deadLetterTargetArn == sourceArn }
            guard isDeadLetterQueue else {
                throw SQSError.invalidParameterValue("Source queue must be configured as a Dead Letter Queue.")
            }
            if let destination, try db.queue(destination.key) == nil {
                throw SQSError.resourceNotFound("The resource that you specified for the DestinationArn parameter doesn't exist.")
            }
            if try db.first("SELECT 1 FROM sqs_move_tasks WHERE source_arn = ? AND status IN ('RUNNING', 'CANCELLING')",
                            [.text(sourceArn)], { _ in true }) != nil {
                throw SQSError.invalidParameterValue("There is already a task running. Only one active task is allowed for a source queue arn at a given time.")
            }
            let toMove = try db.first("SELECT COUNT(*) FROM sqs_messages WHERE queue_id = ?", [.integer(queue.id)]) { $0.int64(0) } ?? 0
            try db.run("""
                INSERT INTO sqs_move_tasks (task_handle, account, region, source_arn, destination_arn, max_per_second, status,
                                            moved, to_move, started_at)
                VALUES (?, ?, ?, ?, ?, ?, 'RUNNING', 0, ?, ?)
                """, .text(handle), .text(context.accountId), .text(context.region), .text(sourceArn), SQLValue(destinationArn),
                rate.map { SQLValue.integer(Int64($0)) } ?? .null, .integer(toMove), .integer(now))
        }
        await launchMoveTask(handle)
        return ["TaskHandle": .string(handle)]
    }

    func listMessageMoveTasks(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let sourceArn = try input.requiredString("SourceArn")
        let maxResults = try input.int("MaxResults") ?? 1
        guard (1...10).contains(maxResults) else {
            throw SQSError.invalidParameter("MaxResults", value: String(maxResults), reason: "Must be between 1 and 10.")
        }
        guard let source = QueueARN(sourceArn) else {
            throw SQSError.invalidParameter("SourceArn", value: sourceArn, reason: "Invalid ARN.")
        }
        let results: [JSONValue] = try await database.transaction { db in
            guard try db.queue(source.key) != nil else {
                throw SQSError.resourceNotFound("The resource that you specified for the SourceArn parameter doesn't exist.")
            }
            return try db.all("""
                SELECT task_handle, status, source_arn, destination_arn, max_per_second, moved, to_move, failure_reason, started_at
                FROM sqs_move_tasks WHERE source_arn = ? ORDER BY started_at DESC, rowid DESC LIMIT ?
                """, [.text(sourceArn), .integer(Int64(maxResults))]) { row in
                var o = JSONObject()
                let status = row.text(1)
                if status == "RUNNING" { o.append("TaskHandle", .string(row.text(0))) }
                o.append("Status", .string(status))
                o.append("SourceArn", .string(row.text(2)))
                if let d = row.optionalText(3) { o.append("DestinationArn", .string(d)) }
                if let r = row.optionalInt64(4) { o.append("MaxNumberOfMessagesPerSecond", .integer(r)) }
                o.append("ApproximateNumberOfMessagesMoved", .integer(row.int64(5)))
                o.append("ApproximateNumberOfMessagesToMove", .integer(row.int64(6)))
                if let f = row.optionalText(7) { o.append("FailureReason", .string(f)) }
                o.append("StartedTimestamp", .integer(row.int64(8)))
                return .object(o)
            }
        }
        return ["Results": .array(results)]
    }

    func cancelMessageMoveTask(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let handle = try input.requiredString("TaskHandle")
        guard let data = Data(base64Encoded: handle), case .object(let parts)? = try? JSONValue.parse(Array(data)),
              parts["taskId"]?.stringValue != nil, parts["sourceArn"]?.stringValue != nil
        else {
            throw SQSError.invalidParameterValue("Value for parameter TaskHandle is invalid.")
        }
        let moved: Int64 = try await database.transaction { db in
            guard let moved = try db.first("SELECT moved FROM sqs_move_tasks WHERE task_handle = ? AND status = 'RUNNING'",
                                           [.text(handle)], { $0.int64(0) }) else {
                throw SQSError.resourceNotFound("Task does not exist.")
            }
            try db.run("UPDATE sqs_move_tasks SET status = 'CANCELLING' WHERE task_handle = ?", .text(handle))
            return moved
        }
        return ["ApproximateNumberOfMessagesMoved": .integer(moved)]
    }

    /// Restarts the tasks that were running when the emulator stopped.
    func resumeMoveTasks() async {
        let handles = (try? await database.transaction { db in
            try db.all("SELECT task_handle FROM sqs_move_tasks WHERE status IN ('RUNNING', 'CANCELLING')") { $0.text(0) }
        }) ?? []
        for handle in handles { await launchMoveTask(handle) }
    }

    func launchMoveTask(_ handle: String) async {
        await moveTasks.start(handle) { [self] in
            do {
                try await runMoveTask(handle)
            } catch {
                _ = try? await database.transaction { db in
                    try db.run("UPDATE sqs_move_tasks SET status = 'FAILED', failure_reason = ? WHERE task_handle = ?",
                               .text(String(describing: error)), .text(handle))
                }
            }
        }
    }

    /// Moves messages one slice a second (or all at once without a rate), each slice
    /// in one transaction, back to where they came from or to the destination.
    private func runMoveTask(_ handle: String) async throws {
        for _ in 0..<1_000_000 {
            let now = clock.nowMilliseconds()
            let (done, notify) = try await database.transaction { db in
                try SQSService.moveSlice(handle, now: now, db: db)
            }
            for id in notify { waiters.notify(queueId: id) }
            if done || Task.isCancelled { return }
            await clock.sleep(untilMilliseconds: clock.nowMilliseconds() + 1000)
            if Task.isCancelled { return }
        }
    }

    static func moveSlice(_ handle: String, now: Int64, db: Connection) throws -> (done: Bool, notify: [Int64]) {
        guard let task = try db.first("""
            SELECT source_arn, destination_arn, max_per_second, status, moved FROM sqs_move_tasks WHERE task_handle = ?
            """, [.text(handle)], { ($0.text(0), $0.optionalText(1), $0.optionalInt64(2), $0.text(3), $0.int64(4)) })
        else { return (true, []) }
        if task.3 == "CANCELLING" {
            try db.run("UPDATE sqs_move_tasks SET status = 'CANCELLED' WHERE task_handle = ?", .text(handle))
            return (true, [])
        }
        guard task.3 == "RUNNING", let source = QueueARN(task.0), let sourceQueue = try db.queue(source.key) else {
            try db.run("UPDATE sqs_move_tasks SET status = 'FAILED', failure_reason = 'AWS.SimpleQueueService.NonExistentQueue' WHERE task_handle = ?",
                       .text(handle))
            return (true, [])
        }
        let limit = task.2 ?? 10_000
        let messages = try db.all("SELECT seq, dead_letter_source_arn FROM sqs_messages WHERE queue_id = ? ORDER BY seq LIMIT ?",
                                  [.integer(sourceQueue.id), .integer(limit)]) { ($0.int64(0), $0.optionalText(1)) }
        var moved: Int64 = 0
        var notify: Set<Int64> = []
        var unresolved = false
        for (seq, origin) in messages {
            guard let target = task.1 ?? origin, let arn = QueueARN(target), let destination = try db.queue(arn.key) else {
                unresolved = true
                continue
            }
            try db.run("""
                UPDATE sqs_messages SET queue_id = ?, visible_at = ?, receive_count = 0, first_received_at = NULL,
                  receipt_token = NULL, dead_letter_source_arn = NULL WHERE seq = ?
                """, .integer(destination.id), .integer(now), .integer(seq))
            notify.insert(destination.id)
            moved += 1
        }
        let remaining = try db.first("SELECT COUNT(*) FROM sqs_messages WHERE queue_id = ?", [.integer(sourceQueue.id)]) { $0.int64(0) } ?? 0
        let finished = messages.count < limit || remaining == 0 || (moved == 0 && unresolved)
        let status = finished ? (unresolved ? "FAILED" : "COMPLETED") : "RUNNING"
        try db.run("UPDATE sqs_move_tasks SET moved = moved + ?, status = ?, failure_reason = ? WHERE task_handle = ?",
                   .integer(moved), .text(status), unresolved && finished ? .text("AWS.SimpleQueueService.NonExistentQueue") : .null,
                   .text(handle))
        return (finished, Array(notify))
    }

    /// Stops background work (move tasks) before shutdown.
    public func shutdown() async {
        await moveTasks.cancelAll()
        waiters.notifyAll()
    }
}
