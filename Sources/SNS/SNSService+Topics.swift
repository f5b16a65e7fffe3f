import Foundation
import JSON
import Storage
import Wire

/// Topic attributes a client may set, and which only FIFO topics take.
enum TopicAttributeNames {
    static let settable: Set<String> = [
        "Policy", "DeliveryPolicy", "DisplayName", "KmsMasterKeyId", "SignatureVersion", "TracingConfig",
        "ContentBasedDeduplication", "FifoTopic", "ArchivePolicy", "FifoThroughputScope", "DataProtectionPolicy",
        "ApplicationSuccessFeedbackRoleArn", "ApplicationSuccessFeedbackSampleRate", "ApplicationFailureFeedbackRoleArn",
        "HTTPSuccessFeedbackRoleArn", "HTTPSuccessFeedbackSampleRate", "HTTPFailureFeedbackRoleArn",
        "LambdaSuccessFeedbackRoleArn", "LambdaSuccessFeedbackSampleRate", "LambdaFailureFeedbackRoleArn",
        "SQSSuccessFeedbackRoleArn", "SQSSuccessFeedbackSampleRate", "SQSFailureFeedbackRoleArn",
        "FirehoseSuccessFeedbackRoleArn", "FirehoseSuccessFeedbackSampleRate", "FirehoseFailureFeedbackRoleArn",
    ]
    static let fifoOnly: Set<String> = ["ContentBasedDeduplication", "ArchivePolicy", "FifoThroughputScope"]
}

extension SNSService {
    static func validTopicName(_ name: String, fifo: Bool) -> Bool {
        let base = fifo ? String(name.dropLast(5)) : name
        guard !name.isEmpty, name.utf8.count <= 256, !base.isEmpty else { return false }
        return base.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_") }
    }

    /// Checks one topic attribute's value; `fifo` is the topic's type.
    static func validateTopicAttribute(_ name: String, _ value: String, fifo: Bool, creating: Bool) throws {
        guard TopicAttributeNames.settable.contains(name) else { throw SNSError.invalidParameter("AttributeName") }
        if name == "FifoTopic" && !creating {
            throw SNSError.invalidParameter("AttributeName")
        }
        if TopicAttributeNames.fifoOnly.contains(name) && !fifo {
            throw SNSError.invalidParameter("Attributes Reason: \(name) is only valid for FIFO topics")
        }
        switch name {
        case "FifoTopic", "ContentBasedDeduplication":
            guard value == "true" || value == "false" else {
                throw SNSError.invalidParameter("Attributes Reason: \(name): Invalid value [\(value)]. Must be true or false.")
            }
        case "SignatureVersion":
            guard value == "1" || value == "2" else {
                throw SNSError.invalidParameter("Attributes Reason: SignatureVersion: Invalid value [\(value)]. Must be 1 or 2.")
            }
        case "TracingConfig":
            guard value == "Active" || value == "PassThrough" else {
                throw SNSError.invalidParameter("Attributes Reason: TracingConfig: Invalid value [\(value)]. Must be Active or PassThrough.")
            }
        case "Policy", "ArchivePolicy", "DataProtectionPolicy":
            guard value.isEmpty || (try? JSONValue.parse(Array(value.utf8)))?.objectValue != nil else {
                throw SNSError.invalidParameter("\(name): failed to parse JSON")
            }
        case "DeliveryPolicy":
            if !value.isEmpty { try HTTPDeliverySettings.validate(value, topic: true) }
        case "FifoThroughputScope":
            guard value == "Topic" || value == "MessageGroup" else {
                throw SNSError.invalidParameter("Attributes Reason: FifoThroughputScope: Invalid value [\(value)]. Must be Topic or MessageGroup.")
            }
        default:
            break
        }
    }

