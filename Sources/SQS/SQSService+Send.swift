import Digest
import JSON
import Storage
import Wire

extension SQSService {
    func sendMessage(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let key = try queueKey(input, context)
        let message = try OutgoingMessage(input)
        let sender = context.accessKeyId ?? context.accountId
        let now = clock.nowMilliseconds()
        let (queueId, sent) = try await database.transaction { db in
            let queue = try db.requireQueue(key)
            return (queue.id, try SQSService.enqueue(message, into: queue, sender: sender, now: now, db: db))
        }
        waiters.notify(queueId: queueId)
        return sent.json()
    }

    func sendMessageBatch(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let key = try queueKey(input, context)
        let entries = try BatchEntries(input, requestName: "SendMessageBatchRequestEntry")
        // Parse every entry first; a malformed entry fails alone.
        var parsed: [(id: String, result: Result<OutgoingMessage, SQSError>)] = []
        var total = 0
        for entry in entries.entries {
            do {
                let message = try OutgoingMessage(entry.reader)
                total += message.size
                parsed.append((entry.id, .success(message)))
            } catch let error as SQSError {
                parsed.append((entry.id, .failure(error)))
            } catch let error as ShapeError {
                parsed.append((entry.id, .failure(SQSError.from(error))))
            }
        }
        if total > SQSLimits.maximumMessageSize {
            throw SQSError.batchRequestTooLong(total, limit: SQSLimits.maximumMessageSize)
        }
        let sender = context.accessKeyId ?? context.accountId
        let now = clock.nowMilliseconds()
        let messages = parsed
        let (queueId, results) = try await database.transaction { db in
            let queue = try db.requireQueue(key)
            if queue.fifo, messages.contains(where: { (try? $0.result.get())?.groupId == nil && (try? $0.result.get()) != nil }) {
                throw SQSError.invalidParameterValue("The request must contain the parameter MessageGroupId.")
            }
            var results: [(id: String, result: Result<SentMessage, SQSError>)] = []
            for (id, item) in messages {
                switch item {
                case .failure(let error): results.append((id, .failure(error)))
                case .success(let message):
                    do {
                        results.append((id, .success(try SQSService.enqueue(message, into: queue, sender: sender, now: now, db: db))))
                    } catch let error as SQSError {
                        results.append((id, .failure(error)))
                    }
                }
            }
            return (queue.id, results)
        }
        waiters.notify(queueId: queueId)
        var successful: [JSONValue] = []
        var failed: [JSONValue] = []
        for (id, result) in results {
            switch result {
            case .success(let sent): successful.append(sent.json(id: id))
            case .failure(let error): failed.append(BatchEntries.failure(id: id, error))
            }
        }
        return ["Successful": .array(successful), "Failed": .array(failed)]
    }

    /// Stores one message (or finds its duplicate within the deduplication interval).
    static func enqueue(_ message: OutgoingMessage, into queue: QueueRecord, sender: String, now: Int64,
                        db: Connection) throws -> SentMessage {
        try message.validate(for: queue)
        let md5Body = message.md5OfBody
        var sent = SentMessage(messageId: MessageID.make(), md5OfBody: md5Body,
                               md5OfAttributes: message.attributes.md5, md5OfSystemAttributes: message.systemAttributes.md5)
        var dedupScope: String?
        var dedupId = message.deduplicationId
        if queue.fifo {
            let id = message.deduplicationId ?? SHA256.hash(message.body.utf8).hexString
            dedupId = id
            let scope = queue.configuration.deduplicationScopeIsMessageGroup ? "\(message.groupId ?? "")\u{1F}\(id)" : id
            if let original = try db.first("""
                SELECT message_id, sequence_number FROM sqs_deduplication WHERE queue_id = ? AND scope_key = ? AND expires_at > ?
                """, [.integer(queue.id), .text(scope), .integer(now)], { ($0.text(0), $0.text(1)) }) {
                sent.messageId = original.0
                sent.sequenceNumber = original.1
                return sent
            }
            dedupScope = scope
        }
        let delay = Int64(message.delaySeconds ?? queue.configuration.delaySeconds) * 1000
        try db.run("""
            INSERT INTO sqs_messages (queue_id, message_id, body, attributes, system_attributes, md5_body, sender_id,
                                      sent_at, visible_at, group_id, deduplication_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.integer(queue.id), .text(sent.messageId), .text(message.body),
                  message.attributes.isEmpty ? .null : .text(message.attributes.json.jsonString),
                  message.systemAttributes.isEmpty ? .null : .text(message.systemAttributes.json.jsonString),
                  .text(md5Body), .text(sender), .integer(now), .integer(now + delay),
                  SQLValue(message.groupId), SQLValue(dedupId)])
        if queue.fifo, let dedupScope {
            let sequence = SQSService.sequenceNumber(db.lastInsertRowID)
            sent.sequenceNumber = sequence
            try db.run("""
                INSERT OR REPLACE INTO sqs_deduplication (queue_id, scope_key, message_id, sequence_number, expires_at)
                VALUES (?, ?, ?, ?, ?)
                """, .integer(queue.id), .text(dedupScope), .text(sent.messageId), .text(sequence),
                .integer(now + SQSLimits.deduplicationInterval))
        }
        return sent
    }

    /// FIFO sequence numbers: 20 digits, increasing with every message stored.
    static func sequenceNumber(_ seq: Int64) -> String {
        let digits = String(seq)
        return "1" + String(repeating: "0", count: max(0, 19 - digits.count)) + digits
    }
}
