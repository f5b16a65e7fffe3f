import Foundation
import JSON
import Storage

/// Walks a table or index in key order within one transaction: range scans of the
/// encoded keys, pages bounded by Limit (items evaluated, before the filter) and by
/// 1 MB of data read, as DynamoDB pages.
struct QueryRunner {
    let db: Connection
    let table: TableRecord
    let index: IndexDefinition?

    /// Key attributes reported in LastEvaluatedKey: the table's, plus the index's.
    var keyNames: [String] { table.definition.key.names + (index?.key.names.filter { !table.definition.key.names.contains($0) } ?? []) }

    func query(_ key: KeyCondition, forward: Bool, limit: Int?, start: Item?, filter: CompiledCondition?, select: String) throws -> Page {
        var clauses = ["pk = ?"]
        var bindings: [SQLValue] = [.blob(KeyEncoding.encode(key.partitionValue) ?? [])]
        if let sort = key.sortCondition {
            let (sql, values) = sort.sql
            clauses.append(sql)
            bindings += values
        }
        if let start {
            let (sql, values) = try continuation(after: start, forward: forward, withinPartition: true)
            clauses.append(sql)
            bindings += values
        }
        return try run(clauses: clauses, bindings: bindings, forward: forward, limit: limit, filter: filter, select: select, segment: nil)
    }

    func scan(limit: Int?, start: Item?, filter: CompiledCondition?, select: String, segment: (Int, Int)?) throws -> Page {
        var clauses: [String] = []
        var bindings: [SQLValue] = []
        if let start {
            let (sql, values) = try continuation(after: start, forward: true, withinPartition: false)
            clauses.append(sql)
            bindings += values
        }
        return try run(clauses: clauses, bindings: bindings, forward: true, limit: limit, filter: filter, select: select, segment: segment)
    }

    /// Rows after ExclusiveStartKey in walk order.
    func continuation(after start: Item, forward: Bool, withinPartition: Bool) throws -> (String, [SQLValue]) {
        let op = forward ? ">" : "<"
        let tableKey = try ItemStore.key(of: start, schema: table.definition.key)
        if let index {
            guard let indexKey = ItemStore.indexKey(of: start, index: index) else {
                throw DynamoDBError.validation("The provided starting key is invalid: The provided key element does not match the schema")
            }
            let rest = "(sk \(op) ? OR (sk = ? AND (table_pk \(op) ? OR (table_pk = ? AND table_sk \(op) ?))))"
            let values: [SQLValue] = [.blob(indexKey.sk), .blob(indexKey.sk), .blob(tableKey.pk), .blob(tableKey.pk), .blob(tableKey.sk)]
            if withinPartition { return (rest, values) }
            return ("(pk > ? OR (pk = ? AND \(rest)))", [.blob(indexKey.pk), .blob(indexKey.pk)] + values)
        }
        if withinPartition { return ("sk \(op) ?", [.blob(tableKey.sk)]) }
        return ("(pk > ? OR (pk = ? AND sk > ?))", [.blob(tableKey.pk), .blob(tableKey.pk), .blob(tableKey.sk)])
    }

    func run(clauses: [String], bindings: [SQLValue], forward: Bool, limit: Int?, filter: CompiledCondition?, select: String,
             segment: (Int, Int)?) throws -> Page {
        let direction = forward ? "ASC" : "DESC"
        let source: String
        var where_ = clauses
        var values = bindings
        if let index {
            source = "SELECT pk, sk, table_pk, table_sk, item FROM ddb_index_items"
            where_.insert("table_id = ? AND index_name = ?", at: 0)
            values.insert(contentsOf: [.integer(table.id), .text(index.name)], at: 0)
        } else {
            source = "SELECT pk, sk, pk, sk, item FROM ddb_items"
            where_.insert("table_id = ?", at: 0)
            values.insert(.integer(table.id), at: 0)
        }
        let order = index == nil ? "pk \(direction), sk \(direction)" : "pk \(direction), sk \(direction), table_pk \(direction), table_sk \(direction)"
        let sql = "\(source) WHERE \(where_.joined(separator: " AND ")) ORDER BY \(order) LIMIT ?"
        var page = Page()
        let batch = 200
        var offset = 0
        // Read in batches so a Limit of 10 on a million-item partition reads little.
        outer: for _ in 0..<100_000 {
            let rows = try db.all(sql + " OFFSET ?", values + [.integer(Int64(batch)), .integer(Int64(offset))]) {
                (pk: $0.blob(0), tablePK: $0.blob(2), tableSK: $0.blob(3), text: $0.text(4))
            }
            offset += rows.count
            for row in rows {
                if let (n, total) = segment, Self.segment(of: row.pk, total: total) != n { continue }
                guard var item = try ItemCodec.decodeStored(row.text) else { continue }
                // Local indexes fetch the table item for attributes they do not project.
                if let index, index.kind == .local, select == "ALL_ATTRIBUTES" || (select == "SPECIFIC_ATTRIBUTES" && index.projection != .all),
                   let full = try ItemStore(db: db, table: table).load(StoredKey(pk: row.tablePK, sk: row.tableSK)) {
                    item = full
                }
                page.scanned += 1
                page.bytesRead += row.text.utf8.count
                if try filter?.matches(item) ?? true {
                    page.count += 1
                    if select != "COUNT" { page.items.append(item) }
                }
                let limitReached = limit.map { page.scanned >= $0 } ?? false
                if limitReached || page.bytesRead >= DynamoDBService.pageBytes {
                    let names = keyNames
                    page.lastEvaluated = item.filter { names.contains($0.key) }
                    break outer
                }
            }
            if rows.count < batch { break }
        }
        return page
    }

    /// Which of `total` scan segments a partition belongs to.
    static func segment(of pk: [UInt8], total: Int) -> Int {
        var hash: UInt32 = 2_166_136_261
        for b in pk { hash = (hash ^ UInt32(b)) &* 16_777_619 }
        return Int(hash % UInt32(total))
    }
}