    func createTopic(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let name = try input.requiredString("Name")
        let attributes = try input.stringMap("Attributes") ?? []
        let fifoValue = attributes.last { $0.key == "FifoTopic" }?.value
        let fifo = fifoValue == "true"
        if fifo {
            guard name.hasSuffix(".fifo"), Self.validTopicName(name, fifo: true) else {
                throw SNSError.invalidParameter("Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.")
            }
        } else {
            guard Self.validTopicName(name, fifo: false) else { throw SNSError.invalidParameter("Topic Name") }
        }
        var stored = JSONObject()
        for (key, value) in attributes {
            try Self.validateTopicAttribute(key, value, fifo: fifo, creating: true)
            stored[key] = .string(value)
        }
        if fifo {
            if stored["ContentBasedDeduplication"] == nil { stored["ContentBasedDeduplication"] = "false" }
        } else {
            stored["FifoTopic"] = nil
        }
        if let dpp = try input.string("DataProtectionPolicy") {
            try Self.validateTopicAttribute("DataProtectionPolicy", dpp, fifo: fifo, creating: true)
        }
        let tags = try Self.readTags(input)
        let arn = SNSArn.topic(name, region: context.region, account: context.accountId)
        let now = clock.nowMilliseconds()
        let requested = attributes
        let storedAttributes = stored
        let dataProtection = try input.string("DataProtectionPolicy")
        try await write { db in
            if let existing = try db.topic(arn) {
                for (key, value) in requested where key != "FifoTopic" || value == "true" {
                    if existing.attributes[key]?.stringValue ?? "" != value {
                        throw SNSError.invalidParameter("Attributes Reason: Topic already exists with different attributes")
                    }
                }
                if existing.fifo != fifo { throw SNSError.invalidParameter("Attributes Reason: Topic already exists with different attributes") }
                if !tags.isEmpty {
                    let current = Dictionary(existing.tags.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
                    if tags.contains(where: { current[$0.key] != $0.value }) {
                        throw SNSError.invalidParameter("Tags Reason: Topic already exists with different tags")
                    }
                }
                return
            }
            try db.run("""
                INSERT INTO sns_topics (arn, account, region, name, attributes, tags, data_protection_policy, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, [.text(arn), .text(context.accountId), .text(context.region), .text(name),
                      .text(JSONValue.object(storedAttributes).jsonString), .text(TopicRecord.encodeTags(tags)), SQLValue(dataProtection), .integer(now)])
        }
        return ["TopicArn": .string(arn)]
    }

    func topicArn(_ input: ShapeReader, _ key: String = "TopicArn") throws -> String {
        let arn = try input.requiredString(key)
        guard let parsed = SNSArn(arn), parsed.subscriptionId == nil else { throw SNSError.invalidParameter(key) }
        return parsed.topicArn
    }

    func deleteTopic(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let arn = try topicArn(input)
        try await write { db in
            try db.run("DELETE FROM sns_topics WHERE arn = ?", .text(arn))
            try db.run("DELETE FROM sns_subscriptions WHERE topic_arn = ?", .text(arn))
            try db.run("DELETE FROM sns_deduplication WHERE topic_arn = ?", .text(arn))
        }
        return [:]
    }

    func listTopics(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let after = try input.string("NextToken").flatMap { Self.decodeToken($0) } ?? ""
        if let token = try input.string("NextToken"), Self.decodeToken(token) == nil {
            throw SNSError.invalidParameter("NextToken")
        }
        let rows: [String] = try await database.read { db in
            try db.all("SELECT arn FROM sns_topics WHERE account = ? AND region = ? AND arn > ? ORDER BY arn LIMIT 101",
                       [.text(context.accountId), .text(context.region), .text(after)]) { $0.text(0) }
        }
        var o = JSONObject()
        let page = rows.prefix(100)
        o.append("Topics", .array(page.map { ["TopicArn": .string($0)] }))
        if rows.count > 100, let last = page.last { o.append("NextToken", .string(Self.encodeToken(last))) }
        return .object(o)
    }

    func getTopicAttributes(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let arn = try topicArn(input)
        let (topic, counts): (TopicRecord, (Int, Int)) = try await database.read { db in
            let topic = try db.requireTopic(arn)
            let counts = try db.first("SELECT COALESCE(SUM(confirmed), 0), COUNT(*) - COALESCE(SUM(confirmed), 0) FROM sns_subscriptions WHERE topic_arn = ?",
                                      [.text(arn)]) { ($0.int(0), $0.int(1)) } ?? (0, 0)
            return (topic, counts)
        }
        var o = JSONObject()
        o.append("Policy", .string(topic.attributes["Policy"]?.stringValue ?? TopicRecord.defaultPolicy(arn: arn, account: topic.account)))
        o.append("Owner", .string(topic.account))
        o.append("SubscriptionsPending", .string(String(counts.1)))
        o.append("TopicArn", .string(arn))
        o.append("EffectiveDeliveryPolicy", .string(HTTPDeliverySettings.topicJSON(topic.attributes).jsonString))
        o.append("SubscriptionsConfirmed", .string(String(counts.0)))
        o.append("DisplayName", .string(topic.attributes["DisplayName"]?.stringValue ?? ""))
        o.append("SubscriptionsDeleted", "0")
        for m in topic.attributes where !["Policy", "DisplayName"].contains(m.key) {
            o[m.key] = m.value
        }
        return ["Attributes": .object(o)]
    }

    func setTopicAttributes(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let arn = try topicArn(input)
        let name = try input.requiredString("AttributeName")
        let value = try input.string("AttributeValue") ?? ""
        try await write { db in
            var topic = try db.requireTopic(arn)
            try Self.validateTopicAttribute(name, value, fifo: topic.fifo, creating: false)
            topic.attributes[name] = value.isEmpty && ["Policy", "DeliveryPolicy", "KmsMasterKeyId"].contains(name) ? nil : .string(value)
            try db.run("UPDATE sns_topics SET attributes = ? WHERE arn = ?", .text(JSONValue.object(topic.attributes).jsonString), .text(arn))
        }
        return [:]
    }

    // MARK: tags

    static func readTags(_ input: ShapeReader) throws -> [(key: String, value: String)] {
        guard let list = try input.structureList("Tags") else { return [] }
        var tags: [(key: String, value: String)] = []
        for t in list {
            let key = try t.requiredString("Key")
            let value = try t.requiredString("Value")
            guard !key.isEmpty, key.count <= 128, value.count <= 256, !key.lowercased().hasPrefix("aws:") else {
                throw SNSError.invalidParameter("Tags")
            }
            if let i = tags.firstIndex(where: { $0.key == key }) { tags[i].value = value } else { tags.append((key, value)) }
        }
        if tags.count > 50 { throw SNSError.tagLimitExceeded() }
        return tags
    }

    func resourceTopic(_ input: ShapeReader) throws -> String {
        let arn = try input.requiredString("ResourceArn")
        guard let parsed = SNSArn(arn), parsed.subscriptionId == nil else { throw SNSError.invalidParameter("ResourceArn") }
        return parsed.topicArn
    }

    func tagResource(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let arn = try resourceTopic(input)
        let tags = try Self.readTags(input)
        try await write { db in
            guard var topic = try db.topic(arn) else { throw SNSError.resourceNotFound() }
            for t in tags {
                if let i = topic.tags.firstIndex(where: { $0.key == t.key }) { topic.tags[i].value = t.value } else { topic.tags.append(t) }
            }
            if topic.tags.count > 50 { throw SNSError.tagLimitExceeded() }
            try db.run("UPDATE sns_topics SET tags = ? WHERE arn = ?", .text(TopicRecord.encodeTags(topic.tags)), .text(arn))
        }
        return [:]
    }

    func untagResource(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let arn = try resourceTopic(input)
        let keys = Set(try input.stringList("TagKeys") ?? [])
        try await write { db in
            guard var topic = try db.topic(arn) else { throw SNSError.resourceNotFound() }
            topic.tags.removeAll { keys.contains($0.key) }
            try db.run("UPDATE sns_topics SET tags = ? WHERE arn = ?", .text(TopicRecord.encodeTags(topic.tags)), .text(arn))
        }
        return [:]
    }

    func listTagsForResource(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let arn = try resourceTopic(input)
        let topic = try await database.read { db in try db.topic(arn) }
        guard let topic else { throw SNSError.resourceNotFound() }
        return ["Tags": .array(topic.tags.map { ["Key": .string($0.key), "Value": .string($0.value)] })]
    }

    // MARK: permissions and data protection

    func addPermission(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let arn = try topicArn(input)
        let label = try input.requiredString("Label")
        let accounts = try input.stringList("AWSAccountId") ?? []
        let actions = try input.stringList("ActionName") ?? []
        guard !accounts.isEmpty else { throw SNSError.invalidParameter("AWSAccountId") }
        guard !actions.isEmpty else { throw SNSError.invalidParameter("ActionName") }
        try await write { db in
            var topic = try db.requireTopic(arn)
            let text = topic.attributes["Policy"]?.stringValue ?? TopicRecord.defaultPolicy(arn: arn, account: topic.account)
            guard case .object(var policy)? = try? JSONValue.parse(Array(text.utf8)) else { throw SNSError.invalidParameter("Policy") }
            var statements = policy["Statement"]?.arrayValue ?? []
            if statements.contains(where: { $0["Sid"]?.stringValue == label }) {
                throw SNSError.invalidParameter("Statement already exists")
            }
            let principals: [JSONValue] = accounts.map { .string("arn:aws:iam::\($0):root") }
            statements.append([
                "Sid": .string(label), "Effect": "Allow",
                "Principal": ["AWS": principals.count == 1 ? principals[0] : .array(principals)],
                "Action": actions.count == 1 ? .string("SNS:\(actions[0])") : .array(actions.map { .string("SNS:\($0)") }),
                "Resource": .string(arn),
            ])
            policy["Statement"] = .array(statements)
            topic.attributes["Policy"] = .string(JSONValue.object(policy).jsonString)
            try db.run("UPDATE sns_topics SET attributes = ? WHERE arn = ?", .text(JSONValue.object(topic.attributes).jsonString), .text(arn))
        }
        return [:]
    }

    func removePermission(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let arn = try topicArn(input)
        let label = try input.requiredString("Label")
        try await write { db in
            var topic = try db.requireTopic(arn)
            guard let text = topic.attributes["Policy"]?.stringValue,
                  case .object(var policy)? = try? JSONValue.parse(Array(text.utf8)) else { return }
            let statements = policy["Statement"]?.arrayValue ?? []
            policy["Statement"] = .array(statements.filter { $0["Sid"]?.stringValue != label })
            topic.attributes["Policy"] = .string(JSONValue.object(policy).jsonString)
            try db.run("UPDATE sns_topics SET attributes = ? WHERE arn = ?", .text(JSONValue.object(topic.attributes).jsonString), .text(arn))
        }
        return [:]
    }

    func getDataProtectionPolicy(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let arn = try resourceTopic(input)
        let policy: String?? = try await database.read { db in
            try db.first("SELECT data_protection_policy FROM sns_topics WHERE arn = ?", [.text(arn)]) { $0.optionalText(0) }
        }
        guard let policy else { throw SNSError.topicNotFound() }
        return ["DataProtectionPolicy": .string(policy ?? "")]
    }

    func putDataProtectionPolicy(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let arn = try resourceTopic(input)
        let policy = try input.requiredString("DataProtectionPolicy")
        try Self.validateTopicAttribute("DataProtectionPolicy", policy, fifo: false, creating: false)
        try await write { db in
            guard try db.run("UPDATE sns_topics SET data_protection_policy = ? WHERE arn = ?", .text(policy), .text(arn)) > 0 else {
                throw SNSError.topicNotFound()
            }
        }
        return [:]
    }

    // MARK: pagination tokens

    static func encodeToken(_ s: String) -> String { Data(s.utf8).base64EncodedString() }
    static func decodeToken(_ s: String) -> String? { Data(base64Encoded: s).flatMap { String(data: $0, encoding: .utf8) } }
}
