import Foundation
import JSON
import Storage
import Wire

extension DynamoDBService {
    static let maxItemSize = 400 * 1024

    static func returnValues(_ input: ShapeReader, allowed: [String]) throws -> String {
        let value = try input.string("ReturnValues") ?? "NONE"
        guard allowed.contains(value) else {
            throw DynamoDBError.validation("Return values set to invalid value")
        }
        return value
    }

    static func checkSize(_ item: Item) throws {
        if ItemSize.of(item) > maxItemSize {
            throw DynamoDBError.validation("Item size has exceeded the maximum allowed size")
        }
    }

    /// `ConsumedCapacity` when asked for: one unit per KB written, half a unit per 4 KB
    /// read eventually consistent.
    static func consumed(_ input: ShapeReader, table: String, units: Double, indexes: [String] = []) throws -> JSONValue? {
        let mode = try input.string("ReturnConsumedCapacity") ?? "NONE"
        guard mode == "TOTAL" || mode == "INDEXES" else { return nil }
        // Each global index an item is written to costs as much again.
        let total = units * Double(1 + indexes.count)
        var o: JSONObject = ["TableName": .string(table), "CapacityUnits": .number(Self.units(total))]
        if mode == "INDEXES" {
            o["Table"] = ["CapacityUnits": .number(Self.units(units))]
            if !indexes.isEmpty {
                var g = JSONObject()
                for name in indexes { g[name] = ["CapacityUnits": .number(Self.units(units))] }
                o["GlobalSecondaryIndexes"] = .object(g)
            }
        }
        return .object(o)
    }

    /// The global indexes an item (or its old version) is in: written to by the write.
    static func writtenIndexes(_ table: TableRecord, _ items: Item?...) -> [String] {
        table.definition.globalIndexes.filter { index in
            items.contains { item in item.map { ItemStore.indexKey(of: $0, index: index) != nil } ?? false }
        }.map(\.name)
    }

    static func units(_ value: Double) -> String {
        value == value.rounded() ? String(format: "%.1f", value) : String(value)
    }

    /// ItemCollectionMetrics=SIZE on a table with local secondary indexes: the item
    /// collection's key and a size estimate range in GB, as AWS reports them.
    static func itemCollectionMetrics(_ input: ShapeReader, table: TableRecord, item: Item?) throws -> JSONValue? {
        guard try input.string("ReturnItemCollectionMetrics") == "SIZE", !table.definition.localIndexes.isEmpty,
              let item, let key = item.first(where: { $0.key == table.definition.key.hash.name }) else { return nil }
        return ["ItemCollectionKey": ItemCodec.json([key]), "SizeEstimateRangeGB": [.number("0.0"), .number("1.0")]]
    }

    static func writeUnits(_ item: Item?) -> Double { Double(max(1, (ItemSize.of(item ?? []) + 1023) / 1024)) }

    func putItem(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let tableName = try input.requiredString("TableName")
        guard let itemJSON = input.value("Item") else {
            throw DynamoDBError.validation("1 validation error detected: Value null at 'item' failed to satisfy constraint: Member must not be null")
        }
        let item = try ItemCodec.decodeItem(itemJSON)
        try Self.checkSize(item)
        let returnValues = try Self.returnValues(input, allowed: ["NONE", "ALL_OLD"])
        let onFailure = try input.string("ReturnValuesOnConditionCheckFailure") ?? "NONE"
        let expressions = try RequestExpressions(input)
        let condition = try expressions.condition(input)
        try expressions.finish()
        let now = clock.nowMilliseconds()
        let (old, record): (Item?, TableRecord) = try await database.transaction { [self] db in
            let table = try requireTable(tableName, context, db: db)
            let key = try ItemStore.key(of: item, schema: table.definition.key)
            let store = ItemStore(db: db, table: table)
            let old = try store.load(key)
            if let condition, try !condition.matches(old) {
                throw DynamoDBError.conditionalCheckFailed(onFailure == "ALL_OLD" ? old : nil)
            }
            try store.put(item, key: key, old: old, now: now)
            return (old, table)
        }
        var o = JSONObject()
        if returnValues == "ALL_OLD", let old { o.append("Attributes", ItemCodec.json(old)) }
        if let c = try Self.consumed(input, table: record.name, units: Self.writeUnits(item),
                                     indexes: Self.writtenIndexes(record, old, item)) { o.append("ConsumedCapacity", c) }
        if let m = try Self.itemCollectionMetrics(input, table: record, item: item) { o.append("ItemCollectionMetrics", m) }
        return .object(o)
    }

