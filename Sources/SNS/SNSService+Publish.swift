import Digest
import Foundation
import JSON
import Storage
import Wire

/// One message of a Publish or PublishBatch entry, validated as far as it can be
/// without the topic.
struct PublishRequest: Sendable {
    var message: String
    var structured: JSONObject?
    var subject: String?
    var attributes: SNSAttributes
    var groupId: String?
    var deduplicationId: String?

    static let maximumSize = 262_144

    init(_ r: ShapeReader) throws {
        attributes = try SNSAttributes.read(r)
        guard let message = try r.string("Message"), !message.isEmpty else { throw SNSError.invalidParameter("Empty message") }
        self.message = message
        if message.utf8.count + attributes.size > Self.maximumSize { throw SNSError.invalidParameter("Message too long") }
        if let structure = try r.string("MessageStructure") {
            guard structure == "json" else { throw SNSError.invalidParameter("Invalid value for MessageStructure parameter: \(structure)") }
            guard let parsed = try? JSONValue.parse(Array(message.utf8)), case .object(let o) = parsed else {
                throw SNSError.invalidParameter("Message Structure - JSON message body failed to parse")
            }
            guard o["default"]?.stringValue != nil else {
                throw SNSError.invalidParameter("Message Structure - No default entry in JSON message body")
            }
            structured = o
        }
        if let subject = try r.string("Subject") {
            guard !subject.isEmpty, subject.count <= 100,
                  subject.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x20 && $0.value != 0x7F }) else {
                throw SNSError.invalidParameter("Subject")
            }
            self.subject = subject
        }
        groupId = try r.string("MessageGroupId")
        deduplicationId = try r.string("MessageDeduplicationId")
        for (name, value) in [("MessageGroupId", groupId), ("MessageDeduplicationId", deduplicationId)] {
            guard let value else { continue }
            guard !value.isEmpty, value.utf8.count <= 128, value.unicodeScalars.allSatisfy({ $0.value >= 0x21 && $0.value <= 0x7E }) else {
                throw SNSError.invalidParameter("\(name) Reason: \(name) can only include alphanumeric and punctuation characters. 1 to 128 in length.")
            }
        }
    }

    /// The FIFO rules, once the topic is known.
    mutating func validate(for topic: TopicRecord) throws {
        if topic.fifo {
            guard groupId != nil else { throw SNSError.invalidParameter("The MessageGroupId parameter is required for FIFO topics") }
            if deduplicationId == nil {
                guard topic.contentBasedDeduplication else {
                    throw SNSError.invalidParameter("The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly")
                }
                deduplicationId = SHA256.hash(message.utf8).hexString
            }
        } else {
            if deduplicationId != nil {
                throw SNSError.invalidParameter("MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type")
            }
            // Standard topics accept a MessageGroupId (fair queues) and do not pass it on.
            groupId = nil
        }
    }
}

extension SNSService {
    func publish(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let topic = try input.string("TopicArn")
        let target = try input.string("TargetArn")
        let phone = try input.string("PhoneNumber")
        let given = [topic, target, phone].compactMap { $0 }.filter { !$0.isEmpty }
        guard !given.isEmpty else { throw SNSError.invalidParameter("TopicArn or TargetArn Reason: no value for required parameter") }
        guard given.count == 1 else {
            throw SNSError.invalidParameter("TopicArn Reason: Only one of TopicArn, TargetArn or PhoneNumber may be specified")
        }
        var request = try PublishRequest(input)
        if let phone, !phone.isEmpty {
            return try await publishDirect(request, protocol: .sms, endpoint: phone, context: context)
        }
        let arn = given[0]
        if arn.contains(":endpoint/") {
            return try await publishDirect(request, protocol: .application, endpoint: arn, context: context)
        }
        guard let parsed = SNSArn(arn), parsed.subscriptionId == nil else {
            throw SNSError.invalidParameter(topic != nil ? "TopicArn" : "TargetArn")
        }
        let snapshot = try await requireSnapshot(parsed.topicArn)
        try request.validate(for: snapshot.topic)
        let results = try await store([.success(request)], snapshot: snapshot)
        guard case .success(let r) = results[0] else { throw SNSError.internalError() }
        var o = JSONObject()
        o.append("MessageId", .string(r.messageId))
        if let seq = r.sequenceNumber { o.append("SequenceNumber", .string(seq)) }
        return .object(o)
    }

