import JSON

/// The JSON documents SNS delivers: the envelope an SQS queue, HTTP/S or email-json
/// endpoint receives (in AWS's own layout: two-space indent, `" : "` separators), and the
/// record of a Lambda event. Signatures cover AWS's canonical string of the fields.
struct Envelope {
    let message: PublishedMessage
    let text: String
    let subscriptionArn: String
    let host: String
    let signer: MessageSigner?
    let signatureVersion: String

    init(_ message: PublishedMessage, text: String, subscriptionArn: String, host: String, signer: MessageSigner?,
         signatureVersion: String) {
        self.message = message
        self.text = text
        self.subscriptionArn = subscriptionArn
        self.host = host
        self.signer = signer
        self.signatureVersion = signatureVersion == "2" ? "2" : "1"
    }

    var signingCertURL: String { "http://\(host)/_offcloud/sns/\(MessageSigner.certificateName)" }
    var unsubscribeURL: String {
        "http://\(host)/?Action=Unsubscribe&Version=2010-03-31&SubscriptionArn=\(Self.queryEscape(subscriptionArn))"
    }
    var subscribeURL: String {
        "http://\(host)/?Action=ConfirmSubscription&Version=2010-03-31&TopicArn=\(Self.queryEscape(message.topicArn))&Token=\(message.token ?? "")"
    }

    /// AWS's string to sign: the fields in alphabetical order, each name and value on its own line.
    var stringToSign: String {
        var fields: [(String, String)] = [("Message", text), ("MessageId", message.messageId)]
        if message.kind == .notification {
            if let subject = message.subject { fields.append(("Subject", subject)) }
        } else {
            fields.append(("SubscribeURL", subscribeURL))
        }
        fields.append(("Timestamp", message.timestamp))
        if message.kind != .notification, let token = message.token { fields.append(("Token", token)) }
        fields.append(("TopicArn", message.topicArn))
        fields.append(("Type", message.kind.rawValue))
        return fields.map { "\($0.0)\n\($0.1)\n" }.joined()
    }

    var signature: String {
        // Raw text differs per protocol (JSON message structures), so it is part of the cache key.
        signer?.sign(stringToSign, version: signatureVersion,
                     cacheKey: "\(message.messageId):\(message.kind.rawValue):\(text.utf8.count):\(text.hashValue)")
            ?? MessageSigner.unsignedPlaceholder
    }

    /// The envelope as an SQS body or HTTP POST body.
    var document: String {
        var fields: [(String, String)] = [("Type", message.kind.rawValue), ("MessageId", message.messageId)]
        if message.kind != .notification { fields.append(("Token", message.token ?? "")) }
        if let seq = message.sequenceNumber, message.kind == .notification { fields.append(("SequenceNumber", seq)) }
        fields.append(("TopicArn", message.topicArn))
        if message.kind == .notification, let subject = message.subject { fields.append(("Subject", subject)) }
        fields.append(("Message", text))
        if message.kind != .notification { fields.append(("SubscribeURL", subscribeURL)) }
        fields.append(("Timestamp", message.timestamp))
        fields.append(("SignatureVersion", signatureVersion))
        fields.append(("Signature", signature))
        fields.append(("SigningCertURL", signingCertURL))
        if message.kind == .notification { fields.append(("UnsubscribeURL", unsubscribeURL)) }
        var out = "{\n"
        out += fields.map { "  \(Self.quoted($0.0)) : \(Self.quoted($0.1))" }.joined(separator: ",\n")
        if message.kind == .notification, !message.attributes.isEmpty {
            out += ",\n  \"MessageAttributes\" : {\n"
            out += message.attributes.entries.map { name, a in
                "    \(Self.quoted(name)) : {\"Type\":\(Self.quoted(a.dataType)),\"Value\":\(Self.quoted(a.value))}"
            }.joined(separator: ",\n")
            out += "\n  }"
        }
        out += "\n}"
        return out
    }

    /// One record of the event a subscribed Lambda function receives.
    var lambdaRecord: JSONValue {
        var sns = JSONObject()
        sns.append("Type", .string(message.kind.rawValue))
        sns.append("MessageId", .string(message.messageId))
        if let seq = message.sequenceNumber { sns.append("SequenceNumber", .string(seq)) }
        sns.append("TopicArn", .string(message.topicArn))
        sns.append("Subject", message.subject.map { .string($0) } ?? .null)
        sns.append("Message", .string(text))
        sns.append("Timestamp", .string(message.timestamp))
        sns.append("SignatureVersion", .string(signatureVersion))
        sns.append("Signature", .string(signature))
        sns.append("SigningCertUrl", .string(signingCertURL))
        sns.append("UnsubscribeUrl", .string(unsubscribeURL))
        var attributes = JSONObject()
        for (name, a) in message.attributes.entries {
            attributes.append(name, ["Type": .string(a.dataType), "Value": .string(a.value)])
        }
        sns.append("MessageAttributes", .object(attributes))
        return [
            "EventSource": "aws:sns", "EventVersion": "1.0", "EventSubscriptionArn": .string(subscriptionArn),
            "Sns": .object(sns),
        ]
    }

    static func quoted(_ s: String) -> String {
        var out: [UInt8] = []
        JSONValue.writeString(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func queryEscape(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                let hex = String(b, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }
}
