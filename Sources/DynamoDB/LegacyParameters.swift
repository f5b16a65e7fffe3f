import JSON
import Wire

/// The parameters DynamoDB had before expressions — Expected, AttributeUpdates,
/// KeyConditions, QueryFilter, ScanFilter, ConditionalOperator — rewritten into the
/// equivalent expressions, so one evaluator serves both. Generated placeholders cannot
/// clash: legacy and expression parameters may not be mixed in one request.
enum LegacyParameters {
    static let expressionParameters = ["ConditionExpression", "UpdateExpression", "KeyConditionExpression", "FilterExpression",
                                       "ProjectionExpression", "ExpressionAttributeNames", "ExpressionAttributeValues"]
    static let legacyParameters = ["Expected", "AttributeUpdates", "KeyConditions", "QueryFilter", "ScanFilter",
                                   "ConditionalOperator", "AttributesToGet"]

    /// Builds expression text while naming every attribute and value by placeholder.
    struct Builder {
        var names = JSONObject()
        var values = JSONObject()

        mutating func name(_ attribute: String) -> String {
            if let existing = names.members.first(where: { $0.value.stringValue == attribute }) { return existing.key }
            let placeholder = "#legacy\(names.count)"
            names.append(placeholder, .string(attribute))
            return placeholder
        }

        mutating func value(_ v: JSONValue) -> String {
            let placeholder = ":legacy\(values.count)"
            values.append(placeholder, v)
            return placeholder
        }
    }

    /// Set on a rewritten Query whose filter came from QueryFilter, so errors name it.
    static let queryFilterMarker = "OffcloudLegacyQueryFilter"

    static func rewrite(_ input: ShapeReader) throws -> ShapeReader {
        // Which expression parameters each legacy parameter may not meet: KeyConditions
        // clashes only with KeyConditionExpression; the others with any expression.
        let expressionStrings = expressionParameters.prefix(5).filter { input.has($0) }
        let present = legacyParameters.filter { input.has($0) }
        var clashing: [String] = []
        for name in present {
            let conflicts = name == "KeyConditions" ? expressionStrings.filter { $0 == "KeyConditionExpression" } : expressionStrings
            if !conflicts.isEmpty { clashing.append(name) }
        }
        if !clashing.isEmpty {
            let expressions = present.contains("KeyConditions") && clashing == ["KeyConditions"] ? ["KeyConditionExpression"] : expressionStrings
            throw DynamoDBError.validation("Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {\(clashing.joined(separator: ", "))} Expression parameters: {\(expressions.joined(separator: ", "))}")
        }
        if let names = try input.stringList("AttributesToGet") {
            var seen = Set<String>()
            for name in names where !seen.insert(name).inserted {
                throw DynamoDBError.validation("One or more parameter values were invalid: Duplicate value in attribute name: \(name)")
            }
        }
        let legacy = present.filter { $0 != "AttributesToGet" }
        guard !legacy.isEmpty else { return input }
        if input.has("ConditionalOperator") {
            let conditions = ["Expected", "QueryFilter", "ScanFilter"].compactMap { input.value($0)?.objectValue }
            guard let first = conditions.first else {
                throw DynamoDBError.validation("ConditionalOperator cannot be used without Filter or Expected")
            }
            if first.count < 2 {
                throw DynamoDBError.validation("ConditionalOperator can only be used when Filter or Expected has two or more elements")
            }
        }
        var object = input.object
        var builder = Builder()
        let joiner = try input.string("ConditionalOperator") ?? "AND"
        guard joiner == "AND" || joiner == "OR" else {
            throw DynamoDBError.validation("1 validation error detected: Value '\(joiner)' at 'conditionalOperator' failed to satisfy constraint: Member must satisfy enum value set: [AND, OR]")
        }
        if let expected = try input.structureMap("Expected") {
            object["ConditionExpression"] = .string(try expected.map { try expectedCondition($0.key, $0.value, &builder) }
                .joined(separator: " \(joiner) "))
        }
        for (parameter, target) in [("QueryFilter", "FilterExpression"), ("ScanFilter", "FilterExpression")] {
            if let filter = try input.structureMap(parameter) {
                object[target] = .string(try filter.map { try comparison($0.key, $0.value, &builder, parameter: parameter) }
                    .joined(separator: " \(joiner) "))
                if parameter == "QueryFilter" { object[queryFilterMarker] = true }
            }
        }
        if let keys = try input.structureMap("KeyConditions") {
            object["KeyConditionExpression"] = .string(try keys.map { try comparison($0.key, $0.value, &builder, parameter: "KeyConditions") }
                .joined(separator: " AND "))
        }
        if let updates = try input.structureMap("AttributeUpdates") {
            var set: [String] = [], add: [String] = [], delete: [String] = [], remove: [String] = []
            for (attribute, update) in updates {
                let action = try update.string("Action") ?? "PUT"
                let value = update.value("Value")
                let n = builder.name(attribute)
                if let value, action == "ADD" || action == "DELETE" {
                    let type = value.objectValue?.keys.first ?? ""
                    let allowed = action == "ADD" ? ["N", "SS", "NS", "BS", "L"] : ["SS", "NS", "BS"]
                    if !allowed.contains(type) {
                        throw DynamoDBError.validation("One or more parameter values were invalid: \(action) action is not supported for the type \(type)")
                    }
                }
                switch (action, value) {
                case ("PUT", let v?): set.append("\(n) = \(builder.value(v))")
                case ("ADD", let v?): add.append("\(n) \(builder.value(v))")
                case ("DELETE", let v?): delete.append("\(n) \(builder.value(v))")
                case ("DELETE", nil): remove.append(n)
                case ("PUT", nil), ("ADD", nil):
                    throw DynamoDBError.validation("One or more parameter values were invalid: Only DELETE action is allowed when no attribute value is specified")
                default:
                    throw DynamoDBError.validation("1 validation error detected: Value '\(action)' at 'attributeUpdates.\(attribute).member.action' failed to satisfy constraint: Member must satisfy enum value set: [ADD, PUT, DELETE]")
                }
            }
            var clauses: [String] = []
            if !set.isEmpty { clauses.append("SET " + set.joined(separator: ", ")) }
            if !remove.isEmpty { clauses.append("REMOVE " + remove.joined(separator: ", ")) }
            if !add.isEmpty { clauses.append("ADD " + add.joined(separator: ", ")) }
            if !delete.isEmpty { clauses.append("DELETE " + delete.joined(separator: ", ")) }
            if !clauses.isEmpty { object["UpdateExpression"] = .string(clauses.joined(separator: " ")) }
        }
        for key in legacy { object[key] = nil }
        // KeyConditions may travel with expressions of the client's own: keep its placeholders.
        var names = object["ExpressionAttributeNames"]?.objectValue ?? JSONObject()
        for m in builder.names { names[m.key] = m.value }
        var values = object["ExpressionAttributeValues"]?.objectValue ?? JSONObject()
        for m in builder.values { values[m.key] = m.value }
        if !names.isEmpty { object["ExpressionAttributeNames"] = .object(names) }
        if !values.isEmpty { object["ExpressionAttributeValues"] = .object(values) }
        return try ShapeReader(.object(object), path: input.path, lenient: input.lenient)
    }

