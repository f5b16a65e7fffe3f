import Foundation
import JSON

/// A queue's settable attributes, validated. Kept as the client's strings (what
/// `GetQueueAttributes` returns) plus the parsed values the message path needs.
struct QueueConfiguration: Sendable, Equatable {
    /// Attribute name → value as returned to clients, in a stable order.
    var values: [String: String]

    var fifo: Bool { values[QueueAttributeName.fifoQueue.rawValue] == "true" }
    var visibilityTimeout: Int { Int(values["VisibilityTimeout"] ?? "") ?? QueueDefaults.visibilityTimeout }
    var maximumMessageSize: Int { Int(values["MaximumMessageSize"] ?? "") ?? QueueDefaults.maximumMessageSize }
    var messageRetentionPeriod: Int { Int(values["MessageRetentionPeriod"] ?? "") ?? QueueDefaults.messageRetentionPeriod }
    var delaySeconds: Int { Int(values["DelaySeconds"] ?? "") ?? 0 }
    var receiveMessageWaitTimeSeconds: Int { Int(values["ReceiveMessageWaitTimeSeconds"] ?? "") ?? 0 }
    var contentBasedDeduplication: Bool { values["ContentBasedDeduplication"] == "true" }
    var deduplicationScopeIsMessageGroup: Bool { values["DeduplicationScope"] == "messageGroup" }
    var redrivePolicy: RedrivePolicy? { values["RedrivePolicy"].flatMap { try? RedrivePolicy.parse($0) } }

    static func defaults(fifo: Bool) -> QueueConfiguration {
        var values: [String: String] = [:]
        for (name, value) in QueueDefaults.attributes(fifo: fifo) { values[name.rawValue] = value }
        return QueueConfiguration(values: values)
    }

    /// Validates `attributes` and applies them. `creating` allows `FifoQueue`.
    mutating func apply(_ attributes: [(key: String, value: String)], creating: Bool) throws {
        for (key, raw) in attributes {
            guard let name = QueueAttributeName(rawValue: key), name.isSettable else {
                throw SQSError.invalidAttributeName(key)
            }
            if name.isFifoOnly && !fifo && !(creating && name == .fifoQueue) {
                throw SQSError.invalidAttributeName(key)
            }
            if name == .fifoQueue && !creating {
                throw SQSError.invalidAttributeValue(key, reason: "Modifying queue type is not supported.")
            }
            values[key] = try QueueConfiguration.validate(name, raw, creating: creating, fifo: fifo)
        }
        let kms = attributes.first { $0.key == QueueAttributeName.kmsMasterKeyId.rawValue }?.value
        let managed = attributes.first { $0.key == QueueAttributeName.sqsManagedSseEnabled.rawValue }?.value.lowercased()
        if let kms, !kms.isEmpty {
            // One kind of server-side encryption at a time: a KMS key turns SQS-managed SSE off.
            if managed == "true" {
                throw SQSError("InvalidAttributeName", "You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.")
            }
            values[QueueAttributeName.sqsManagedSseEnabled.rawValue] = "false"
            if values[QueueAttributeName.kmsDataKeyReusePeriodSeconds.rawValue] == nil {
                values[QueueAttributeName.kmsDataKeyReusePeriodSeconds.rawValue] = "300"
            }
        } else if managed == "true" {
            values[QueueAttributeName.kmsMasterKeyId.rawValue] = nil
        }
    }

    static func validate(_ name: QueueAttributeName, _ value: String, creating: Bool, fifo: Bool) throws -> String {
        func integer(_ range: ClosedRange<Int>) throws -> String {
            guard let n = Int(value), range.contains(n) else { throw SQSError.invalidAttributeValue(name.rawValue) }
            return String(n)
        }
        func boolean() throws -> String {
            switch value.lowercased() {
            case "true": return "true"
            case "false": return "false"
            default: throw SQSError.invalidAttributeValue(name.rawValue)
            }
        }
        switch name {
        case .visibilityTimeout: return try integer(0...43_200)
        case .maximumMessageSize: return try integer(1_024...1_048_576)
        case .messageRetentionPeriod: return try integer(60...1_209_600)
        case .delaySeconds: return try integer(0...900)
        case .receiveMessageWaitTimeSeconds: return try integer(0...20)
        case .kmsDataKeyReusePeriodSeconds: return try integer(60...86_400)
        case .contentBasedDeduplication, .sqsManagedSseEnabled: return try boolean()
        case .fifoQueue:
            guard creating else { throw SQSError.invalidAttributeName(name.rawValue) }
            return try boolean()
        case .deduplicationScope:
            guard value == "messageGroup" || value == "queue" else { throw SQSError.invalidAttributeValue(name.rawValue) }
            return value
        case .fifoThroughputLimit:
            guard value == "perQueue" || value == "perMessageGroupId" else { throw SQSError.invalidAttributeValue(name.rawValue) }
            return value
        case .policy:
            if value.isEmpty { return value }
            guard case .object = try? JSONValue.parse(value) else {
                throw SQSError.invalidAttributeValue(name.rawValue, reason: "Policy is not a valid JSON document.")
            }
            return value
        case .redrivePolicy:
            if value.isEmpty { return value }
            return try RedrivePolicy.parse(value).json
        case .redriveAllowPolicy:
            if value.isEmpty { return value }
            return try RedriveAllowPolicy.parse(value).json
        case .kmsMasterKeyId:
            return value
        case .all, .approximateNumberOfMessages, .approximateNumberOfMessagesNotVisible, .createdTimestamp,
             .lastModifiedTimestamp, .queueArn, .approximateNumberOfMessagesDelayed:
            throw SQSError.invalidAttributeName(name.rawValue)
        }
    }

