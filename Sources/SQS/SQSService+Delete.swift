import JSON
import Storage
import Wire

extension SQSService {
    func deleteMessage(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let key = try queueKey(input, context)
        let handle = try input.requiredString("ReceiptHandle")
        let now = clock.nowMilliseconds()
        try await database.transaction { db in
            let queue = try db.requireQueue(key)
            try SQSService.delete(handle: handle, queue: queue, now: now, db: db)
        }
        return [:]
    }

    func deleteMessageBatch(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let key = try queueKey(input, context)
        let entries = try BatchEntries(input, requestName: "DeleteMessageBatchRequestEntry")
        let now = clock.nowMilliseconds()
        let results: [(String, SQSError?)] = try await database.transaction { db in
            let queue = try db.requireQueue(key)
            return try entries.entries.map { id, reader in
                do {
                    try SQSService.delete(handle: reader.requiredString("ReceiptHandle"), queue: queue, now: now, db: db)
                    return (id, nil)
                } catch let error as SQSError {
                    return (id, error)
                } catch let error as ShapeError {
                    return (id, SQSError.from(error))
                }
            }
        }
        return SQSService.batchOutput(results)
    }

    /// Deleting an already-deleted message succeeds, as on AWS. On a FIFO queue only
    /// the current receipt may delete, so a late consumer cannot remove a message
    /// that another consumer now holds.
    static func delete(handle text: String, queue: QueueRecord, now: Int64, db: Connection) throws {
        guard let handle = ReceiptHandle(text), handle.queueId == queue.id else { throw SQSError.receiptHandleIsInvalid(text) }
        if queue.fifo {
            guard let (token, visibleAt) = try db.first("SELECT receipt_token, visible_at FROM sqs_messages WHERE seq = ? AND queue_id = ?",
                                                        [.integer(handle.sequence), .integer(queue.id)], { ($0.optionalText(0), $0.int64(1)) })
            else { return }
            guard token == handle.token, visibleAt > now else {
                throw SQSError.invalidParameter("ReceiptHandle", value: text, reason: "The receipt handle has expired.")
            }
            try db.run("DELETE FROM sqs_messages WHERE seq = ?", .integer(handle.sequence))
        } else {
            try db.run("DELETE FROM sqs_messages WHERE seq = ? AND queue_id = ?", .integer(handle.sequence), .integer(queue.id))
        }
    }

    func changeMessageVisibility(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let key = try queueKey(input, context)
        let handle = try input.requiredString("ReceiptHandle")
        let timeout = try input.requiredInt("VisibilityTimeout")
        let now = clock.nowMilliseconds()
        let queueId = try await database.transaction { db in
            let queue = try db.requireQueue(key)
            try SQSService.changeVisibility(handle: handle, timeout: timeout, queue: queue, now: now, db: db)
            return queue.id
        }
        if timeout == 0 { waiters.notify(queueId: queueId) }
        return [:]
    }

    func changeMessageVisibilityBatch(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let key = try queueKey(input, context)
        let entries = try BatchEntries(input, requestName: "ChangeMessageVisibilityBatchRequestEntry")
        let now = clock.nowMilliseconds()
        let (queueId, results): (Int64, [(String, SQSError?)]) = try await database.transaction { db in
            let queue = try db.requireQueue(key)
            let results = try entries.entries.map { id, reader -> (String, SQSError?) in
                do {
                    try SQSService.changeVisibility(handle: reader.requiredString("ReceiptHandle"),
                                                    timeout: reader.int("VisibilityTimeout") ?? 0, queue: queue, now: now, db: db)
                    return (id, nil)
                } catch let error as SQSError {
                    return (id, error)
                } catch let error as ShapeError {
                    return (id, SQSError.from(error))
                }
            }
            return (queue.id, results)
        }
        waiters.notify(queueId: queueId)
        return SQSService.batchOutput(results)
    }

    static func changeVisibility(handle text: String, timeout: Int, queue: QueueRecord, now: Int64, db: Connection) throws {
        guard (0...43_200).contains(timeout) else {
            throw SQSError.invalidParameter("VisibilityTimeout", value: String(timeout), reason: "Must be between 0 and 43200, if provided.")
        }
        guard let handle = ReceiptHandle(text), handle.queueId == queue.id else { throw SQSError.receiptHandleIsInvalid(text) }
        guard let (token, visibleAt) = try db.first("SELECT receipt_token, visible_at FROM sqs_messages WHERE seq = ? AND queue_id = ?",
                                                    [.integer(handle.sequence), .integer(queue.id)], { ($0.optionalText(0), $0.int64(1)) }),
              token == handle.token
        else {
            throw SQSError.invalidParameter("ReceiptHandle", value: text, reason: "Message does not exist or is not available for visibility timeout change.")
        }
        guard visibleAt > now else { throw SQSError.messageNotInflight() }
        try db.run("UPDATE sqs_messages SET visible_at = ? WHERE seq = ?", .integer(now + Int64(timeout) * 1000), .integer(handle.sequence))
    }

    static func batchOutput(_ results: [(String, SQSError?)]) -> JSONValue {
        var successful: [JSONValue] = []
        var failed: [JSONValue] = []
        for (id, error) in results {
            if let error { failed.append(BatchEntries.failure(id: id, error)) } else { successful.append(["Id": .string(id)]) }
        }
        return ["Successful": .array(successful), "Failed": .array(failed)]
    }
}
