import Foundation
import JSON
import Storage
import Wire

extension SQSService {
    func createQueue(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let name = try input.requiredString("QueueName")
        let attributes = try input.stringMap("Attributes") ?? []
        let tags = try input.stringMap("tags") ?? []
        let wantsFifo = attributes.contains { $0.key == "FifoQueue" && $0.value.lowercased() == "true" }
        guard SQSLimits.isValidQueueName(name, fifo: wantsFifo) else {
            if wantsFifo || name.hasSuffix(".fifo") {
                throw SQSError.invalidParameterValue("The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.")
            }
            throw SQSError.invalidParameterValue("Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length")
        }
        guard tags.count <= SQSLimits.maxTags else { throw SQSError.invalidParameterValue("Too many tags added for queue \(name).") }
        let configuration = try QueueConfiguration.defaults(fifo: wantsFifo).applying(attributes)
        let key = QueueKey(account: context.accountId, region: context.region, name: name)
        let now = clock.nowMilliseconds()
        try await database.transaction { db in
            if let existing = try db.queue(key) {
                // Idempotent when every attribute given matches; AWS compares only those.
                for (attribute, _) in attributes {
                    if existing.configuration.values[attribute] != configuration.values[attribute] {
                        throw SQSError.queueNameExists(attribute)
                    }
                }
                return
            }
            try SQSService.validateRedrive(configuration, queueArn: key.arn, db: db, key: key)
            try db.run("""
                INSERT INTO sqs_queues (account, region, name, attributes, tags, created_at, modified_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, .text(key.account), .text(key.region), .text(key.name), .text(configuration.encoded()),
                .text(QueueRecord.encodeTags(tags)), .integer(now), .integer(now))
        }
        return ["QueueUrl": .string(key.url(host: context.host))]
    }

    /// A redrive policy must name an existing queue of the same type that allows us.
    static func validateRedrive(_ configuration: QueueConfiguration, queueArn: String, db: Connection, key: QueueKey) throws {
        guard let policy = configuration.redrivePolicy else { return }
        guard let target = QueueARN(policy.deadLetterTargetArn), let dlq = try db.queue(target.key) else {
            throw SQSError.invalidAttributeValue("RedrivePolicy", reason: "Dead letter target does not exist.")
        }
        guard dlq.fifo == configuration.fifo else {
            throw SQSError.invalidAttributeValue("RedrivePolicy", reason: "Dead-letter queue must be same type of queue as the source.")
        }
        if let allow = dlq.configuration.values["RedriveAllowPolicy"].flatMap({ try? RedriveAllowPolicy.parse($0) }),
           !allow.allows(sourceArn: queueArn) {
            throw SQSError.invalidAttributeValue("RedrivePolicy", reason: "Dead letter queue does not allow this queue as a source.")
        }
    }

    func deleteQueue(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let key = try queueKey(input, context)
        let id: Int64 = try await database.transaction { db in
            let queue = try db.requireQueue(key)
            try db.run("DELETE FROM sqs_queues WHERE id = ?", .integer(queue.id))
            return queue.id
        }
        waiters.notify(queueId: id)
        return [:]
    }

    func getQueueUrl(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let name = try input.requiredString("QueueName")
        let owner = try input.string("QueueOwnerAWSAccountId") ?? context.accountId
        let key = QueueKey(account: owner, region: context.region, name: name)
        _ = try await database.transaction { db in try db.requireQueue(key) }
        return ["QueueUrl": .string(key.url(host: context.host))]
    }

    func listQueues(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let prefix = try input.string("QueueNamePrefix") ?? ""
        let maxResults = try input.int("MaxResults")
        if let maxResults, !(1...1000).contains(maxResults) {
            throw SQSError.invalidParameter("MaxResults", value: String(maxResults), reason: "MaxResults must be an integer between 1 and 1000.")
        }
        let after = try PageToken.decode(input.string("NextToken"))
        let limit = maxResults ?? 1000
        let account = context.accountId, region = context.region
        let names: [String] = try await database.transaction { db in
            try db.all("""
                SELECT name FROM sqs_queues WHERE account = ? AND region = ? AND substr(name, 1, ?) = ? AND name > ?
                ORDER BY name LIMIT ?
                """, [.text(account), .text(region), .integer(Int64(prefix.utf8.count)), .text(prefix),
                      .text(after ?? ""), .integer(Int64(limit + 1))]) { $0.text(0) }
        }
        var output = JSONObject()
        let page = names.prefix(limit)
        output["QueueUrls"] = .array(page.map { .string(QueueKey(account: account, region: region, name: $0).url(host: context.host)) })
        if maxResults != nil, names.count > limit, let last = page.last {
            output["NextToken"] = .string(PageToken.encode(last))
        }
        return .object(output)
    }

    func purgeQueue(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let key = try queueKey(input, context)
        let now = clock.nowMilliseconds()
        try await database.transaction { db in
            let queue = try db.requireQueue(key)
            if let purged = queue.purgedAt, now - purged < SQSLimits.purgeInterval {
                throw SQSError.purgeQueueInProgress(key.name)
            }
            try db.run("DELETE FROM sqs_messages WHERE queue_id = ?", .integer(queue.id))
            try db.run("UPDATE sqs_queues SET purged_at = ? WHERE id = ?", .integer(now), .integer(queue.id))
        }
        return [:]
    }

    func listDeadLetterSourceQueues(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let key = try queueKey(input, context)
        let maxResults = try input.int("MaxResults")
        if let maxResults, !(1...1000).contains(maxResults) {
            throw SQSError.invalidParameter("MaxResults", value: String(maxResults), reason: "MaxResults must be an integer between 1 and 1000.")
        }
        let after = try PageToken.decode(input.string("NextToken"))
        let sources: [QueueKey] = try await database.transaction { db in
            _ = try db.requireQueue(key)
            return try db.all("SELECT \(QueueRecord.columns) FROM sqs_queues WHERE account = ? AND region = ? ORDER BY name",
                              [.text(key.account), .text(key.region)]) { QueueRecord($0) }
                .filter { $0.configuration.redrivePolicy?.deadLetterTargetArn == key.arn }
                .map(\.key)
        }
        let remaining = sources.filter { after == nil || $0.name > after! }
        let limit = maxResults ?? 1000
        let page = remaining.prefix(limit)
        var output = JSONObject()
        output["queueUrls"] = .array(page.map { .string($0.url(host: context.host)) })
        if maxResults != nil, remaining.count > limit, let last = page.last {
            output["NextToken"] = .string(PageToken.encode(last.name))
        }
        return .object(output)
    }
}

/// Opaque pagination tokens: the last name returned, base64-encoded.
enum PageToken {
    static func encode(_ last: String) -> String { Data("v1:\(last)".utf8).base64EncodedString() }

    static func decode(_ token: String?) throws -> String? {
        guard let token, !token.isEmpty else { return nil }
        guard let data = Data(base64Encoded: token), let text = String(data: data, encoding: .utf8), text.hasPrefix("v1:") else {
            throw SQSError.invalidParameter("NextToken", value: token, reason: "Invalid NextToken value.")
        }
        return String(text.dropFirst(3))
    }
}

extension QueueConfiguration {
    /// The configuration after `attributes`, without validation (for comparison).
    func applying(_ attributes: [(key: String, value: String)]) throws -> QueueConfiguration {
        var copy = self
        try copy.apply(attributes, creating: true)
        return copy
    }
}
