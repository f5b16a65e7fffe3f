import JSON
import Storage
import Wire

/// What a ReceiveMessage asked for, validated.
struct ReceiveRequest: Sendable {
    static let systemAttributeNames: Set<String> = [
        "All", "SenderId", "SentTimestamp", "ApproximateReceiveCount", "ApproximateFirstReceiveTimestamp", "SequenceNumber",
        "MessageDeduplicationId", "MessageGroupId", "AWSTraceHeader", "DeadLetterQueueSourceArn",
    ]

    var maxNumberOfMessages: Int
    var visibilityTimeout: Int?
    var waitTimeSeconds: Int?
    var systemAttributeNames: Set<String>
    var messageAttributeNames: [String]
    var attemptId: String?

    init(_ r: ShapeReader) throws {
        maxNumberOfMessages = try r.int("MaxNumberOfMessages") ?? 1
        guard (1...10).contains(maxNumberOfMessages) else {
            throw SQSError.invalidParameter("MaxNumberOfMessages", value: String(maxNumberOfMessages), reason: "Must be between 1 and 10, if provided.")
        }
        visibilityTimeout = try r.int("VisibilityTimeout")
        if let v = visibilityTimeout, !(0...43_200).contains(v) {
            throw SQSError.invalidParameter("VisibilityTimeout", value: String(v), reason: "Must be between 0 and 43200, if provided.")
        }
        waitTimeSeconds = try r.int("WaitTimeSeconds")
        if let w = waitTimeSeconds, !(0...20).contains(w) {
            throw SQSError.invalidParameter("WaitTimeSeconds", value: String(w), reason: "Must be >= 0 and <= 20, if provided.")
        }
        var names = Set(try r.stringList("AttributeNames") ?? [])
        names.formUnion(try r.stringList("MessageSystemAttributeNames") ?? [])
        for name in names where !Self.systemAttributeNames.contains(name) {
            throw SQSError.invalidAttributeName(name)
        }
        systemAttributeNames = names
        messageAttributeNames = try r.stringList("MessageAttributeNames") ?? []
        for name in messageAttributeNames where name != "All" && name != ".*" {
            let plain = name.hasSuffix(".*") ? String(name.dropLast(2)) : name
            try MessageAttributes.validateName(plain)
        }
        attemptId = try r.string("ReceiveRequestAttemptId")
        if let a = attemptId, a.isEmpty || a.utf8.count > 128 || !a.unicodeScalars.allSatisfy({ $0.value >= 0x21 && $0.value <= 0x7E }) {
            throw SQSError.invalidParameter("ReceiveRequestAttemptId", value: a, reason: "ReceiveRequestAttemptId can only include alphanumeric and punctuation characters. 1 to 128 in length.")
        }
    }
}

/// One pass over a queue: the messages received, plus when to look again if none.
struct ReceivePass: Sendable {
    var queueId: Int64
    var messages: [JSONValue]
    /// The earliest moment a currently hidden message becomes visible.
    var nextVisibleAt: Int64?
    /// Dead-letter queues that got messages in this pass.
    var deadLetterQueueIds: [Int64]
}

extension SQSService {
    func receiveMessage(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let key = try queueKey(input, context)
        let request = try ReceiveRequest(input)
        let start = clock.nowMilliseconds()
        var deadline: Int64?
        var rounds = 0
        while true {
            rounds += 1
            let now = clock.nowMilliseconds()
            let pass = try await database.transaction { db in
                try SQSService.receivePass(key: key, request: request, now: now, db: db)
            }
            let generation = waiters.generation(queueId: pass.queueId)
            for id in pass.deadLetterQueueIds { waiters.notify(queueId: id) }
            if !pass.messages.isEmpty { return ["Messages": .array(pass.messages)] }
            if deadline == nil {
                let wait = try await database.transaction { db in
                    try Int64(request.waitTimeSeconds ?? db.requireQueue(key).configuration.receiveMessageWaitTimeSeconds)
                }
                deadline = start + wait * 1000
            }
            let remaining = deadline! - clock.nowMilliseconds()
            if remaining <= 0 || rounds > 10_000 || Task.isCancelled { return [:] }
            // Sleep until the deadline or until a hidden message turns visible, whichever is first.
            let until = min(deadline!, max(clock.nowMilliseconds() + 1, pass.nextVisibleAt ?? Int64.max))
            await waiters.wait(queueId: pass.queueId, since: generation, until: until)
        }
    }