    func publishBatch(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let arn = try topicArn(input)
        let entries = try input.structureList("PublishBatchRequestEntries") ?? []
        guard !entries.isEmpty else { throw SNSError.emptyBatch() }
        guard entries.count <= 10 else { throw SNSError.tooManyEntries() }
        var ids = Set<String>()
        var requests: [(id: String, request: Result<PublishRequest, SNSError>)] = []
        var total = 0
        for entry in entries {
            let id = try entry.requiredString("Id")
            guard !id.isEmpty, id.utf8.count <= 80,
                  id.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_") })
            else { throw SNSError.invalidBatchEntryId() }
            guard ids.insert(id).inserted else { throw SNSError.batchIdsNotDistinct() }
            // A malformed attribute rejects the whole request (ParameterValueInvalid), as on AWS.
            let attributes = try SNSAttributes.read(entry)
            total += (try entry.string("Message") ?? "").utf8.count + attributes.size
            do {
                requests.append((id, .success(try PublishRequest(entry))))
            } catch let error as SNSError {
                requests.append((id, .failure(error)))
            }
        }
        if total > PublishRequest.maximumSize { throw SNSError.batchTooLong() }
        let snapshot = try await requireSnapshot(arn)
        var checked: [Result<PublishRequest, SNSError>] = []
        for (_, r) in requests {
            switch r {
            case .success(var request):
                do {
                    try request.validate(for: snapshot.topic)
                    checked.append(.success(request))
                } catch let error as SNSError {
                    checked.append(.failure(error))
                }
            case .failure(let e):
                checked.append(.failure(e))
            }
        }
        let results = try await store(checked, snapshot: snapshot)
        var successful: [JSONValue] = []
        var failed: [JSONValue] = []
        for ((id, _), result) in zip(requests, results) {
            switch result {
            case .success(let r):
                var o: JSONObject = ["Id": .string(id), "MessageId": .string(r.messageId)]
                if let seq = r.sequenceNumber { o.append("SequenceNumber", .string(seq)) }
                successful.append(.object(o))
            case .failure(let e):
                failed.append(["Id": .string(id), "Code": .string(e.code), "Message": .string(e.message), "SenderFault": .bool(e.isSenderFault)])
            }
        }
        return ["Successful": .array(successful), "Failed": .array(failed)]
    }

    struct Published: Sendable {
        var messageId: String
        var sequenceNumber: String?
    }

