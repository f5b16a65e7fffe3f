import Foundation
import JSON
import Storage
import Wire

extension DynamoDBService {
    /// BatchGetItem: up to 100 keys across tables, each table with its own projection.
    func batchGetItem(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        guard let requests = try input.structureMap("RequestItems"), !requests.isEmpty else {
            throw DynamoDBError.validation("1 validation error detected: Value null at 'requestItems' failed to satisfy constraint: Member must have length greater than or equal to 1")
        }
        var total = 0
        var plans: [(table: String, keys: [Item], projection: CompiledProjection?, raw: ShapeReader)] = []
        for (table, request) in requests {
            guard let keys = try request.structureList("Keys"), !keys.isEmpty else {
                throw DynamoDBError.validation("1 validation error detected: Value '[]' at 'requestItems.\(table).member.keys' failed to satisfy constraint: Member must have length greater than or equal to 1")
            }
            guard keys.count <= 100 else {
                throw DynamoDBError.validation("1 validation error detected: Value at 'RequestItems.\(table).member.Keys' failed to satisfy constraint: Member must have length less than or equal to 100")
            }
            let items = try keys.map { try ItemCodec.decodeItem(.object($0.object)) }
            for (i, item) in items.enumerated() where items[..<i].contains(where: { ItemCodec.sameItem($0, item) }) {
                throw DynamoDBError.validation("Provided list of item keys contains duplicates")
            }
            total += items.count
            let expressions = try RequestExpressions(request)
            let projection = try expressions.projection(request)
            try expressions.finish()
            plans.append((table, items, projection, request))
        }
        guard total <= 100 else {
            throw DynamoDBError.validation("Too many items requested for the BatchGetItem call")
        }
        let batch = plans
        let results: [(String, [Item])] = try await database.transaction { [self] db in
            try batch.map { plan in
                let table = try requireTable(plan.table, context, db: db)
                let store = ItemStore(db: db, table: table)
                var found: [Item] = []
                for key in plan.keys {
                    if let item = try store.load(try ItemStore.key(fromKey: key, schema: table.definition.key)) {
                        found.append(plan.projection.map { $0.apply(item) } ?? item)
                    }
                }
                return (plan.table, found)
            }
        }
        var responses = JSONObject()
        var capacity: [JSONValue] = []
        for (table, items) in results {
            responses.append(table, .array(items.map { ItemCodec.json($0) }))
            let units = Double(items.map { max(1, (ItemSize.of($0) + 4095) / 4096) }.reduce(0, +)) * 0.5
            if let c = try Self.consumed(input, table: table, units: max(units, 0.5)) { capacity.append(c) }
        }
        var o: JSONObject = ["Responses": .object(responses), "UnprocessedKeys": .object(JSONObject())]
        if !capacity.isEmpty { o["ConsumedCapacity"] = .array(capacity) }
        return .object(o)
    }

    /// BatchWriteItem: up to 25 puts and deletes across tables, all applied at once.
    func batchWriteItem(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        if let value = input.value("RequestItems"), value.objectValue == nil {
            throw DynamoDBError("SerializationException", "Unexpected value type in payload: expected map at RequestItems")
        }
        guard case .object(let requests)? = input.value("RequestItems"), !requests.isEmpty else {
            throw DynamoDBError.validation("1 validation error detected: Value null at 'requestItems' failed to satisfy constraint: Member must have length greater than or equal to 1")
        }
        enum Write { case put(Item), delete(Item) }
        var writes: [(table: String, write: Write)] = []
        for member in requests {
            let table = member.key
            guard case .array(let entries) = member.value else {
                throw DynamoDBError("SerializationException", "Unexpected value type in payload: expected list at RequestItems.\(table)")
            }
            for entry in entries {
                let reader = try ShapeReader(entry)
                if let put = try reader.structure("PutRequest") {
                    guard let item = put.value("Item") else { throw DynamoDBError.validation("1 validation error detected: Value null at 'item' failed to satisfy constraint: Member must not be null") }
                    let decoded = try ItemCodec.decodeItem(item)
                    try Self.checkSize(decoded)
                    writes.append((table, .put(decoded)))
                } else if let delete = try reader.structure("DeleteRequest") {
                    guard let key = delete.value("Key") else { throw DynamoDBError.validation("1 validation error detected: Value null at 'key' failed to satisfy constraint: Member must not be null") }
                    writes.append((table, .delete(try ItemCodec.decodeItem(key))))
                } else {
                    throw DynamoDBError.validation("Supplied AttributeValue has neither PutRequest nor DeleteRequest")
                }
            }
        }
        guard !writes.isEmpty else {
            throw DynamoDBError.validation("1 validation error detected: Value '{}' at 'requestItems' failed to satisfy constraint: Member must have length greater than or equal to 1")
        }
        guard writes.count <= 25 else {
            throw DynamoDBError.validation("1 validation error detected: Value at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]")
        }
        let now = clock.nowMilliseconds()
        let batch = writes
        try await database.transaction { [self] db in
            var seen = Set<String>()
            for (tableName, write) in batch {
                let table = try requireTable(tableName, context, db: db)
                let store = ItemStore(db: db, table: table)
                switch write {
                case .put(let item):
                    let key = try ItemStore.key(of: item, schema: table.definition.key)
                    guard seen.insert(tableName + "\u{1}" + key.pk.hexKey + "\u{1}" + key.sk.hexKey).inserted else {
                        throw DynamoDBError.validation("Provided list of item keys contains duplicates")
                    }
                    try store.put(item, key: key, old: try store.load(key), now: now)
                case .delete(let keyItem):
                    let key = try ItemStore.key(fromKey: keyItem, schema: table.definition.key)
                    guard seen.insert(tableName + "\u{1}" + key.pk.hexKey + "\u{1}" + key.sk.hexKey).inserted else {
                        throw DynamoDBError.validation("Provided list of item keys contains duplicates")
                    }
                    if let old = try store.load(key) { try store.delete(key, old: old, now: now) }
                }
            }
        }
        return ["UnprocessedItems": .object(JSONObject())]
    }
}

extension [UInt8] {
    var hexKey: String { map { String(format: "%02x", $0) }.joined() }
}
