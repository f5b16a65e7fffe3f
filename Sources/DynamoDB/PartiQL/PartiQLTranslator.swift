import JSON

/// The request that runs a PartiQL statement: an operation the service already serves
/// and its JSON input, in the wire format an SDK sends.
public struct PartiQLRequest: Sendable, Equatable {
    public var operation: DynamoDBOperation
    public var input: JSONValue

    public init(operation: DynamoDBOperation, input: JSONValue) {
        self.operation = operation
        self.input = input
    }
}

extension PartiQLStatement {
    /// The request for this statement, given the key schema of what it reads or writes:
    /// the table's, or for `SELECT … FROM "Table"."Index"` the index's.
    ///
    /// - SELECT: a Query when the WHERE clause pins the partition key by one equality
    ///   (and any sort-key condition is one a key condition can state), else a Scan.
    /// - INSERT: a PutItem that fails when the key exists (`duplicateItemError`).
    /// - UPDATE: an UpdateItem of the key the WHERE clause's equalities give, on an item
    ///   that must exist and meet the WHERE clause's other conditions.
    /// - DELETE: a DeleteItem of that key; the other conditions must hold if the item exists.
    public func request(key: KeySchema) throws -> PartiQLRequest {
        switch self {
        case .select(let p): return try p.request(key: key)
        case .insert(let p): return try p.request(key: key)
        case .update(let p): return try p.request(key: key)
        case .delete(let p): return try p.request(key: key)
        }
    }
}

extension SelectPlan {
    func request(key: KeySchema) throws -> PartiQLRequest {
        for ordering in orderBy where ordering.attribute != key.hash.name && ordering.attribute != key.range?.name {
            throw PartiQLError.orderByNotKey(ordering.attribute)
        }
        var writer = PartiQLExpressionWriter()
        var o: JSONObject = ["TableName": .string(tableName)]
        if let indexName { o.append("IndexName", .string(indexName)) }
        let projectionText = projection.map { paths in paths.map { writer.path($0) }.joined(separator: ", ") }
        let operation: DynamoDBOperation
        if let condition, let (keyTerms, filter) = PartiQLKeyConditions.query(condition, key: key) {
            operation = .query
            o.append("KeyConditionExpression", .string(writer.conjunction(keyTerms)))
            if !filter.isEmpty { o.append("FilterExpression", .string(writer.conjunction(filter))) }
        } else {
            if !orderBy.isEmpty { throw PartiQLError.orderByWithoutHashKey }
            operation = .scan
            if let condition { o.append("FilterExpression", .string(writer.condition(condition))) }
        }
        if let projectionText { o.append("ProjectionExpression", .string(projectionText)) }
        writer.finish(&o)
        if operation == .query, let range = key.range,
           orderBy.contains(where: { $0.attribute == range.name && $0.descending }) {
            o.append("ScanIndexForward", false)
        }
        return PartiQLRequest(operation: operation, input: .object(o))
    }

    /// The name a projected path's value is returned under: its last name (`a.b` gives `b`).
    static func resultName(_ path: DocumentPath) -> String? {
        for element in path.elements.reversed() {
            if case .name(let n) = element { return n }
        }
        return nil
    }

    /// An item as SELECT returns it: each projected path's value under its last name
    /// (`SELECT a.b` gives `{"b": …}`), paths the item lacks left out; `*` keeps the item.
    public func shape(_ item: Item) -> Item {
        guard let projection else { return item }
        var out: Item = []
        for path in projection {
            guard let name = Self.resultName(path), let value = Self.resolve(path, in: item) else { continue }
            out.append((name, value))
        }
        return out
    }

    static func resolve(_ path: DocumentPath, in item: Item) -> AttributeValue? {
        var current: AttributeValue = .m(item)
        for element in path.elements {
            switch (element, current) {
            case (.name(let n), .m(let members)):
                guard let next = members.first(where: { $0.key == n })?.value else { return nil }
                current = next
            case (.index(let i), .l(let list)):
                guard i < list.count else { return nil }
                current = list[i]
            default:
                return nil
            }
        }
        return current
    }
}

extension InsertPlan {
    func request(key: KeySchema) throws -> PartiQLRequest {
        for attribute in [key.hash] + (key.range.map { [$0] } ?? []) {
            guard let value = item.first(where: { $0.key == attribute.name })?.value else {
                throw PartiQLError.keyAbsent(attribute.name)
            }
            guard value.typeName == attribute.type else { throw PartiQLError.keyTypeMismatch(attribute.name) }
        }
        var writer = PartiQLExpressionWriter()
        var o: JSONObject = ["TableName": .string(tableName), "Item": AttributeValue.itemJSON(item)]
        o.append("ConditionExpression", .string("attribute_not_exists(\(writer.name(key.hash.name)))"))
        writer.finish(&o)
        return PartiQLRequest(operation: .putItem, input: .object(o))
    }
}

extension UpdatePlan {
    func request(key: KeySchema) throws -> PartiQLRequest {
        let (keyItem, rest) = try PartiQLKeyConditions.item(condition, key: key)
        var writer = PartiQLExpressionWriter()
        var o: JSONObject = ["TableName": .string(tableName), "Key": AttributeValue.itemJSON(keyItem)]
        o.append("UpdateExpression", .string(writer.update(actions)))
        var check = "attribute_exists(\(writer.name(key.hash.name)))"
        if !rest.isEmpty { check += " AND " + writer.conjunction(rest) }
        o.append("ConditionExpression", .string(check))
        writer.finish(&o)
        if let returnValues { o.append("ReturnValues", .string(returnValues)) }
        return PartiQLRequest(operation: .updateItem, input: .object(o))
    }
}

extension DeletePlan {
    func request(key: KeySchema) throws -> PartiQLRequest {
        let (keyItem, rest) = try PartiQLKeyConditions.item(condition, key: key)
        var writer = PartiQLExpressionWriter()
        var o: JSONObject = ["TableName": .string(tableName), "Key": AttributeValue.itemJSON(keyItem)]
        if !rest.isEmpty {
            // The extra conditions are the DeleteItem's condition, as DynamoDB runs them:
            // on a missing item they fail like any condition on nothing.
            o.append("ConditionExpression", .string(writer.groupedConjunction(rest)))
        }
        writer.finish(&o)
        if let returnValues { o.append("ReturnValues", .string(returnValues)) }
        return PartiQLRequest(operation: .deleteItem, input: .object(o))
    }
}
