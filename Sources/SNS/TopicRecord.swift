import JSON
import Storage

/// A topic as stored: its ARN and the attributes set on it (in the order they were set).
struct TopicRecord: Sendable {
    var arn: String
    var account: String
    var region: String
    var name: String
    var attributes: JSONObject
    var tags: [(key: String, value: String)]

    var fifo: Bool { attributes["FifoTopic"]?.stringValue == "true" }
    var contentBasedDeduplication: Bool { attributes["ContentBasedDeduplication"]?.stringValue == "true" }
    var signatureVersion: String { attributes["SignatureVersion"]?.stringValue ?? "1" }

    static let columns = "arn, account, region, name, attributes, tags"

    init(arn: String, account: String, region: String, name: String, attributes: JSONObject, tags: [(key: String, value: String)]) {
        self.arn = arn
        self.account = account
        self.region = region
        self.name = name
        self.attributes = attributes
        self.tags = tags
    }

    init(_ row: Statement) {
        arn = row.text(0)
        account = row.text(1)
        region = row.text(2)
        name = row.text(3)
        attributes = (try? JSONValue.parse(Array(row.text(4).utf8)))?.objectValue ?? JSONObject()
        tags = Self.decodeTags(row.text(5))
    }

    static func decodeTags(_ text: String) -> [(key: String, value: String)] {
        ((try? JSONValue.parse(Array(text.utf8)))?.arrayValue ?? []).compactMap { t in
            guard let k = t["Key"]?.stringValue, let v = t["Value"]?.stringValue else { return nil }
            return (k, v)
        }
    }

    static func encodeTags(_ tags: [(key: String, value: String)]) -> String {
        JSONValue.array(tags.map { ["Key": .string($0.key), "Value": .string($0.value)] }).jsonString
    }

    /// The topic's access policy when none was set: the owner may do everything.
    static func defaultPolicy(arn: String, account: String) -> String {
        #"{"Version":"2008-10-17","Id":"__default_policy_ID","Statement":[{"Sid":"__default_statement_ID","Effect":"Allow","Principal":{"AWS":"*"},"Action":["SNS:GetTopicAttributes","SNS:SetTopicAttributes","SNS:AddPermission","SNS:RemovePermission","SNS:DeleteTopic","SNS:Subscribe","SNS:ListSubscriptionsByTopic","SNS:Publish"],"Resource":"\#(arn)","Condition":{"StringEquals":{"AWS:SourceOwner":"\#(account)"}}}]}"#
    }
}

extension Connection {
    func topic(_ arn: String) throws -> TopicRecord? {
        try first("SELECT \(TopicRecord.columns) FROM sns_topics WHERE arn = ?", [.text(arn)]) { TopicRecord($0) }
    }

    func requireTopic(_ arn: String) throws -> TopicRecord {
        guard let t = try topic(arn) else { throw SNSError.topicNotFound() }
        return t
    }
}
