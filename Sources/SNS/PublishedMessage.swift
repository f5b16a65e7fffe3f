import Foundation
import JSON

/// A message as stored for delivery: a Notification of a Publish, or the
/// SubscriptionConfirmation/UnsubscribeConfirmation SNS sends an HTTP/S or email endpoint.
struct PublishedMessage: Sendable {
    enum Kind: String, Sendable {
        case notification = "Notification"
        case subscriptionConfirmation = "SubscriptionConfirmation"
        case unsubscribeConfirmation = "UnsubscribeConfirmation"
    }

    var kind: Kind
    var messageId: String
    var topicArn: String
    var account: String
    var region: String
    var message: String
    /// Per-protocol messages of `MessageStructure=json`.
    var structured: JSONObject?
    var subject: String?
    var attributes: SNSAttributes
    var timestamp: String
    var groupId: String?
    var deduplicationId: String?
    var sequenceNumber: String?
    /// Confirmation token of a (un)subscribe confirmation.
    var token: String?

    /// The text a protocol receives: its own entry of a JSON message structure, or the default.
    func message(for protocol: SNSProtocol) -> String {
        if let structured, let own = structured[`protocol`.rawValue]?.stringValue { return own }
        if let structured, let d = structured["default"]?.stringValue { return d }
        return message
    }

    var json: JSONValue {
        var o = JSONObject()
        o.append("Kind", .string(kind.rawValue))
        o.append("MessageId", .string(messageId))
        o.append("TopicArn", .string(topicArn))
        o.append("Account", .string(account))
        o.append("Region", .string(region))
        o.append("Message", .string(message))
        if let structured { o.append("Structured", .object(structured)) }
        if let subject { o.append("Subject", .string(subject)) }
        if !attributes.isEmpty { o.append("Attributes", attributes.json) }
        o.append("Timestamp", .string(timestamp))
        if let groupId { o.append("GroupId", .string(groupId)) }
        if let deduplicationId { o.append("DeduplicationId", .string(deduplicationId)) }
        if let sequenceNumber { o.append("SequenceNumber", .string(sequenceNumber)) }
        if let token { o.append("Token", .string(token)) }
        return .object(o)
    }

    init(kind: Kind, messageId: String, topicArn: String, account: String, region: String, message: String,
         structured: JSONObject? = nil, subject: String? = nil, attributes: SNSAttributes = SNSAttributes(), timestamp: String,
         groupId: String? = nil, deduplicationId: String? = nil, sequenceNumber: String? = nil, token: String? = nil) {
        self.kind = kind
        self.messageId = messageId
        self.topicArn = topicArn
        self.account = account
        self.region = region
        self.message = message
        self.structured = structured
        self.subject = subject
        self.attributes = attributes
        self.timestamp = timestamp
        self.groupId = groupId
        self.deduplicationId = deduplicationId
        self.sequenceNumber = sequenceNumber
        self.token = token
    }

    init?(json: JSONValue) {
        guard let k = json["Kind"]?.stringValue.flatMap(Kind.init(rawValue:)), let id = json["MessageId"]?.stringValue,
              let topic = json["TopicArn"]?.stringValue, let m = json["Message"]?.stringValue,
              let ts = json["Timestamp"]?.stringValue else { return nil }
        self.init(kind: k, messageId: id, topicArn: topic, account: json["Account"]?.stringValue ?? "",
                  region: json["Region"]?.stringValue ?? "", message: m, structured: json["Structured"]?.objectValue,
                  subject: json["Subject"]?.stringValue, attributes: SNSAttributes(json: json["Attributes"]), timestamp: ts,
                  groupId: json["GroupId"]?.stringValue, deduplicationId: json["DeduplicationId"]?.stringValue,
                  sequenceNumber: json["SequenceNumber"]?.stringValue, token: json["Token"]?.stringValue)
    }
}

/// `2026-01-01T00:00:00.000Z` from epoch milliseconds, without a DateFormatter.
enum SNSTimestamp {
    static func format(_ ms: Int64) -> String {
        let seconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000
        let millis = Int(ms - seconds * 1000)
        var days = Int(seconds / 86_400)
        var rem = Int(seconds % 86_400)
        if rem < 0 { rem += 86_400; days -= 1 }
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ v: Int, _ n: Int) -> String {
            let s = String(v)
            return s.count >= n ? s : String(repeating: "0", count: n - s.count) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(rem / 3600, 2)):\(pad(rem / 60 % 60, 2)):\(pad(rem % 60, 2)).\(pad(millis, 3))Z"
    }
}
