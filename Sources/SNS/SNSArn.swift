/// `arn:aws:sns:<region>:<account>:<topic>` and subscription ARNs, which add
/// `:<uuid>` to their topic's.
struct SNSArn: Sendable, Equatable {
    var region: String
    var account: String
    var topicName: String
    var subscriptionId: String?

    init?(_ arn: String) {
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 6 || parts.count == 7, parts[0] == "arn", parts[1].hasPrefix("aws"), parts[2] == "sns",
              !parts[3].isEmpty, !parts[4].isEmpty, !parts[5].isEmpty else { return nil }
        region = String(parts[3])
        account = String(parts[4])
        topicName = String(parts[5])
        if parts.count == 7 {
            guard !parts[6].isEmpty else { return nil }
            subscriptionId = String(parts[6])
        }
    }

    var topicArn: String { "arn:aws:sns:\(region):\(account):\(topicName)" }

    static func topic(_ name: String, region: String, account: String) -> String {
        "arn:aws:sns:\(region):\(account):\(name)"
    }
}

/// `arn:aws:<service>:<region>:<account>:<resource>` of an SQS queue or Lambda function.
struct ServiceArn: Sendable, Equatable {
    var service: String
    var region: String
    var account: String
    var resource: String

    init?(_ arn: String) {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", !parts[2].isEmpty, !parts[3].isEmpty, !parts[4].isEmpty, !parts[5].isEmpty
        else { return nil }
        service = String(parts[2])
        region = String(parts[3])
        account = String(parts[4])
        resource = String(parts[5])
    }

    /// The queue URL the in-process SQS engine accepts for this queue ARN.
    var queueURL: String { "http://localhost/\(account)/\(resource)" }
}
