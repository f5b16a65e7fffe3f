/// A parsed KeyConditionExpression. Parsing checks it as any condition; `resolve`
/// then applies the key-condition rules and the key schema, giving the partition value
/// and the sort-key condition a Query turns into a range scan.
public struct KeyConditionExpression: Sendable {
    public let condition: ConditionExpression

    public static func parse(_ text: String, context: ExpressionContext) throws -> KeyConditionExpression {
        KeyConditionExpression(condition: try ConditionExpression.parse(text, kind: .keyCondition, context: context))
    }

    /// Parse and resolve in one step, for callers that need no other expression.
    public static func parse(_ text: String, context: ExpressionContext, hashKey: String, rangeKey: String?) throws -> KeyCondition {
        try parse(text, context: context).resolve(hashKey: hashKey, rangeKey: rangeKey)
    }

    /// One condition of the expression: an attribute, what it is compared with.
    public struct Term: Sendable {
        public var attribute: String
        public var condition: SortKeyCondition
    }

    /// The key-condition rules that need no schema: only AND, only =, <, <=, >, >=,
    /// BETWEEN and begins_with, each on one top-level attribute, once per attribute.
    public func terms() throws -> [Term] {
        var terms: [Term] = []
        try Self.collect(condition.condition, into: &terms)
        return terms
    }

    /// The key condition for a table's or index's key schema.
    public func resolve(hashKey: String, rangeKey: String?) throws -> KeyCondition {
        let terms = try terms()
        let keyCount = rangeKey == nil ? 1 : 2
        if terms.count > keyCount {
            throw DynamoDBError.validation("The number of query conditions (\(terms.count)) exceeds the number of key attributes defined in the schema (\(keyCount))")
        }
        guard let partition = terms.first(where: { $0.attribute == hashKey }) else {
            throw DynamoDBError.validation("Query condition missed key schema element: \(hashKey)")
        }
        let sort = terms.first { $0.attribute != hashKey }
        if let sort, sort.attribute != rangeKey {
            throw DynamoDBError.validation("Query condition missed key schema element: \(rangeKey ?? hashKey)")
        }
        guard case .equal(let value) = partition.condition else {
            throw DynamoDBError.validation("Query key condition not supported")
        }
        return KeyCondition(partitionKey: hashKey, partitionValue: value, sortKey: rangeKey,
                            sortCondition: sort?.condition)
    }

    /// As `resolve(hashKey:rangeKey:)`, then every value checked against the key's type.
    public func resolve(_ schema: KeySchema) throws -> KeyCondition {
        let key = try resolve(hashKey: schema.hash.name, rangeKey: schema.range?.name)
        try Self.checkValues([key.partitionValue], key: schema.hash)
        if let range = schema.range, let sort = key.sortCondition { try Self.checkValues(sort.values, key: range) }
        return key
    }

    static func checkValues(_ values: [AttributeValue], key: KeyAttribute) throws {
        for v in values {
            if v.typeName != key.type {
                throw DynamoDBError.validation("One or more parameter values were invalid: Condition parameter type does not match schema type")
            }
            switch v {
            case .s(let s) where s.isEmpty:
                throw DynamoDBError.validation("One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: \(key.name)")
            case .b(let b) where b.isEmpty:
                throw DynamoDBError.validation("One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty binary value. Key: \(key.name)")
            default: break
            }
        }
    }

    static func invalidOperator(_ op: String) -> DynamoDBError {
        .validation("Invalid operator used in KeyConditionExpression: \(op)")
    }

    /// Walks the ANDs (the only recursion, kept small), in writing order.
    static func collect(_ c: ExpressionCondition, into terms: inout [Term]) throws {
        if case .and(let a, let b) = c {
            try collect(a, into: &terms)
            try collect(b, into: &terms)
        } else {
            terms.append(try term(c, after: terms))
        }
    }

