import Foundation
import JSON
import Storage

/// Where an item lives: its table's key, encoded so SQLite orders it as DynamoDB does.
struct StoredKey: Sendable, Hashable {
    var pk: [UInt8]
    var sk: [UInt8]
}

/// Reads and writes items, keeping every secondary index and the table's counters in
/// step, inside the caller's transaction.
struct ItemStore {
    let db: Connection
    let table: TableRecord

    var definition: TableDefinition { table.definition }

    /// The item's primary key, validated against the key schema.
    static func key(of item: Item, schema: KeySchema) throws -> StoredKey {
        func part(_ attribute: KeyAttribute?) throws -> [UInt8] {
            guard let attribute else { return [] }
            guard let value = item.first(where: { $0.key == attribute.name })?.value else {
                throw DynamoDBError.validation("One or more parameter values were invalid: Missing the key \(attribute.name) in the item")
            }
            try KeyEncoding.validate(value, name: attribute.name, type: attribute.type, role: attribute == schema.hash ? .partition : .sort)
            return KeyEncoding.encode(value) ?? []
        }
        return StoredKey(pk: try part(schema.hash), sk: try part(schema.range))
    }

    /// The key given in a `Key` parameter: exactly the key attributes, nothing else.
    static func key(fromKey item: Item, schema: KeySchema) throws -> StoredKey {
        let expected = Set(schema.names)
        if Set(item.map(\.key)) != expected || item.count != expected.count {
            throw DynamoDBError.validation("The provided key element does not match the schema")
        }
        return try key(of: item, schema: schema)
    }

    /// The stored item as wire JSON, without decoding it into attribute values.
    func loadJSON(_ key: StoredKey) throws -> JSONValue? {
        try db.first("SELECT item FROM ddb_items WHERE table_id = ? AND pk = ? AND sk = ?",
                     [.integer(table.id), .blob(key.pk), .blob(key.sk)]) { row in
            try JSONValue.parse(Array(row.text(0).utf8))
        }
    }

    func load(_ key: StoredKey) throws -> Item? {
        try db.first("SELECT item FROM ddb_items WHERE table_id = ? AND pk = ? AND sk = ?",
                     [.integer(table.id), .blob(key.pk), .blob(key.sk)]) { row in
            try ItemCodec.decodeStored(row.text(0))
        } ?? nil
    }

    /// Writes `item` (replacing `old`), updating indexes, counters, TTL and the stream.
    func put(_ item: Item, key: StoredKey, old: Item?, now: Int64) throws {
        for index in definition.indexes {
            for attribute in [index.key.hash] + (index.key.range.map { [$0] } ?? []) {
                guard let value = item.first(where: { $0.key == attribute.name })?.value else { continue }
                if value.typeName != attribute.type {
                    throw DynamoDBError.validation("One or more parameter values were invalid: Type mismatch for Index Key \(attribute.name) Expected: \(attribute.type) Actual: \(value.typeName) IndexName: \(index.name)")
                }
            }
        }
        let text = ItemCodec.encodeStored(item)
        let size = ItemSize.of(item)
        let expires = table.ttlAttribute.flatMap { ItemStore.expiry(of: item, attribute: $0) }
        try db.run("""
            INSERT INTO ddb_items (table_id, pk, sk, item, size, expires_at) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (table_id, pk, sk) DO UPDATE SET item = excluded.item, size = excluded.size, expires_at = excluded.expires_at
            """, [.integer(table.id), .blob(key.pk), .blob(key.sk), .text(text), .integer(Int64(size)), expires.map { .integer($0) } ?? .null])
        let oldSize = old.map { ItemSize.of($0) } ?? 0
        try db.run("UPDATE ddb_tables SET item_count = item_count + ?, size_bytes = size_bytes + ? WHERE id = ?",
                   .integer(old == nil ? 1 : 0), .integer(Int64(size - oldSize)), .integer(table.id))
        try updateIndexes(old: old, new: item, key: key)
        try StreamWriter(db: db, table: table).record(old: old, new: item, now: now)
    }