    /// One `Expected` entry: the Value/Exists form or the ComparisonOperator form.
    static func expectedCondition(_ attribute: String, _ entry: ShapeReader, _ builder: inout Builder) throws -> String {
        if entry.has("ComparisonOperator") {
            if entry.has("Exists") {
                throw DynamoDBError.validation("One or more parameter values were invalid: Exists and ComparisonOperator cannot be used together for Attribute: \(attribute)")
            }
            return try comparison(attribute, entry, &builder, parameter: "Expected")
        }
        let existsGiven = try entry.bool("Exists")
        let exists = existsGiven ?? true
        let n = builder.name(attribute)
        if existsGiven == nil && !entry.has("Value") {
            throw DynamoDBError.validation("One or more parameter values were invalid: Value must be provided when Exists is null for Attribute: \(attribute)")
        }
        if let value = entry.value("Value") {
            guard exists else {
                throw DynamoDBError.validation("One or more parameter values were invalid: Value cannot be used when Exists is false for Attribute: \(attribute)")
            }
            return "\(n) = \(builder.value(value))"
        }
        guard !exists else {
            throw DynamoDBError.validation("One or more parameter values were invalid: Value must be provided when Exists is true for Attribute: \(attribute)")
        }
        return "attribute_not_exists(\(n))"
    }

    /// A ComparisonOperator with its AttributeValueList.
    static func comparison(_ attribute: String, _ entry: ShapeReader, _ builder: inout Builder, parameter: String) throws -> String {
        let op = try entry.requiredString("ComparisonOperator")
        // Expected may give its one argument as Value instead of a list.
        let values = entry.value("AttributeValueList")?.arrayValue ?? entry.value("Value").map { [$0] } ?? []
        let n = builder.name(attribute)
        if parameter == "Expected", !entry.has("AttributeValueList"), !entry.has("Value"), !["NULL", "NOT_NULL", "IN"].contains(op) {
            throw DynamoDBError.validation("One or more parameter values were invalid: Value or AttributeValueList must be used with ComparisonOperator: \(op) for Attribute: \(attribute)")
        }
        if parameter == "KeyConditions", !["EQ", "LE", "LT", "GE", "GT", "BEGINS_WITH", "BETWEEN"].contains(op) {
            throw DynamoDBError.validation("Attempted conditional constraint is not an indexable operation")
        }
        func count(_ expected: Int) throws {
            guard values.count == expected else {
                throw DynamoDBError.validation("One or more parameter values were invalid: Invalid number of argument(s) for the \(op) ComparisonOperator")
            }
        }
        switch op {
        case "EQ", "NE", "LE", "LT", "GE", "GT":
            try count(1)
            let symbol = ["EQ": "=", "NE": "<>", "LE": "<=", "LT": "<", "GE": ">=", "GT": ">"][op]!
            return "\(n) \(symbol) \(builder.value(values[0]))"
        case "BETWEEN":
            try count(2)
            return "\(n) BETWEEN \(builder.value(values[0])) AND \(builder.value(values[1]))"
        case "BEGINS_WITH":
            try count(1)
            return "begins_with(\(n), \(builder.value(values[0])))"
        case "IN" where parameter != "KeyConditions":
            guard !values.isEmpty else { try count(1); return "" }
            return "\(n) IN (\(values.map { builder.value($0) }.joined(separator: ", ")))"
        case "CONTAINS" where parameter != "KeyConditions":
            try count(1)
            return "contains(\(n), \(builder.value(values[0])))"
        case "NOT_CONTAINS" where parameter != "KeyConditions":
            try count(1)
            return "NOT contains(\(n), \(builder.value(values[0])))"
        case "NULL" where parameter != "KeyConditions":
            try count(0)
            return "attribute_not_exists(\(n))"
        case "NOT_NULL" where parameter != "KeyConditions":
            try count(0)
            return "attribute_exists(\(n))"
        default:
            if parameter == "KeyConditions" {
                throw DynamoDBError.validation("Attempted conditional constraint is not an indexable operation")
            }
            throw DynamoDBError.validation("1 validation error detected: Value '\(op)' at '\(parameter.prefix(1).lowercased() + parameter.dropFirst()).\(attribute).member.comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]")
        }
    }
}
