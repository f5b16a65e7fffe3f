import JSON
import Wire

/// The expressions of one request, parsed once against its ExpressionAttributeNames and
/// ExpressionAttributeValues, which every expression shares and must all use.
struct RequestExpressions {
    let context: ExpressionContext

    init(_ input: ShapeReader) throws {
        let names = try input.stringMap("ExpressionAttributeNames").map { pairs in
            Dictionary(pairs.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
        }
        var values: [String: AttributeValue]?
        if let map = input.value("ExpressionAttributeValues") {
            guard case .object(let o) = map else {
                throw DynamoDBError("SerializationException", "Unexpected value type in payload")
            }
            var decoded: [String: AttributeValue] = [:]
            for m in o {
                do {
                    decoded[m.key] = try AttributeValue.decode(m.value)
                } catch let error as DynamoDBError where error.code == "ValidationException" {
                    throw DynamoDBError.validation("ExpressionAttributeValues contains invalid value: \(error.message) for key \(m.key)")
                }
            }
            values = decoded
        }
        let hasExpression = LegacyParameters.expressionParameters.prefix(5).contains { input.has($0) }
        if !hasExpression {
            if names != nil { throw DynamoDBError.validation("ExpressionAttributeNames can only be specified when using expressions") }
            if values != nil { throw DynamoDBError.validation("ExpressionAttributeValues can only be specified when using expressions") }
        }
        context = try ExpressionContext(validatingNames: names, values: values)
    }

    func condition(_ input: ShapeReader) throws -> CompiledCondition? {
        try input.string("ConditionExpression").map {
            CompiledCondition(expression: try ConditionExpression.parse($0, kind: .condition, context: context))
        }
    }

    func filter(_ input: ShapeReader) throws -> CompiledCondition? {
        try input.string("FilterExpression").map {
            CompiledCondition(expression: try ConditionExpression.parse($0, kind: .filter, context: context))
        }
    }

    func projection(_ input: ShapeReader) throws -> CompiledProjection? {
        if let text = try input.string("ProjectionExpression") {
            if input.has("AttributesToGet") {
                throw DynamoDBError.validation("Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}")
            }
            return CompiledProjection(expression: try ProjectionExpression.parse(text, context: context))
        }
        // The legacy AttributesToGet: top-level names only.
        if let names = try input.stringList("AttributesToGet") {
            var seen = Set<String>()
            for name in names where !seen.insert(name).inserted {
                throw DynamoDBError.validation("One or more parameter values were invalid: Duplicate value in attribute name: \(name)")
            }
            return CompiledProjection(expression: ProjectionExpression(paths: names.map { DocumentPath([.name($0)]) }))
        }
        return nil
    }

    func update(_ input: ShapeReader) throws -> CompiledUpdate? {
        try input.string("UpdateExpression").map { CompiledUpdate(expression: try UpdateExpression.parse($0, context: context)) }
    }

    func keyCondition(_ input: ShapeReader) throws -> KeyConditionExpression {
        guard let text = try input.string("KeyConditionExpression") else {
            throw DynamoDBError.validation("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.")
        }
        return try KeyConditionExpression.parse(text, context: context)
    }

    func finish() throws { try context.ensureAllUsed() }
}

struct CompiledCondition: Sendable {
    let expression: ConditionExpression
    func matches(_ item: Item?) throws -> Bool { expression.evaluate(on: item) }
}

struct CompiledProjection: Sendable {
    let expression: ProjectionExpression
    func apply(_ item: Item) -> Item { expression.apply(to: item) }
}

struct CompiledUpdate: Sendable {
    let expression: UpdateExpression
    func apply(_ item: Item, exists: Bool) throws -> (Item, Set<String>) {
        let result = try expression.apply(to: item, itemExists: exists)
        return (result.item, result.updatedAttributes)
    }

    /// Only the paths the update wrote, for UPDATED_OLD and UPDATED_NEW.
    func updatedValues(in item: Item) -> Item { expression.updatedValues(in: item) }
}
