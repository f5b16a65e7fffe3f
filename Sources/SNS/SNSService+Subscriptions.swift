import Foundation
import JSON
import Storage
import Wire

extension SNSService {
    static let subscriptionAttributeNames: Set<String> = [
        "DeliveryPolicy", "FilterPolicy", "FilterPolicyScope", "RawMessageDelivery", "RedrivePolicy", "SubscriptionRoleArn", "ReplayPolicy",
    ]

    /// Checks one subscription attribute as Subscribe and SetSubscriptionAttributes do.
    static func validateSubscriptionAttribute(_ name: String, _ value: String, protocol: SNSProtocol,
                                              scope: FilterPolicyScope) throws {
        guard subscriptionAttributeNames.contains(name) else { throw SNSError.invalidParameter("AttributeName") }
        switch name {
        case "RawMessageDelivery":
            guard value.lowercased() == "true" || value.lowercased() == "false" else {
                throw SNSError.invalidParameter("Attributes Reason: RawMessageDelivery: Invalid value [\(value)]. Must be true or false.")
            }
            if value.lowercased() == "true" && !`protocol`.supportsRawDelivery {
                throw SNSError.invalidParameter("Attributes Reason: Delivery protocol [\(`protocol`.rawValue)] does not support raw message delivery.")
            }
        case "FilterPolicy":
            guard !value.isEmpty else { return }
            do {
                _ = try FilterPolicy(json: value, scope: scope)
            } catch let error as FilterPolicyError {
                throw SNSError.invalidParameter("FilterPolicy: \(error.message)")
            }
        case "FilterPolicyScope":
            guard FilterPolicyScope(rawValue: value) != nil else {
                throw SNSError.invalidParameter("Attributes Reason: FilterPolicyScope: Invalid value [\(value)]. Please use either MessageBody or MessageAttributes")
            }
        case "RedrivePolicy":
            guard !value.isEmpty else { return }
            guard case .object(let o)? = try? JSONValue.parse(Array(value.utf8)) else {
                throw SNSError.invalidParameter("RedrivePolicy: failed to parse JSON.")
            }
            guard let target = o["deadLetterTargetArn"]?.stringValue else {
                throw SNSError.invalidParameter("RedrivePolicy: deadLetterTargetArn is missing")
            }
            guard let arn = ServiceArn(target), arn.service == "sqs" else {
                throw SNSError.invalidParameter("RedrivePolicy: Invalid deadLetterTargetArn")
            }
        case "DeliveryPolicy":
            guard !value.isEmpty else { return }
            guard `protocol`.isHTTP else {
                throw SNSError.invalidParameter("DeliveryPolicy: Delivery protocol [\(`protocol`.rawValue)] does not support delivery policies.")
            }
            try HTTPDeliverySettings.validate(value, topic: false)
        case "SubscriptionRoleArn":
            guard `protocol` == .firehose else {
                throw SNSError.invalidParameter("Attributes Reason: SubscriptionRoleArn is only valid for firehose subscriptions")
            }
        default:
            break
        }
    }

