import Foundation
import JSON
import Storage
import Wire

/// A sort-key condition of a Query, as a range over encoded keys.
extension SortKeyCondition {
    /// SQL over column `sk` and its bindings.
    var sql: (String, [SQLValue]) {
        switch self {
        case .equal(let v): return ("sk = ?", [.blob(key(v))])
        case .less(let v): return ("sk < ?", [.blob(key(v))])
        case .lessOrEqual(let v): return ("sk <= ?", [.blob(key(v))])
        case .greater(let v): return ("sk > ?", [.blob(key(v))])
        case .greaterOrEqual(let v): return ("sk >= ?", [.blob(key(v))])
        case .between(let a, let b): return ("sk BETWEEN ? AND ?", [.blob(key(a)), .blob(key(b))])
        case .beginsWith(let v):
            let prefix = key(v)
            if let upper = SortKeyCondition.successor(prefix) {
                return ("sk >= ? AND sk < ?", [.blob(prefix), .blob(upper)])
            }
            return ("sk >= ?", [.blob(prefix)])
        }
    }

    func key(_ v: AttributeValue) -> [UInt8] { KeyEncoding.encode(v) ?? [] }

    /// The smallest byte string greater than every string starting with `prefix`.
    static func successor(_ prefix: [UInt8]) -> [UInt8]? {
        var bytes = prefix
        while let last = bytes.last {
            if last < 0xFF {
                bytes[bytes.count - 1] = last + 1
                return bytes
            }
            bytes.removeLast()
        }
        return nil
    }
}

/// One page of a Query or Scan.
struct Page {
    var items: [Item] = []
    var count = 0
    var scanned = 0
    var lastEvaluated: Item?
    var bytesRead = 0
}

extension DynamoDBService {
    static let pageBytes = 1024 * 1024

    static func select(_ input: ShapeReader, index: IndexDefinition?, hasProjection: Bool) throws -> String {
        let select = try input.string("Select") ?? (hasProjection ? "SPECIFIC_ATTRIBUTES" : (index == nil ? "ALL_ATTRIBUTES" : "ALL_PROJECTED_ATTRIBUTES"))
        guard ["ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES", "COUNT", "SPECIFIC_ATTRIBUTES"].contains(select) else {
            throw DynamoDBError.validation("1 validation error detected: Value '\(select)' at 'select' failed to satisfy constraint: Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]")
        }
        if select == "SPECIFIC_ATTRIBUTES" && !hasProjection {
            throw DynamoDBError.validation("One or more parameter values were invalid: Select type SPECIFIC_ATTRIBUTES requires a ProjectionExpression or AttributesToGet")
        }
        if hasProjection && select != "SPECIFIC_ATTRIBUTES" {
            throw DynamoDBError.validation("One or more parameter values were invalid: Cannot specify the ProjectionExpression when choosing to get \(select)")
        }
        if select == "ALL_PROJECTED_ATTRIBUTES" && index == nil {
            throw DynamoDBError.validation("One or more parameter values were invalid: Select type ALL_PROJECTED_ATTRIBUTES is not supported for a table")
        }
        if select == "ALL_ATTRIBUTES", let index, index.kind == .global, index.projection != .all {
            throw DynamoDBError.validation("One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index \(index.name) because its projection type is not ALL")
        }
        return select
    }

    static func limit(_ input: ShapeReader) throws -> Int? {
        guard let limit = try input.int("Limit") else { return nil }
        guard limit >= 1 else {
            throw DynamoDBError.validation("1 validation error detected: Value '\(limit)' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1")
        }
        return limit
    }