    func getItem(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let tableName = try input.requiredString("TableName")
        guard let keyJSON = input.value("Key") else {
            throw DynamoDBError.validation("1 validation error detected: Value null at 'key' failed to satisfy constraint: Member must not be null")
        }
        let keyItem = try ItemCodec.decodeItem(keyJSON)
        let expressions = try RequestExpressions(input)
        let projection = try expressions.projection(input)
        try expressions.finish()
        let consistent = try input.bool("ConsistentRead") ?? false
        // Without a projection the stored JSON is the answer: no need to decode it.
        let (item, raw, record): (Item?, JSONValue?, TableRecord) = try await database.read { [self] db in
            let table = try requireTable(tableName, context, db: db)
            let key = try ItemStore.key(fromKey: keyItem, schema: table.definition.key)
            let store = ItemStore(db: db, table: table)
            if projection == nil { return (nil, try store.loadJSON(key), table) }
            return (try store.load(key), nil, table)
        }
        var o = JSONObject()
        if let raw { o.append("Item", raw) }
        if let item { o.append("Item", ItemCodec.json(projection.map { $0.apply(item) } ?? item)) }
        if input.has("ReturnConsumedCapacity") {
            let size = try raw.map { ItemSize.of(try ItemCodec.decodeItem($0)) } ?? ItemSize.of(item ?? [])
            let units = Double(max(1, (size + 4095) / 4096)) * (consistent ? 1 : 0.5)
            if let c = try Self.consumed(input, table: record.name, units: units) { o.append("ConsumedCapacity", c) }
        }
        return .object(o)
    }

    func deleteItem(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let tableName = try input.requiredString("TableName")
        guard let keyJSON = input.value("Key") else {
            throw DynamoDBError.validation("1 validation error detected: Value null at 'key' failed to satisfy constraint: Member must not be null")
        }
        let keyItem = try ItemCodec.decodeItem(keyJSON)
        let returnValues = try Self.returnValues(input, allowed: ["NONE", "ALL_OLD"])
        let onFailure = try input.string("ReturnValuesOnConditionCheckFailure") ?? "NONE"
        let expressions = try RequestExpressions(input)
        let condition = try expressions.condition(input)
        try expressions.finish()
        let now = clock.nowMilliseconds()
        let (old, record): (Item?, TableRecord) = try await database.transaction { [self] db in
            let table = try requireTable(tableName, context, db: db)
            let key = try ItemStore.key(fromKey: keyItem, schema: table.definition.key)
            let store = ItemStore(db: db, table: table)
            let old = try store.load(key)
            if let condition, try !condition.matches(old) {
                throw DynamoDBError.conditionalCheckFailed(onFailure == "ALL_OLD" ? old : nil)
            }
            if let old { try store.delete(key, old: old, now: now) }
            return (old, table)
        }
        var o = JSONObject()
        if returnValues == "ALL_OLD", let old { o.append("Attributes", ItemCodec.json(old)) }
        if let c = try Self.consumed(input, table: record.name, units: Self.writeUnits(old)) { o.append("ConsumedCapacity", c) }
        if let m = try Self.itemCollectionMetrics(input, table: record, item: old ?? keyItem) { o.append("ItemCollectionMetrics", m) }
        return .object(o)
    }

    func updateItem(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let tableName = try input.requiredString("TableName")
        guard let keyJSON = input.value("Key") else {
            throw DynamoDBError.validation("1 validation error detected: Value null at 'key' failed to satisfy constraint: Member must not be null")
        }
        let keyItem = try ItemCodec.decodeItem(keyJSON)
        let returnValues = try Self.returnValues(input, allowed: ["NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"])
        let onFailure = try input.string("ReturnValuesOnConditionCheckFailure") ?? "NONE"
        let expressions = try RequestExpressions(input)
        let update = try expressions.update(input)
        let condition = try expressions.condition(input)
        try expressions.finish()
        let now = clock.nowMilliseconds()
        let (old, new, _, record): (Item?, Item, Set<String>, TableRecord) = try await database.transaction { [self] db in
            let table = try requireTable(tableName, context, db: db)
            let key = try ItemStore.key(fromKey: keyItem, schema: table.definition.key)
            let store = ItemStore(db: db, table: table)
            let old = try store.load(key)
            if let condition, try !condition.matches(old) {
                throw DynamoDBError.conditionalCheckFailed(onFailure == "ALL_OLD" ? old : nil)
            }
            var new = old ?? keyItem
            var changed = Set<String>()
            if let update {
                (new, changed) = try update.apply(new, exists: old != nil)
                for name in table.definition.key.names where changed.contains(name) {
                    throw DynamoDBError.validation("One or more parameter values were invalid: Cannot update attribute \(name). This attribute is part of the key")
                }
            }
            try ItemSize.checkUpdate(new)
            try store.put(new, key: key, old: old, now: now)
            return (old, new, changed, table)
        }
        var o = JSONObject()
        switch returnValues {
        case "ALL_OLD": if let old { o.append("Attributes", ItemCodec.json(old)) }
        case "ALL_NEW": o.append("Attributes", ItemCodec.json(new))
        case "UPDATED_OLD":
            let part = old.map { update?.updatedValues(in: $0) ?? [] } ?? []
            if !part.isEmpty { o.append("Attributes", ItemCodec.json(part)) }
        case "UPDATED_NEW":
            let part = update?.updatedValues(in: new) ?? []
            if !part.isEmpty { o.append("Attributes", ItemCodec.json(part)) }
        default: break
        }
        if let c = try Self.consumed(input, table: record.name, units: Self.writeUnits(new)) { o.append("ConsumedCapacity", c) }
        if let m = try Self.itemCollectionMetrics(input, table: record, item: new) { o.append("ItemCollectionMetrics", m) }
        return .object(o)
    }
}