    /// The endpoint a protocol accepts, in AWS's words when it does not.
    static func validateEndpoint(_ endpoint: String?, protocol: SNSProtocol) throws -> String {
        let e = endpoint ?? ""
        switch `protocol` {
        case .sqs:
            guard let arn = ServiceArn(e), arn.service == "sqs" else { throw SNSError.invalidParameter("SQS endpoint ARN") }
        case .lambda:
            guard let arn = ServiceArn(e), arn.service == "lambda", arn.resource.hasPrefix("function:") else {
                throw SNSError.invalidParameter("Lambda endpoint ARN")
            }
        case .http, .https:
            guard e.lowercased().hasPrefix("\(`protocol`.rawValue)://"), URL(string: e)?.host != nil else {
                throw SNSError.invalidParameter("Endpoint must match the specified protocol")
            }
        case .email, .emailJSON:
            let parts = e.split(separator: "@", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !e.contains(" ") else {
                throw SNSError.invalidParameter("Email address")
            }
        case .sms:
            let digits = e.filter(\.isNumber)
            guard !digits.isEmpty, digits.count <= 15, e.allSatisfy({ $0.isNumber || "+-() ".contains($0) }) else {
                throw SNSError.invalidParameter("Invalid SMS endpoint: \(e)")
            }
        case .application:
            guard e.hasPrefix("arn:"), e.contains(":endpoint/") else { throw SNSError.invalidParameter("Endpoint ARN") }
        case .firehose:
            guard let arn = ServiceArn(e), arn.service == "firehose" else { throw SNSError.invalidParameter("Firehose endpoint ARN") }
        }
        return e
    }

    func subscribe(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let topicArn = try topicArn(input)
        let protocolName = try input.requiredString("Protocol")
        guard let proto = SNSProtocol(rawValue: protocolName.lowercased()) else {
            throw SNSError.invalidParameter("Amazon SNS does not support this protocol string: \(protocolName)")
        }
        let endpoint = try Self.validateEndpoint(try input.string("Endpoint"), protocol: proto)
        let requested = try input.stringMap("Attributes") ?? []
        let scope = requested.last { $0.key == "FilterPolicyScope" }.flatMap { FilterPolicyScope(rawValue: $0.value) } ?? .messageAttributes
        var attributes = JSONObject()
        for (key, value) in requested {
            try Self.validateSubscriptionAttribute(key, value, protocol: proto, scope: scope)
            attributes[key] = .string(key == "RawMessageDelivery" ? value.lowercased() : value)
        }
        if attributes["FilterPolicy"] != nil && attributes["FilterPolicyScope"] == nil {
            attributes["FilterPolicyScope"] = "MessageAttributes"
        }
        let returnArn = try input.bool("ReturnSubscriptionArn") ?? false
        let confirmedNow = !proto.needsConfirmation
        let arn = "\(topicArn):\(Self.newId())"
        let token = proto.needsConfirmation ? Self.confirmationToken() : nil
        let now = clock.nowMilliseconds()
        let owner = context.accountId
        let stored = attributes
        let timestamp = SNSTimestamp.format(now)
        let result: (arn: String, confirmed: Bool, job: DeliveryJob?) = try await write { db in
            let topic = try db.requireTopic(topicArn)
            if topic.fifo && ![.sqs, .lambda, .firehose].contains(proto) {
                throw SNSError.invalidParameter("Invalid protocol type: \(proto.rawValue)")
            }
            if let existing = try db.first("SELECT \(SubscriptionRecord.columns) FROM sns_subscriptions WHERE topic_arn = ? AND protocol = ? AND endpoint = ?",
                                           [.text(topicArn), .text(proto.rawValue), .text(endpoint)], { SubscriptionRecord($0) }) {
                for m in stored where existing.attributes[m.key] != m.value {
                    throw SNSError.invalidParameter("Attributes Reason: Subscription already exists with different attributes")
                }
                if existing.confirmed || !proto.needsConfirmation { return (existing.arn, true, nil) }
                return (existing.arn, false, nil)
            }
            try db.run("""
                INSERT INTO sns_subscriptions (arn, topic_arn, account, region, owner, protocol, endpoint, attributes, confirmed, token, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [.text(arn), .text(topicArn), .text(topic.account), .text(topic.region), .text(owner), .text(proto.rawValue),
                      .text(endpoint), .text(JSONValue.object(stored).jsonString), .integer(confirmedNow ? 1 : 0), SQLValue(token),
                      .integer(now)])
            guard let token else { return (arn, confirmedNow, nil) }
            // The SubscriptionConfirmation goes out through the deliverer, durably.
            let message = PublishedMessage(
                kind: .subscriptionConfirmation, messageId: Self.newId(), topicArn: topicArn, account: topic.account, region: topic.region,
                message: "You have chosen to subscribe to the topic \(topicArn).\nTo confirm the subscription, visit the SubscribeURL included in this message.",
                timestamp: timestamp, token: token)
            let job = try Self.storeDelivery(message, to: arn, protocol: proto, now: now, db: db)
            return (arn, false, job)
        }
        if let job = result.job { await deliverer.enqueue([job]) }
        return ["SubscriptionArn": .string(result.confirmed || returnArn ? result.arn : "pending confirmation")]
    }

    /// Stores a message and one delivery of it; returns the job for the deliverer.
    static func storeDelivery(_ message: PublishedMessage, to subscription: String, protocol: SNSProtocol, now: Int64,
                              db: Connection) throws -> DeliveryJob {
        try db.run("INSERT INTO sns_messages (message) VALUES (?)", .text(message.json.jsonString))
        let seq = db.lastInsertRowID
        try db.run("INSERT INTO sns_deliveries (message_seq, subscription_arn, kind, attempt, due) VALUES (?, ?, ?, 0, ?)",
                   .integer(seq), .text(subscription), .text(`protocol`.rawValue), .integer(now))
        return DeliveryJob(id: db.lastInsertRowID, messageSeq: seq, subscriptionArn: subscription, protocol: `protocol`, attempt: 0,
                           due: now, message: message)
    }

    /// Confirmation tokens are long random hex, as AWS's are.
    static func confirmationToken() -> String {
        (0..<4).map { _ in UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased() }.joined()
    }

    func confirmSubscription(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let topicArn = try topicArn(input)
        let token = try input.requiredString("Token")
        let arn: String = try await write { db in
            _ = try db.requireTopic(topicArn)
            guard let arn = try db.first("SELECT arn FROM sns_subscriptions WHERE topic_arn = ? AND token = ?",
                                         [.text(topicArn), .text(token)], { $0.text(0) }) else {
                throw SNSError.invalidParameter("Token")
            }
            try db.run("UPDATE sns_subscriptions SET confirmed = 1 WHERE arn = ?", .text(arn))
            return arn
        }
        return ["SubscriptionArn": .string(arn)]
    }

    func subscriptionArn(_ input: ShapeReader) throws -> String {
        let arn = try input.requiredString("SubscriptionArn")
        guard let parsed = SNSArn(arn), parsed.subscriptionId != nil else { throw SNSError.invalidParameter("SubscriptionArn") }
        return arn
    }

    func unsubscribe(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let arn = try subscriptionArn(input)
        try await write { db in
            guard try db.run("DELETE FROM sns_subscriptions WHERE arn = ?", .text(arn)) > 0 else { throw SNSError.subscriptionNotFound() }
        }
        return [:]
    }

    func listSubscriptions(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let token = try input.string("NextToken")
        let after = token.flatMap { Self.decodeToken($0) } ?? ""
        if token != nil && Self.decodeToken(token!) == nil { throw SNSError.invalidParameter("NextToken") }
        let rows: [SubscriptionRecord] = try await database.read { db in
            try db.all("SELECT \(SubscriptionRecord.columns) FROM sns_subscriptions WHERE account = ? AND region = ? AND arn > ? ORDER BY arn LIMIT 101",
                       [.text(context.accountId), .text(context.region), .text(after)]) { SubscriptionRecord($0) }
        }
        return Self.subscriptionPage(rows)
    }

    func listSubscriptionsByTopic(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let topicArn = try topicArn(input)
        let token = try input.string("NextToken")
        let after = token.flatMap { Self.decodeToken($0) } ?? ""
        if token != nil && Self.decodeToken(token!) == nil { throw SNSError.invalidParameter("NextToken") }
        let rows: [SubscriptionRecord] = try await database.read { db in
            _ = try db.requireTopic(topicArn)
            return try db.all("SELECT \(SubscriptionRecord.columns) FROM sns_subscriptions WHERE topic_arn = ? AND arn > ? ORDER BY arn LIMIT 101",
                              [.text(topicArn), .text(after)]) { SubscriptionRecord($0) }
        }
        return Self.subscriptionPage(rows)
    }

    static func subscriptionPage(_ rows: [SubscriptionRecord]) -> JSONValue {
        var o = JSONObject()
        let page = rows.prefix(100)
        o.append("Subscriptions", .array(page.map(\.listed)))
        if rows.count > 100, let last = page.last { o.append("NextToken", .string(encodeToken(last.arn))) }
        return .object(o)
    }

    func getSubscriptionAttributes(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let arn = try subscriptionArn(input)
        let found: (SubscriptionRecord, TopicRecord?)? = try await database.read { db in
            guard let s = try db.subscription(arn) else { return nil }
            return (s, try db.topic(s.topicArn))
        }
        guard let (s, topic) = found else { throw SNSError.subscriptionNotFound() }
        var o = JSONObject()
        o.append("ConfirmationWasAuthenticated", .string(s.confirmed ? "true" : "false"))
        o.append("PendingConfirmation", .string(s.confirmed ? "false" : "true"))
        o.append("Owner", .string(s.owner))
        o.append("RawMessageDelivery", .string(s.rawMessageDelivery ? "true" : "false"))
        o.append("TopicArn", .string(s.topicArn))
        o.append("Endpoint", .string(s.endpoint))
        o.append("Protocol", .string(s.protocol.rawValue))
        o.append("SubscriptionArn", .string(s.arn))
        if s.protocol.isHTTP {
            let settings = HTTPDeliverySettings(topic: topic?.attributes ?? JSONObject(), subscription: s.attributes)
            o.append("EffectiveDeliveryPolicy", .string(settings.subscriptionJSON.jsonString))
        }
        for m in s.attributes where m.key != "RawMessageDelivery" { o[m.key] = m.value }
        return ["Attributes": .object(o)]
    }

    func setSubscriptionAttributes(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let arn = try subscriptionArn(input)
        let name = try input.requiredString("AttributeName")
        let value = try input.string("AttributeValue") ?? ""
        try await write { db in
            guard var s = try db.subscription(arn) else { throw SNSError.subscriptionNotFound() }
            let scope = name == "FilterPolicy" ? s.filterPolicyScope : .messageAttributes
            try Self.validateSubscriptionAttribute(name, value, protocol: s.protocol, scope: scope)
            if name == "FilterPolicyScope", let policy = s.filterPolicyText, let newScope = FilterPolicyScope(rawValue: value) {
                do { _ = try FilterPolicy(json: policy, scope: newScope) } catch let error as FilterPolicyError {
                    throw SNSError.invalidParameter("FilterPolicy: \(error.message)")
                }
            }
            switch name {
            case "RawMessageDelivery": s.attributes[name] = .string(value.lowercased())
            case "FilterPolicy" where value.isEmpty:
                s.attributes["FilterPolicy"] = nil
                s.attributes["FilterPolicyScope"] = nil
            case "FilterPolicy":
                s.attributes[name] = .string(value)
                if s.attributes["FilterPolicyScope"] == nil { s.attributes["FilterPolicyScope"] = "MessageAttributes" }
            default: s.attributes[name] = value.isEmpty ? nil : .string(value)
            }
            try db.run("UPDATE sns_subscriptions SET attributes = ? WHERE arn = ?", .text(JSONValue.object(s.attributes).jsonString), .text(arn))
        }
        return [:]
    }
}