    /// Stores messages and their deliveries in one transaction, then hands the
    /// deliveries to the deliverer. FIFO topics number messages and drop duplicates
    /// within the five-minute deduplication interval.
    func store(_ requests: [Result<PublishRequest, SNSError>], snapshot: TopicSnapshot) async throws -> [Result<Published, SNSError>] {
        let topic = snapshot.topic
        let now = clock.nowMilliseconds()
        let timestamp = SNSTimestamp.format(now)
        // Filter policies are evaluated before the transaction; only matches are stored.
        var prepared: [Result<(PublishedMessage, [SubscriptionState]), SNSError>] = []
        for r in requests {
            switch r {
            case .failure(let e): prepared.append(.failure(e))
            case .success(let request):
                let message = PublishedMessage(
                    kind: .notification, messageId: Self.newId(), topicArn: topic.arn, account: topic.account, region: topic.region,
                    message: request.message, structured: request.structured, subject: request.subject, attributes: request.attributes,
                    timestamp: timestamp, groupId: request.groupId, deduplicationId: request.deduplicationId)
                let targets = snapshot.subscriptions.filter { $0.record.confirmed && $0.accepts(message) }
                prepared.append(.success((message, targets)))
            }
        }
        let fifo = topic.fifo
        let items = prepared
        let (results, jobs): ([Result<Published, SNSError>], [DeliveryJob]) = try await database.transaction { db in
            var results: [Result<Published, SNSError>] = []
            var jobs: [DeliveryJob] = []
            for item in items {
                guard case .success(var (message, targets)) = item else {
                    if case .failure(let e) = item { results.append(.failure(e)) }
                    continue
                }
                if fifo {
                    let dedup = message.deduplicationId ?? ""
                    if let original = try db.first("""
                        SELECT message_id, sequence_number FROM sns_deduplication WHERE topic_arn = ? AND deduplication_id = ? AND expires_at > ?
                        """, [.text(topic.arn), .text(dedup), .integer(now)], { ($0.text(0), $0.text(1)) }) {
                        results.append(.success(Published(messageId: original.0, sequenceNumber: original.1)))
                        continue
                    }
                    guard let seq = try db.first("UPDATE sns_topics SET sequence = sequence + 1 WHERE arn = ? RETURNING sequence",
                                                 [.text(topic.arn)], { $0.int64(0) }) else { throw SNSError.topicNotFound() }
                    let digits = String(seq)
                    message.sequenceNumber = "1" + String(repeating: "0", count: max(0, 19 - digits.count)) + digits
                    try db.run("INSERT OR REPLACE INTO sns_deduplication (topic_arn, deduplication_id, message_id, sequence_number, expires_at) VALUES (?, ?, ?, ?, ?)",
                               .text(topic.arn), .text(dedup), .text(message.messageId), .text(message.sequenceNumber!), .integer(now + 300_000))
                }
                results.append(.success(Published(messageId: message.messageId, sequenceNumber: message.sequenceNumber)))
                if targets.isEmpty { continue }
                try db.run("INSERT INTO sns_messages (message) VALUES (?)", .text(message.json.jsonString))
                let seq = db.lastInsertRowID
                for t in targets {
                    try db.run("INSERT INTO sns_deliveries (message_seq, subscription_arn, kind, attempt, due) VALUES (?, ?, ?, 0, ?)",
                               .integer(seq), .text(t.record.arn), .text(t.record.protocol.rawValue), .integer(now))
                    jobs.append(DeliveryJob(id: db.lastInsertRowID, messageSeq: seq, subscriptionArn: t.record.arn, protocol: t.record.protocol,
                                            attempt: 0, due: now, message: message))
                }
                targets.removeAll()
            }
            return (results, jobs)
        }
        if !jobs.isEmpty { await deliverer.enqueue(jobs) }
        return results
    }

    /// A Publish to a phone number or a mobile endpoint: recorded in the delivery log.
    func publishDirect(_ request: PublishRequest, protocol: SNSProtocol, endpoint: String, context: RequestContext) async throws -> JSONValue {
        let messageId = Self.newId()
        let now = clock.nowMilliseconds()
        if `protocol` == .sms {
            let digits = endpoint.filter(\.isNumber)
            guard !digits.isEmpty, digits.count <= 15 else { throw SNSError.invalidParameter("PhoneNumber Reason: \(endpoint) is not valid to publish to") }
        }
        let text = request.structured.flatMap { s in
            (`protocol` == .sms ? s["sms"]?.stringValue : s["GCM"]?.stringValue ?? s["APNS"]?.stringValue) ?? s["default"]?.stringValue
        } ?? request.message
        try await database.transaction { db in
            if `protocol` == .application {
                guard try db.first("SELECT 1 FROM sns_platform_endpoints WHERE arn = ?", [.text(endpoint)], { _ in true }) != nil else {
                    throw SNSError.endpointNotFound()
                }
            }
            try db.run("""
                INSERT INTO sns_delivery_log (account, region, protocol, endpoint, subscription_arn, topic_arn, message_id, kind, body, status, delivered_at)
                VALUES (?, ?, ?, ?, '', '', ?, 'Notification', ?, 'delivered', ?)
                """, [.text(context.accountId), .text(context.region), .text(`protocol`.rawValue), .text(endpoint), .text(messageId),
                      .text(text), .integer(now)])
        }
        return ["MessageId": .string(messageId)]
    }
}
