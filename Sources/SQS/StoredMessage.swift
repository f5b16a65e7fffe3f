import JSON
import Storage

/// A message row as ReceiveMessage reads it.
struct StoredMessage: Sendable {
    var seq: Int64
    var messageId: String
    var body: String
    var attributesJSON: String?
    var systemAttributesJSON: String?
    var md5OfBody: String
    var senderId: String
    var sentAt: Int64
    var visibleAt: Int64
    var receiveCount: Int
    var firstReceivedAt: Int64?
    var receiptToken: String?
    var groupId: String?
    var deduplicationId: String?
    var deadLetterSourceArn: String?

    static let columns = """
        seq, message_id, body, attributes, system_attributes, md5_body, sender_id, sent_at, visible_at, receive_count,
        first_received_at, receipt_token, group_id, deduplication_id, dead_letter_source_arn
        """

    init(_ row: Statement) {
        seq = row.int64(0)
        messageId = row.text(1)
        body = row.text(2)
        attributesJSON = row.optionalText(3)
        systemAttributesJSON = row.optionalText(4)
        md5OfBody = row.text(5)
        senderId = row.text(6)
        sentAt = row.int64(7)
        visibleAt = row.int64(8)
        receiveCount = row.int(9)
        firstReceivedAt = row.optionalInt64(10)
        receiptToken = row.optionalText(11)
        groupId = row.optionalText(12)
        deduplicationId = row.optionalText(13)
        deadLetterSourceArn = row.optionalText(14)
    }

    /// The message as ReceiveMessage returns it, with the system and message
    /// attributes the caller asked for.
    func json(queue: QueueRecord, systemAttributeNames: Set<String>, messageAttributeNames: [String]) -> JSONValue {
        var o = JSONObject()
        o.append("MessageId", .string(messageId))
        if let receiptToken {
            o.append("ReceiptHandle", .string(ReceiptHandle(queueId: queue.id, sequence: seq, token: receiptToken).encoded))
        }
        o.append("MD5OfBody", .string(md5OfBody))
        o.append("Body", .string(body))
        if !systemAttributeNames.isEmpty {
            let all = systemAttributeNames.contains("All")
            var attributes = JSONObject()
            func add(_ name: String, _ value: String?) {
                if let value, all || systemAttributeNames.contains(name) { attributes.append(name, .string(value)) }
            }
            add("SenderId", senderId)
            add("ApproximateFirstReceiveTimestamp", firstReceivedAt.map(String.init))
            add("ApproximateReceiveCount", String(receiveCount))
            add("SentTimestamp", String(sentAt))
            if queue.fifo {
                add("SequenceNumber", SQSService.sequenceNumber(seq))
                add("MessageDeduplicationId", deduplicationId ?? "")
            }
            add("MessageGroupId", groupId)
            add("DeadLetterQueueSourceArn", deadLetterSourceArn)
            if let trace = MessageAttributes.decode(systemAttributesJSON).entries.first(where: { $0.name == "AWSTraceHeader" }) {
                add("AWSTraceHeader", trace.value.stringValue)
            }
            if !attributes.isEmpty { o.append("Attributes", .object(attributes)) }
        }
        if !messageAttributeNames.isEmpty, attributesJSON != nil {
            let selected = MessageAttributes.decode(attributesJSON).selecting(messageAttributeNames)
            if let md5 = selected.md5 {
                o.append("MD5OfMessageAttributes", .string(md5))
                o.append("MessageAttributes", selected.json)
            }
        }
        return .object(o)
    }
}
