import JSON
import Storage

/// The protocols SNS delivers to.
enum SNSProtocol: String, Sendable, CaseIterable {
    case sqs, lambda, http, https, email, emailJSON = "email-json", sms, application, firehose

    /// Protocols whose subscriptions wait for a confirmation.
    var needsConfirmation: Bool { [.http, .https, .email, .emailJSON].contains(self) }
    var supportsRawDelivery: Bool { [.sqs, .http, .https, .firehose].contains(self) }
    var isHTTP: Bool { self == .http || self == .https }
}

/// A subscription as stored.
struct SubscriptionRecord: Sendable {
    var arn: String
    var topicArn: String
    var account: String
    var region: String
    var owner: String
    var `protocol`: SNSProtocol
    var endpoint: String
    var attributes: JSONObject
    var confirmed: Bool
    var token: String?

    static let columns = "arn, topic_arn, account, region, owner, protocol, endpoint, attributes, confirmed, token"

    init(arn: String, topicArn: String, account: String, region: String, owner: String, protocol: SNSProtocol, endpoint: String,
         attributes: JSONObject, confirmed: Bool, token: String?) {
        self.arn = arn
        self.topicArn = topicArn
        self.account = account
        self.region = region
        self.owner = owner
        self.protocol = `protocol`
        self.endpoint = endpoint
        self.attributes = attributes
        self.confirmed = confirmed
        self.token = token
    }

    init(_ row: Statement) {
        arn = row.text(0)
        topicArn = row.text(1)
        account = row.text(2)
        region = row.text(3)
        owner = row.text(4)
        `protocol` = SNSProtocol(rawValue: row.text(5)) ?? .sqs
        endpoint = row.text(6)
        attributes = (try? JSONValue.parse(Array(row.text(7).utf8)))?.objectValue ?? JSONObject()
        confirmed = row.bool(8)
        token = row.optionalText(9)
    }

    var rawMessageDelivery: Bool { attributes["RawMessageDelivery"]?.stringValue == "true" }
    var filterPolicyText: String? { attributes["FilterPolicy"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } }
    var filterPolicyScope: FilterPolicyScope {
        attributes["FilterPolicyScope"]?.stringValue.flatMap(FilterPolicyScope.init(rawValue:)) ?? .messageAttributes
    }
    /// The DLQ's ARN from the RedrivePolicy, if any.
    var deadLetterTargetArn: String? {
        guard let text = attributes["RedrivePolicy"]?.stringValue, !text.isEmpty,
              let policy = try? JSONValue.parse(Array(text.utf8)) else { return nil }
        return policy["deadLetterTargetArn"]?.stringValue
    }

    /// How a listing shows the subscription.
    var listed: JSONValue {
        [
            "SubscriptionArn": .string(confirmed ? arn : "PendingConfirmation"),
            "Owner": .string(owner), "Protocol": .string(`protocol`.rawValue), "Endpoint": .string(endpoint),
            "TopicArn": .string(topicArn),
        ]
    }
}

extension Connection {
    func subscription(_ arn: String) throws -> SubscriptionRecord? {
        try first("SELECT \(SubscriptionRecord.columns) FROM sns_subscriptions WHERE arn = ?", [.text(arn)]) { SubscriptionRecord($0) }
    }

    func subscriptions(topic arn: String) throws -> [SubscriptionRecord] {
        try all("SELECT \(SubscriptionRecord.columns) FROM sns_subscriptions WHERE topic_arn = ? ORDER BY created_at, arn",
                [.text(arn)]) { SubscriptionRecord($0) }
    }
}