    func encoded() -> String {
        var object = JSONObject()
        for key in values.keys.sorted() { object[key] = .string(values[key]!) }
        return JSONValue.object(object).jsonString
    }

    static func decode(_ text: String) -> QueueConfiguration {
        var values: [String: String] = [:]
        if case .object(let o)? = try? JSONValue.parse(text) {
            for m in o { if case .string(let s) = m.value { values[m.key] = s } }
        }
        return QueueConfiguration(values: values)
    }
}

/// `RedrivePolicy`: where messages go after `maxReceiveCount` receives.
struct RedrivePolicy: Sendable, Equatable {
    var deadLetterTargetArn: String
    var maxReceiveCount: Int

    static func parse(_ text: String) throws -> RedrivePolicy {
        guard case .object(let o)? = try? JSONValue.parse(text) else {
            throw SQSError.invalidAttributeValue("RedrivePolicy", reason: "Redrive policy is not a valid JSON map.")
        }
        guard case .string(let arn)? = o["deadLetterTargetArn"] else {
            throw SQSError.invalidAttributeValue("RedrivePolicy", reason: "Redrive policy does not contain mandatory attribute: deadLetterTargetArn.")
        }
        let count: Int?
        switch o["maxReceiveCount"] {
        case .number(let n)?: count = Int(n)
        case .string(let s)?: count = Int(s)
        case nil: throw SQSError.invalidAttributeValue("RedrivePolicy", reason: "Redrive policy does not contain mandatory attribute: maxReceiveCount.")
        default: count = nil
        }
        guard let count, (1...1000).contains(count) else {
            throw SQSError.invalidAttributeValue("RedrivePolicy", reason: "Invalid value for maxReceiveCount: \(o["maxReceiveCount"]?.jsonString ?? ""), valid values are from 1 to 1000 both inclusive.")
        }
        guard QueueARN(arn) != nil else {
            throw SQSError.invalidParameter("RedrivePolicy", value: text, reason: "Invalid value for deadLetterTargetArn.")
        }
        return RedrivePolicy(deadLetterTargetArn: arn, maxReceiveCount: count)
    }

    var json: String {
        JSONValue.object(JSONObject(["deadLetterTargetArn": .string(deadLetterTargetArn), "maxReceiveCount": .integer(maxReceiveCount)])).jsonString
    }
}

/// `RedriveAllowPolicy`: which source queues may use this queue as their DLQ.
struct RedriveAllowPolicy: Sendable, Equatable {
    var redrivePermission: String
    var sourceQueueArns: [String]

    static func parse(_ text: String) throws -> RedriveAllowPolicy {
        guard case .object(let o)? = try? JSONValue.parse(text), case .string(let permission)? = o["redrivePermission"],
              ["allowAll", "denyAll", "byQueue"].contains(permission)
        else {
            throw SQSError.invalidAttributeValue("RedriveAllowPolicy", reason: "Invalid value for redrivePermission.")
        }
        var arns: [String] = []
        if let list = o["sourceQueueArns"] {
            guard case .array(let items) = list else { throw SQSError.invalidAttributeValue("RedriveAllowPolicy") }
            arns = items.compactMap(\.stringValue)
        }
        if permission == "byQueue" && (arns.isEmpty || arns.count > 10) {
            throw SQSError.invalidAttributeValue("RedriveAllowPolicy", reason: "sourceQueueArns must contain 1 to 10 ARNs when redrivePermission is byQueue.")
        }
        if permission != "byQueue" && !arns.isEmpty {
            throw SQSError.invalidAttributeValue("RedriveAllowPolicy", reason: "sourceQueueArns is allowed only when redrivePermission is byQueue.")
        }
        return RedriveAllowPolicy(redrivePermission: permission, sourceQueueArns: arns)
    }

    var json: String {
        var o = JSONObject(["redrivePermission": .string(redrivePermission)])
        if !sourceQueueArns.isEmpty { o["sourceQueueArns"] = .array(sourceQueueArns.map { .string($0) }) }
        return JSONValue.object(o).jsonString
    }

    func allows(sourceArn: String) -> Bool {
        switch redrivePermission {
        case "allowAll": return true
        case "denyAll": return false
        default: return sourceQueueArns.contains(sourceArn)
        }
    }
}
