import JSON
import Storage

/// A queue row.
struct QueueRecord: Sendable {
    var id: Int64
    var key: QueueKey
    var configuration: QueueConfiguration
    var tagsJSON: String
    var createdAt: Int64
    var modifiedAt: Int64
    var purgedAt: Int64?

    static let columns = "id, account, region, name, attributes, tags, created_at, modified_at, purged_at"

    init(_ row: Statement) {
        id = row.int64(0)
        key = QueueKey(account: row.text(1), region: row.text(2), name: row.text(3))
        configuration = QueueConfiguration.decode(row.text(4))
        tagsJSON = row.text(5)
        createdAt = row.int64(6)
        modifiedAt = row.int64(7)
        purgedAt = row.optionalInt64(8)
    }

    var fifo: Bool { configuration.fifo }

    var tags: [(key: String, value: String)] {
        guard case .object(let o)? = try? JSONValue.parse(tagsJSON) else { return [] }
        return o.members.compactMap { m in m.value.stringValue.map { (key: m.key, value: $0) } }
    }

    static func encodeTags(_ tags: [(key: String, value: String)]) -> String {
        var o = JSONObject()
        for (k, v) in tags { o[k] = .string(v) }
        return JSONValue.object(o).jsonString
    }
}

extension Connection {
    func queue(_ key: QueueKey) throws -> QueueRecord? {
        try first("SELECT \(QueueRecord.columns) FROM sqs_queues WHERE account = ? AND region = ? AND name = ?",
                  [.text(key.account), .text(key.region), .text(key.name)]) { QueueRecord($0) }
    }

    func queue(id: Int64) throws -> QueueRecord? {
        try first("SELECT \(QueueRecord.columns) FROM sqs_queues WHERE id = ?", [.integer(id)]) { QueueRecord($0) }
    }

    func requireQueue(_ key: QueueKey) throws -> QueueRecord {
        guard let q = try queue(key) else { throw SQSError.queueDoesNotExist() }
        return q
    }
}