    static func receivePass(key: QueueKey, request: ReceiveRequest, now: Int64, db: Connection) throws -> ReceivePass {
        let queue = try db.requireQueue(key)
        let visibility = Int64(request.visibilityTimeout ?? queue.configuration.visibilityTimeout) * 1000
        var pass = ReceivePass(queueId: queue.id, messages: [], nextVisibleAt: nil, deadLetterQueueIds: [])
        func render(_ m: StoredMessage) -> JSONValue {
            m.json(queue: queue, systemAttributeNames: request.systemAttributeNames, messageAttributeNames: request.messageAttributeNames)
        }

        if queue.fifo, let attemptId = request.attemptId,
           let repeated = try repeatAttempt(queue: queue, attemptId: attemptId, visibility: visibility, now: now, db: db) {
            pass.messages = repeated.map(render)
            return pass
        }

        let cutoff = now - Int64(queue.configuration.messageRetentionPeriod) * 1000
        let redrive = queue.configuration.redrivePolicy
        let deadLetterQueue = try redrive.flatMap { QueueARN($0.deadLetterTargetArn) }.flatMap { try db.queue($0.key) }
        var lockedGroups = Set<String>()
        if queue.fifo {
            lockedGroups = Set(try db.all("""
                SELECT DISTINCT group_id FROM sqs_messages WHERE queue_id = ? AND visible_at > ? AND receive_count > 0
                """, [.integer(queue.id), .integer(now)]) { $0.text(0) })
        }
        var received: [StoredMessage] = []
        var lastSeq: Int64 = 0
        scan: for _ in 0..<100 {
            let batch = try db.all("""
                SELECT \(StoredMessage.columns) FROM sqs_messages
                WHERE queue_id = ? AND seq > ? AND visible_at <= ? ORDER BY seq LIMIT ?
                """, [.integer(queue.id), .integer(lastSeq), .integer(now), .integer(Int64(request.maxNumberOfMessages + 10))]) {
                StoredMessage($0)
            }
            if batch.isEmpty { break }
            for var m in batch {
                lastSeq = m.seq
                if m.sentAt <= cutoff {
                    try db.run("DELETE FROM sqs_messages WHERE seq = ?", .integer(m.seq))
                    continue
                }
                if queue.fifo, let group = m.groupId, lockedGroups.contains(group) { continue }
                if let redrive, let dlq = deadLetterQueue, m.receiveCount >= redrive.maxReceiveCount {
                    try db.run("""
                        UPDATE sqs_messages SET queue_id = ?, visible_at = ?, receive_count = 0, first_received_at = NULL,
                          receipt_token = NULL, dead_letter_source_arn = ? WHERE seq = ?
                        """, .integer(dlq.id), .integer(now), .text(queue.key.arn), .integer(m.seq))
                    if !pass.deadLetterQueueIds.contains(dlq.id) { pass.deadLetterQueueIds.append(dlq.id) }
                    continue
                }
                let token = ReceiptHandle.newToken()
                m.receiveCount += 1
                m.firstReceivedAt = m.firstReceivedAt ?? now
                m.receiptToken = token
                m.visibleAt = now + visibility
                try db.run("""
                    UPDATE sqs_messages SET visible_at = ?, receive_count = ?, first_received_at = ?, receipt_token = ? WHERE seq = ?
                    """, .integer(m.visibleAt), .integer(Int64(m.receiveCount)), SQLValue(m.firstReceivedAt), .text(token), .integer(m.seq))
                received.append(m)
                if received.count == request.maxNumberOfMessages { break scan }
            }
        }
        if received.isEmpty {
            pass.nextVisibleAt = try db.first("SELECT MIN(visible_at) FROM sqs_messages WHERE queue_id = ? AND visible_at > ?",
                                              [.integer(queue.id), .integer(now)]) { $0.optionalInt64(0) } ?? nil
        } else if queue.fifo, let attemptId = request.attemptId {
            let receipts = JSONValue.array(received.map { ["seq": .integer($0.seq), "token": .string($0.receiptToken ?? "")] })
            try db.run("""
                INSERT OR REPLACE INTO sqs_receive_attempts (queue_id, attempt_id, created_at, receipts) VALUES (?, ?, ?, ?)
                """, .integer(queue.id), .text(attemptId), .integer(now), .text(receipts.jsonString))
        }
        pass.messages = received.map(render)
        return pass
    }

    /// A FIFO receive retried with the same `ReceiveRequestAttemptId` within five
    /// minutes gets the same messages and receipt handles, with visibility reset.
    static func repeatAttempt(queue: QueueRecord, attemptId: String, visibility: Int64, now: Int64,
                              db: Connection) throws -> [StoredMessage]? {
        guard let text = try db.first("""
            SELECT receipts FROM sqs_receive_attempts WHERE queue_id = ? AND attempt_id = ? AND created_at > ?
            """, [.integer(queue.id), .text(attemptId), .integer(now - SQSLimits.receiveAttemptInterval)], { $0.text(0) }),
            case .array(let receipts)? = try? JSONValue.parse(text)
        else { return nil }
        var messages: [StoredMessage] = []
        for r in receipts {
            guard let seq = r["seq"]?.intValue, let token = r["token"]?.stringValue,
                  var m = try db.first("SELECT \(StoredMessage.columns) FROM sqs_messages WHERE seq = ? AND queue_id = ?",
                                       [.integer(Int64(seq)), .integer(queue.id)], { StoredMessage($0) }),
                  m.receiptToken == token
            else { continue }
            m.visibleAt = now + visibility
            try db.run("UPDATE sqs_messages SET visible_at = ? WHERE seq = ?", .integer(m.visibleAt), .integer(m.seq))
            messages.append(m)
        }
        return messages.isEmpty ? nil : messages
    }
}
