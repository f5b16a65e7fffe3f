import Foundation
import JSON
import Storage

/// A table row: its definition and counters.
struct TableRecord: Sendable {
    var id: Int64
    var arn: String
    var tableId: String
    var definition: TableDefinition
    var createdAt: Int64
    var itemCount: Int64
    var sizeBytes: Int64
    var tags: String
    var ttlAttribute: String?
    var streamLabel: String?
    var continuousBackups: Bool

    static let columns = "id, arn, table_id, definition, created_at, item_count, size_bytes, tags, ttl_attribute, stream_label, continuous_backups"

    init?(_ row: Statement) {
        guard let definition = DefinitionCache.shared.definition(row.text(3)) else { return nil }
        id = row.int64(0)
        arn = row.text(1)
        tableId = row.text(2)
        self.definition = definition
        createdAt = row.int64(4)
        itemCount = row.int64(5)
        sizeBytes = row.int64(6)
        tags = row.text(7)
        ttlAttribute = row.optionalText(8)
        streamLabel = row.optionalText(9)
        continuousBackups = row.bool(10)
    }

    var name: String { definition.name }
    var streamArn: String? { streamLabel.map { "\(arn)/stream/\($0)" } }
}

extension Connection {
    func table(account: String, region: String, name: String) throws -> TableRecord? {
        try first("SELECT \(TableRecord.columns) FROM ddb_tables WHERE account = ? AND region = ? AND name = ?",
                  [.text(account), .text(region), .text(name)]) { TableRecord($0) } ?? nil
    }
}

/// Parsed table definitions by their stored text: every item operation reads its
/// table's row, and parsing the definition each time would dominate a GetItem.
final class DefinitionCache: @unchecked Sendable {
    // @unchecked: `entries` is guarded by `lock`.
    static let shared = DefinitionCache()
    private let lock = NSLock()
    private var entries: [String: TableDefinition] = [:]

    func definition(_ text: String) -> TableDefinition? {
        if let hit = lock.withLock({ entries[text] }) { return hit }
        guard let parsed = try? JSONValue.parse(Array(text.utf8)), let definition = TableDefinition(stored: parsed) else { return nil }
        lock.withLock {
            if entries.count > 1000 { entries.removeAll() }
            entries[text] = definition
        }
        return definition
    }
}
