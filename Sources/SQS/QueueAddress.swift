/// A queue's identity within the emulator: account, region and name.
struct QueueKey: Sendable, Hashable {
    var account: String
    var region: String
    var name: String

    var arn: String { "arn:aws:sqs:\(region):\(account):\(name)" }

    func url(host: String) -> String { "http://\(host)/\(account)/\(name)" }
}

/// `arn:aws:sqs:<region>:<account>:<name>`.
struct QueueARN: Sendable, Equatable {
    var key: QueueKey

    init?(_ arn: String) {
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[2] == "sqs", !parts[3].isEmpty, !parts[4].isEmpty, !parts[5].isEmpty
        else { return nil }
        key = QueueKey(account: String(parts[4]), region: String(parts[3]), name: String(parts[5]))
    }
}

enum QueueURL {
    /// The queue a `QueueUrl` names: its last two path segments are account and name,
    /// whatever the host. A bare queue name means the caller's own account.
    static func key(_ url: String, account: String, region: String) -> QueueKey? {
        var path = Substring(url)
        if let scheme = path.range(of: "://") {
            path = path[scheme.upperBound...]
            guard let slash = path.firstIndex(of: "/") else { return nil }
            path = path[slash...]
        }
        if let q = path.firstIndex(of: "?") { path = path[..<q] }
        let segments = path.split(separator: "/")
        switch segments.count {
        case 1 where !url.contains("/"):
            return QueueKey(account: account, region: region, name: String(segments[0]))
        case 2...:
            let owner = segments[segments.count - 2]
            guard owner.count == 12, owner.allSatisfy(\.isNumber) else { return nil }
            return QueueKey(account: String(owner), region: region, name: String(segments[segments.count - 1]))
        default:
            return nil
        }
    }
}