    /// One condition of the expression, checked against the rules and the terms before it.
    static func term(_ c: ExpressionCondition, after terms: [Term]) throws -> Term {
        let operands: [ExpressionOperand]
        switch c {
        case .and: throw invalidOperator("AND")
        case .or: throw invalidOperator("OR")
        case .not: throw invalidOperator("NOT")
        case .in: throw invalidOperator("IN")
        case .compare(_, .notEqual, _): throw invalidOperator("<>")
        case .attributeExists: throw invalidOperator("attribute_exists")
        case .attributeNotExists: throw invalidOperator("attribute_not_exists")
        case .attributeType: throw invalidOperator("attribute_type")
        case .contains: throw invalidOperator("contains")
        case .between(let a, let lo, let hi):
            guard case .path = a else { throw firstOperand("BETWEEN") }
            operands = [a, lo, hi]
        case .beginsWith(let a, let b):
            guard case .path = a else { throw firstOperand("begins_with") }
            operands = [a, b]
        case .compare(let a, _, let b):
            operands = [a, b]
        }
        var attribute: String?
        var attributeIndex = 0
        var values: [AttributeValue] = []
        for (i, o) in operands.enumerated() {
            switch o {
            case .path(let p):
                if attribute != nil {
                    throw DynamoDBError.validation("Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition")
                }
                if p.elements.count > 1 {
                    throw DynamoDBError.validation("KeyConditionExpressions cannot have conditions on nested attributes")
                }
                attribute = p.attribute
                attributeIndex = i
            case .value(let v):
                values.append(v)
            default:
                throw DynamoDBError.validation("KeyConditionExpressions cannot contain nested operations")
            }
        }
        guard let attribute else {
            throw DynamoDBError.validation("Invalid condition in KeyConditionExpression: No key attribute specified")
        }
        if terms.contains(where: { $0.attribute == attribute }) {
            throw KeyConditionExpression.kind.error("KeyConditionExpressions must only contain one condition per key")
        }
        let condition: SortKeyCondition
        switch c {
        case .between: condition = .between(values[0], values[1])
        case .beginsWith: condition = .beginsWith(values[0])
        case .compare(_, let op, _):
            switch attributeIndex == 0 ? op : op.flipped {
            case .equal: condition = .equal(values[0])
            case .less: condition = .less(values[0])
            case .lessOrEqual: condition = .lessOrEqual(values[0])
            case .greater: condition = .greater(values[0])
            default: condition = .greaterOrEqual(values[0])
            }
        default: throw invalidOperator("OR")
        }
        return Term(attribute: attribute, condition: condition)
    }

    static let kind = ExpressionKind.keyCondition

    static func firstOperand(_ op: String) -> DynamoDBError {
        .validation("Invalid condition in KeyConditionExpression: \(op) operator must have the key attribute as its first operand")
    }
}

/// What a Query's key condition says of the sort key (or, for `equal`, the partition key).
public enum SortKeyCondition: Sendable {
    case equal(AttributeValue)
    case less(AttributeValue)
    case lessOrEqual(AttributeValue)
    case greater(AttributeValue)
    case greaterOrEqual(AttributeValue)
    case between(AttributeValue, AttributeValue)
    case beginsWith(AttributeValue)

    public var values: [AttributeValue] {
        switch self {
        case .equal(let v), .less(let v), .lessOrEqual(let v), .greater(let v), .greaterOrEqual(let v), .beginsWith(let v):
            return [v]
        case .between(let a, let b): return [a, b]
        }
    }

    /// Whether a sort-key value satisfies the condition.
    public func matches(_ value: AttributeValue) -> Bool {
        switch self {
        case .equal(let v): return value.expressionEquals(v)
        case .less(let v): return value.expressionOrder(v).map { $0 < 0 } ?? false
        case .lessOrEqual(let v): return value.expressionOrder(v).map { $0 <= 0 } ?? false
        case .greater(let v): return value.expressionOrder(v).map { $0 > 0 } ?? false
        case .greaterOrEqual(let v): return value.expressionOrder(v).map { $0 >= 0 } ?? false
        case .between(let lo, let hi):
            guard let a = lo.expressionOrder(value), let b = value.expressionOrder(hi) else { return false }
            return a <= 0 && b <= 0
        case .beginsWith(let prefix):
            switch (value, prefix) {
            case (.s(let s), .s(let p)): return s.utf8.starts(with: p.utf8)
            case (.b(let b), .b(let p)): return b.starts(with: p)
            default: return false
            }
        }
    }
}

/// A resolved key condition: one partition, and optionally a range of sort keys.
public struct KeyCondition: Sendable {
    public var partitionKey: String
    public var partitionValue: AttributeValue
    public var sortKey: String?
    public var sortCondition: SortKeyCondition?

    /// Whether an item's key satisfies the condition.
    public func matches(_ item: Item) -> Bool {
        guard let p = item.first(where: { $0.key == partitionKey })?.value, p.expressionEquals(partitionValue) else { return false }
        guard let sortCondition else { return true }
        guard let sortKey, let s = item.first(where: { $0.key == sortKey })?.value else { return false }
        return sortCondition.matches(s)
    }
}