    func delete(_ key: StoredKey, old: Item, now: Int64, byTTL: Bool = false) throws {
        try db.run("DELETE FROM ddb_items WHERE table_id = ? AND pk = ? AND sk = ?", .integer(table.id), .blob(key.pk), .blob(key.sk))
        try db.run("UPDATE ddb_tables SET item_count = item_count - 1, size_bytes = size_bytes - ? WHERE id = ?",
                   .integer(Int64(ItemSize.of(old))), .integer(table.id))
        try updateIndexes(old: old, new: nil, key: key)
        try StreamWriter(db: db, table: table).record(old: old, new: nil, now: now, byTTL: byTTL)
    }

    /// Index entries follow the item: present when the item has the index's key
    /// attributes with the declared types (sparse indexes), projected as declared.
    func updateIndexes(old: Item?, new: Item?, key: StoredKey) throws {
        for index in definition.indexes {
            try db.run("DELETE FROM ddb_index_items WHERE table_id = ? AND index_name = ? AND table_pk = ? AND table_sk = ?",
                       .integer(table.id), .text(index.name), .blob(key.pk), .blob(key.sk))
            guard let new, let indexKey = ItemStore.indexKey(of: new, index: index) else { continue }
            let projected = ItemStore.project(new, for: index, table: definition)
            try db.run("""
                INSERT OR REPLACE INTO ddb_index_items (table_id, index_name, pk, sk, table_pk, table_sk, item)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, [.integer(table.id), .text(index.name), .blob(indexKey.pk), .blob(indexKey.sk), .blob(key.pk), .blob(key.sk),
                      .text(ItemCodec.encodeStored(projected))])
        }
    }

    /// The index key, or nil when the item lacks one of its attributes (or has the wrong type).
    static func indexKey(of item: Item, index: IndexDefinition) -> StoredKey? {
        func part(_ attribute: KeyAttribute?) -> [UInt8]? {
            guard let attribute else { return [] }
            guard let value = item.first(where: { $0.key == attribute.name })?.value, value.typeName == attribute.type else { return nil }
            return KeyEncoding.encode(value)
        }
        guard let pk = part(index.key.hash), let sk = part(index.key.range) else { return nil }
        return StoredKey(pk: pk, sk: sk)
    }

    /// What an index stores: table and index keys plus the projected attributes.
    static func project(_ item: Item, for index: IndexDefinition, table: TableDefinition) -> Item {
        switch index.projection {
        case .all: return item
        case .keysOnly, .include:
            var keep = Set(table.key.names + index.key.names)
            if case .include(let names) = index.projection { keep.formUnion(names) }
            return item.filter { keep.contains($0.key) }
        }
    }

    /// TTL: a Number attribute holding epoch seconds; anything else never expires.
    static func expiry(of item: Item, attribute: String) -> Int64? {
        guard case .n(let number)? = item.first(where: { $0.key == attribute })?.value,
              let seconds = Double(number.description), seconds.isFinite, seconds > 0, seconds < 1e13 else { return nil }
        return Int64(seconds * 1000)
    }
}

extension DynamoDBService {
    /// Fills a new global secondary index from the items already in the table.
    func backfill(_ index: IndexDefinition, table: TableRecord, definition: TableDefinition, db: Connection) throws {
        let rows = try db.all("SELECT pk, sk, item FROM ddb_items WHERE table_id = ?", [.integer(table.id)]) {
            (StoredKey(pk: $0.blob(0), sk: $0.blob(1)), $0.text(2))
        }
        for (key, text) in rows {
            guard let item = try ItemCodec.decodeStored(text), let indexKey = ItemStore.indexKey(of: item, index: index) else { continue }
            try db.run("""
                INSERT OR REPLACE INTO ddb_index_items (table_id, index_name, pk, sk, table_pk, table_sk, item)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, [.integer(table.id), .text(index.name), .blob(indexKey.pk), .blob(indexKey.sk), .blob(key.pk), .blob(key.sk),
                      .text(ItemCodec.encodeStored(ItemStore.project(item, for: index, table: definition)))])
        }
    }
}
