import Digest
import JSON
import Wire

/// A message as a `SendMessage` (or one batch entry) describes it, validated as far
/// as it can be without knowing the queue.
struct OutgoingMessage: Sendable {
    var body: String
    var delaySeconds: Int?
    var attributes: MessageAttributes
    var systemAttributes: MessageAttributes
    var deduplicationId: String?
    var groupId: String?

    init(_ r: ShapeReader) throws {
        guard let body = try r.string("MessageBody"), !body.isEmpty else { throw SQSError.missingParameter("MessageBody") }
        guard SQSLimits.isValidMessageText(body) else { throw SQSError.invalidMessageContents() }
        self.body = body
        delaySeconds = try r.int("DelaySeconds")
        if let d = delaySeconds, !(0...900).contains(d) {
            throw SQSError.invalidParameter("DelaySeconds", value: String(d), reason: "DelaySeconds must be >= 0 and <= 900.")
        }
        attributes = try MessageAttributes.read(r, member: "MessageAttributes")
        systemAttributes = try MessageAttributes.read(r, member: "MessageSystemAttributes", system: true)
        deduplicationId = try r.string("MessageDeduplicationId")
        groupId = try r.string("MessageGroupId")
        for (name, value) in [("MessageDeduplicationId", deduplicationId), ("MessageGroupId", groupId)] {
            guard let value else { continue }
            guard !value.isEmpty, value.utf8.count <= 128,
                  value.unicodeScalars.allSatisfy({ $0.value >= 0x21 && $0.value <= 0x7E })
            else {
                throw SQSError.invalidParameter(name, value: value, reason: "\(name) can only include alphanumeric and punctuation characters. 1 to 128 in length.")
            }
        }
    }

    /// Body plus attribute names, types and values: what `MaximumMessageSize` limits.
    var size: Int { body.utf8.count + attributes.size }

    var md5OfBody: String { MD5.hash(body.utf8).hexString }

    /// Checks what depends on the queue: size limit and the FIFO/standard rules.
    func validate(for queue: QueueRecord) throws {
        let limit = queue.configuration.maximumMessageSize
        if size > limit {
            throw SQSError.invalidParameterValue("One or more parameters are invalid. Reason: Message must be shorter than \(limit) bytes.")
        }
        if queue.fifo {
            if let d = delaySeconds, d != 0 {
                throw SQSError.invalidParameter("DelaySeconds", value: String(d), reason: "The request include parameter that is not valid for this queue type.")
            }
            guard groupId != nil else { throw SQSError.missingParameter("MessageGroupId") }
            if deduplicationId == nil && !queue.configuration.contentBasedDeduplication {
                throw SQSError.invalidParameterValue("The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly")
            }
        } else if let id = deduplicationId {
            throw SQSError.invalidParameter("MessageDeduplicationId", value: id, reason: "The request include parameter that is not valid for this queue type.")
        }
    }
}

/// What a send returns, per message.
struct SentMessage: Sendable {
    var messageId: String
    var md5OfBody: String
    var md5OfAttributes: String?
    var md5OfSystemAttributes: String?
    var sequenceNumber: String?

    func json(id: String? = nil) -> JSONValue {
        var o = JSONObject()
        if let id { o["Id"] = .string(id) }
        o["MessageId"] = .string(messageId)
        o["MD5OfMessageBody"] = .string(md5OfBody)
        if let md5OfAttributes { o["MD5OfMessageAttributes"] = .string(md5OfAttributes) }
        if let md5OfSystemAttributes { o["MD5OfMessageSystemAttributes"] = .string(md5OfSystemAttributes) }
        if let sequenceNumber { o["SequenceNumber"] = .string(sequenceNumber) }
        return .object(o)
    }
}
