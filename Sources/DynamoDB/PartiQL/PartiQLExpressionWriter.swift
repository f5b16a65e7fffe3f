import JSON

/// Writes PartiQL conditions, operands and update actions as DynamoDB expression text.
/// Every name becomes a `#nN` placeholder (one per distinct name) and every value a
/// `:vN` placeholder (one per occurrence), so reserved words and odd characters never
/// matter; only placeholders that were written appear in the request.
struct PartiQLExpressionWriter {
    private var names: [JSONObject.Member] = []
    private var nameIndex: [String: String] = [:]
    private var values: [JSONObject.Member] = []

    /// Binding strength, for parentheses: OR < AND < NOT < everything else.
    private enum Level {
        static let or = 1, and = 2, not = 3, atom = 4
    }

    mutating func name(_ n: String) -> String {
        if let placeholder = nameIndex[n] { return placeholder }
        let placeholder = "#n\(names.count)"
        nameIndex[n] = placeholder
        names.append(JSONObject.Member(placeholder, .string(n)))
        return placeholder
    }

    mutating func value(_ v: AttributeValue) -> String {
        let placeholder = ":v\(values.count)"
        values.append(JSONObject.Member(placeholder, v.json))
        return placeholder
    }

    mutating func path(_ p: DocumentPath) -> String {
        var out = ""
        for element in p.elements {
            switch element {
            case .name(let n): out += (out.isEmpty ? "" : ".") + name(n)
            case .index(let i): out += "[\(i)]"
            }
        }
        return out
    }

    mutating func operand(_ o: PartiQLOperand) -> String {
        switch o {
        case .path(let p): return path(p)
        case .value(let v): return value(v)
        case .size(let inner): return "size(\(operand(inner)))"
        }
    }

    /// `c`, in parentheses when it binds looser than the context it sits in.
    mutating func condition(_ c: PartiQLCondition, within context: Int = 0) -> String {
        let (text, level): (String, Int)
        switch c {
        case .and(let a, let b):
            (text, level) = ("\(condition(a, within: Level.and)) AND \(condition(b, within: Level.and))", Level.and)
        case .or(let a, let b):
            (text, level) = ("\(condition(a, within: Level.or)) OR \(condition(b, within: Level.or))", Level.or)
        case .not(let x):
            (text, level) = ("NOT \(condition(x, within: Level.not))", Level.not)
        case .compare(let a, let op, let b):
            (text, level) = ("\(operand(a)) \(op.rawValue) \(operand(b))", Level.atom)
        case .between(let x, let low, let high):
            (text, level) = ("\(operand(x)) BETWEEN \(operand(low)) AND \(operand(high))", Level.atom)
        case .in(let x, let list):
            let lhs = operand(x)
            (text, level) = ("\(lhs) IN (\(list.map { operand($0) }.joined(separator: ", ")))", Level.atom)
        case .function(let name, let args):
            (text, level) = ("\(name)(\(args.map { operand($0) }.joined(separator: ", ")))", Level.atom)
        }
        return level < context ? "(\(text))" : text
    }

    /// Conditions that must all hold, joined with AND.
    mutating func conjunction(_ conditions: [PartiQLCondition]) -> String {
        conditions.map { condition($0, within: Level.and) }.joined(separator: " AND ")
    }

    /// The same, in parentheses when there is more than one or it is an OR: for the
    /// right side of an OR.
    mutating func groupedConjunction(_ conditions: [PartiQLCondition]) -> String {
        if conditions.count == 1 { return condition(conditions[0], within: Level.not) }
        return "(\(conjunction(conditions)))"
    }

    mutating func setValue(_ v: PartiQLSetValue) -> String {
        switch v {
        case .operand(let o): return operand(o)
        case .plus(let a, let b): return "\(operand(a)) + \(operand(b))"
        case .minus(let a, let b): return "\(operand(a)) - \(operand(b))"
        case .listAppend(let a, let b): return "list_append(\(operand(a)), \(operand(b)))"
        case .ifNotExists(let p, let o): return "if_not_exists(\(path(p)), \(operand(o)))"
        }
    }

    /// An UpdateExpression: the actions in the order written, grouped by clause.
    mutating func update(_ actions: [PartiQLUpdateAction]) -> String {
        var set: [String] = [], remove: [String] = [], add: [String] = [], delete: [String] = []
        for action in actions {
            switch action {
            case .set(let p, let v):
                let target = path(p)
                set.append("\(target) = \(setValue(v))")
            case .remove(let p): remove.append(path(p))
            case .add(let p, let v):
                let target = path(p)
                add.append("\(target) \(value(v))")
            case .delete(let p, let v):
                let target = path(p)
                delete.append("\(target) \(value(v))")
            }
        }
        return [("SET", set), ("REMOVE", remove), ("ADD", add), ("DELETE", delete)]
            .filter { !$0.1.isEmpty }
            .map { "\($0.0) \($0.1.joined(separator: ", "))" }
            .joined(separator: " ")
    }

    /// Appends `ExpressionAttributeNames` and `ExpressionAttributeValues`, when any were written.
    func finish(_ request: inout JSONObject) {
        if !names.isEmpty { request.append("ExpressionAttributeNames", .object(JSONObject(names))) }
        if !values.isEmpty { request.append("ExpressionAttributeValues", .object(JSONObject(values))) }
    }
}