    func query(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let tableName = try input.requiredString("TableName")
        let indexName = try input.string("IndexName")
        let forward = try input.bool("ScanIndexForward") ?? true
        let consistent = try input.bool("ConsistentRead") ?? false
        let limit = try Self.limit(input)
        let startJSON = input.value("ExclusiveStartKey")
        let start = try startJSON.map { try ItemCodec.decodeItem($0) }
        let expressions = try RequestExpressions(input)
        let keyExpression = try expressions.keyCondition(input)
        let filter = try expressions.filter(input)
        let projection = try expressions.projection(input)
        try expressions.finish()
        let (record, page, select): (TableRecord, Page, String) = try await database.transaction { [self] db in
            let table = try requireTable(tableName, context, db: db)
            let index = try indexName.map { name -> IndexDefinition in
                guard let index = table.definition.index(named: name) else {
                    throw DynamoDBError.validation("The table does not have the specified index: \(name)")
                }
                return index
            }
            if consistent, index?.kind == .global {
                throw DynamoDBError.validation("Consistent reads are not supported on global secondary indexes")
            }
            let select = try Self.select(input, index: index, hasProjection: projection != nil)
            let keyQuery = try keyExpression.resolve(index?.key ?? table.definition.key)
            do {
                try filter?.expression.checkNoKeyAttributes((index?.key ?? table.definition.key).names)
            } catch let error as DynamoDBError where input.has(LegacyParameters.queryFilterMarker) {
                throw DynamoDBError.validation(error.message.replacingOccurrences(of: "Filter Expression", with: "QueryFilter"))
            }
            let page = try QueryRunner(db: db, table: table, index: index).query(
                keyQuery, forward: forward, limit: limit, start: start, filter: filter, select: select)
            return (table, page, select)
        }
        return try output(page, input: input, table: record, select: select, projection: projection, units: Double(page.bytesRead))
    }

    func scan(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let tableName = try input.requiredString("TableName")
        let indexName = try input.string("IndexName")
        let limit = try Self.limit(input)
        let start = try input.value("ExclusiveStartKey").map { try ItemCodec.decodeItem($0) }
        let segment = try input.int("Segment")
        let totalSegments = try input.int("TotalSegments")
        if (segment == nil) != (totalSegments == nil) {
            throw DynamoDBError.validation("The TotalSegments parameter is required but was not present in the request when Segment parameter is present")
        }
        if let totalSegments, !(1...1_000_000).contains(totalSegments) {
            throw DynamoDBError.validation("1 validation error detected: Value '\(totalSegments)' at 'totalSegments' failed to satisfy constraint: Member must have value less than or equal to 1000000")
        }
        if let segment, let totalSegments, segment < 0 || segment >= totalSegments {
            throw DynamoDBError.validation("The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: \(segment) is not less than TotalSegments: \(totalSegments)")
        }
        let expressions = try RequestExpressions(input)
        let filter = try expressions.filter(input)
        let projection = try expressions.projection(input)
        try expressions.finish()
        let (record, page, select): (TableRecord, Page, String) = try await database.transaction { [self] db in
            let table = try requireTable(tableName, context, db: db)
            let index = try indexName.map { name -> IndexDefinition in
                guard let index = table.definition.index(named: name) else {
                    throw DynamoDBError.validation("The table does not have the specified index: \(name)")
                }
                return index
            }
            let select = try Self.select(input, index: index, hasProjection: projection != nil)
            let page = try QueryRunner(db: db, table: table, index: index).scan(
                limit: limit, start: start, filter: filter, select: select,
                segment: segment.map { ($0, totalSegments!) })
            return (table, page, select)
        }
        return try output(page, input: input, table: record, select: select, projection: projection, units: Double(page.bytesRead))
    }

    func output(_ page: Page, input: ShapeReader, table: TableRecord, select: String, projection: CompiledProjection?,
                units bytes: Double) throws -> JSONValue {
        var o = JSONObject()
        if select != "COUNT" {
            o.append("Items", .array(page.items.map { item in ItemCodec.json(projection?.apply(item) ?? item) }))
        }
        o.append("Count", .integer(page.count))
        o.append("ScannedCount", .integer(page.scanned))
        if let last = page.lastEvaluated { o.append("LastEvaluatedKey", ItemCodec.json(last)) }
        if let c = try Self.consumed(input, table: table.name, units: max(0.5, (bytes / 4096).rounded(.up) * 0.5)) {
            o.append("ConsumedCapacity", c)
        }
        return .object(o)
    }
}
