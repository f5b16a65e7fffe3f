import JSON
import Storage
import Wire

extension SQSService {
    /// Every message of a queue with its state, without touching visibility: for
    /// tests and debugging (`GET /_offcloud/sqs/messages`).
    public func peekMessages(queueURL: String, accountId: String, region: String) async throws -> JSONValue {
        guard let key = QueueURL.key(queueURL, account: accountId, region: region) else { throw SQSError.queueDoesNotExist() }
        let now = clock.nowMilliseconds()
        let messages: [JSONValue] = try await database.transaction { db in
            let queue = try db.requireQueue(key)
            return try db.all("SELECT \(StoredMessage.columns) FROM sqs_messages WHERE queue_id = ? ORDER BY seq",
                              [.integer(queue.id)]) { row in
                let m = StoredMessage(row)
                var o = JSONObject()
                o.append("MessageId", .string(m.messageId))
                o.append("Body", .string(m.body))
                o.append("MD5OfBody", .string(m.md5OfBody))
                if let a = m.attributesJSON, let parsed = try? JSONValue.parse(a) { o.append("MessageAttributes", parsed) }
                o.append("ReceiveCount", .integer(m.receiveCount))
                o.append("Visible", .bool(m.visibleAt <= now))
                o.append("VisibleAt", .integer(m.visibleAt))
                o.append("SentTimestamp", .integer(m.sentAt))
                if let g = m.groupId { o.append("MessageGroupId", .string(g)) }
                if queue.fifo { o.append("SequenceNumber", .string(SQSService.sequenceNumber(m.seq))) }
                if let s = m.deadLetterSourceArn { o.append("DeadLetterQueueSourceArn", .string(s)) }
                return .object(o)
            }
        }
        return ["QueueUrl": .string(queueURL), "Messages": .array(messages)]
    }
}
