import Foundation

/// Identifies one receipt of one message: the message's sequence number plus a
/// random token drawn at that receive, so handles are unguessable and a handle
/// from an earlier receive can be told apart from the current one.
struct ReceiptHandle: Sendable, Equatable {
    var queueId: Int64
    var sequence: Int64
    var token: String

    var encoded: String {
        Data("\(queueId):\(sequence):\(token)".utf8).base64EncodedString()
    }

    init(queueId: Int64, sequence: Int64, token: String) {
        self.queueId = queueId
        self.sequence = sequence
        self.token = token
    }

    init?(_ text: String) {
        guard let data = Data(base64Encoded: text), let plain = String(data: data, encoding: .utf8) else { return nil }
        let parts = plain.split(separator: ":")
        guard parts.count == 3, let q = Int64(parts[0]), let s = Int64(parts[1]), parts[2].count == 32 else { return nil }
        queueId = q
        sequence = s
        token = String(parts[2])
    }

    static func newToken() -> String {
        var g = SystemRandomNumberGenerator()
        let hi = g.next() as UInt64, lo = g.next() as UInt64
        return String(format: "%016llx%016llx", hi, lo)
    }
}

enum MessageID {
    /// A random UUID in AWS's lowercase form.
    static func make() -> String { UUID().uuidString.lowercased() }
}
