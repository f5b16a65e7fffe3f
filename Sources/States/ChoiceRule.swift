import Foundation
import JSON

/// A `Choices` rule: a boolean combination or one data test of `Variable`.
public indirect enum ChoiceRule: Sendable {
    case and([ChoiceRule])
    case or([ChoiceRule])
    case not(ChoiceRule)
    case test(variable: JSONPath, ChoiceComparison)
}

/// A comparison operator with its operand: a literal, or a path (`…Path` operators).
public enum ChoiceComparison: Sendable {
    case string(StringOperator, ChoiceOperand)
    case stringMatches(String)
    case numeric(OrderOperator, ChoiceOperand)
    case boolean(ChoiceOperand)
    case timestamp(OrderOperator, ChoiceOperand)
    case isNull(Bool)
    case isPresent(Bool)
    case isNumeric(Bool)
    case isString(Bool)
    case isBoolean(Bool)
    case isTimestamp(Bool)

    public enum StringOperator: Sendable { case equals, lessThan, greaterThan, lessThanEquals, greaterThanEquals }
    public typealias OrderOperator = StringOperator
}

public enum ChoiceOperand: Sendable {
    case literal(JSONValue)
    case path(JSONPath)
}

extension ChoiceRule {
    private static let orderSuffixes: [(String, ChoiceComparison.StringOperator)] = [
        ("Equals", .equals), ("LessThan", .lessThan), ("GreaterThan", .greaterThan),
        ("LessThanEquals", .lessThanEquals), ("GreaterThanEquals", .greaterThanEquals),
    ]

    /// The comparison operator names ASL defines, each with the literal type it takes.
    static let operators: [String: (ChoiceComparison.StringOperator?, String)] = {
        var table: [String: (ChoiceComparison.StringOperator?, String)] = [:]
        for (suffix, op) in orderSuffixes {
            table["String\(suffix)"] = (op, "string")
            table["Numeric\(suffix)"] = (op, "number")
            table["Timestamp\(suffix)"] = (op, "timestamp")
        }
        table["BooleanEquals"] = (nil, "boolean")
        table["StringMatches"] = (nil, "pattern")
        for test in ["IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp"] { table[test] = (nil, "test") }
        return table
    }()

    static let ruleFields: Set<String> = ["Variable", "And", "Or", "Not", "Next", "Comment", "Assign", "Output", "Condition"]

    /// Parses one rule at `location`; `topLevel` rules carry `Next`, nested ones must not.
    static func parse(_ value: JSONValue, at location: String, topLevel: Bool, diagnostics: inout Diagnostics) -> ChoiceRule? {
        guard case .object(let o) = value else {
            diagnostics.error("A Choice Rule must be a JSON object", at: location)
            return nil
        }
        if !topLevel, o["Next"] != nil {
            diagnostics.error("Nested Choice Rules must not have a 'Next' field", at: pointer(location, "Next"))
        }
        for key in [("And", true), ("Or", false)] {
            guard let list = o[key.0] else { continue }
            guard case .array(let items) = list, !items.isEmpty else {
                diagnostics.error("The field '\(key.0)' must be a non-empty array of Choice Rules", at: pointer(location, key.0))
                return nil
            }
            let rules = items.enumerated().compactMap {
                parse($1, at: pointer(pointer(location, key.0), $0), topLevel: false, diagnostics: &diagnostics)
            }
            return key.1 ? .and(rules) : .or(rules)
        }
        if let inner = o["Not"] {
            guard let rule = parse(inner, at: pointer(location, "Not"), topLevel: false, diagnostics: &diagnostics) else { return nil }
            return .not(rule)
        }
        guard case .string(let variableText)? = o["Variable"] else {
            diagnostics.error("A Choice Rule must have a 'Variable' field, or be an 'And', 'Or' or 'Not' rule", at: location)
            return nil
        }
        guard let variable = try? JSONPath.parse(variableText) else {
            diagnostics.error("The value for the field 'Variable' must be a valid JSONPath", at: pointer(location, "Variable"))
            return nil
        }
        let comparators = o.keys.filter { !ruleFields.contains($0) }
        guard comparators.count == 1, let name = comparators.first else {
            diagnostics.error(comparators.isEmpty ? "A Choice Rule must have exactly one comparison operator"
                              : "A Choice Rule must have exactly one comparison operator, found: \(comparators.joined(separator: ", "))",
                              at: location)
            return nil
        }
        let here = pointer(location, name)
        guard let comparison = comparison(name, o[name]!, at: here, diagnostics: &diagnostics) else { return nil }
        return .test(variable: variable, comparison)
    }

    private static func comparison(_ name: String, _ operand: JSONValue, at location: String,
                                   diagnostics: inout Diagnostics) -> ChoiceComparison? {
        let isPath = name.hasSuffix("Path") && name != "StringMatches"
        let base = isPath ? String(name.dropLast(4)) : name
        // Only the comparisons with an operand have a `…Path` form: no IsNullPath, no StringMatchesPath.
        guard let (op, type) = operators[base], !(isPath && (type == "test" || type == "pattern")) else {
            diagnostics.error("Unknown comparison operator '\(name)'", at: location)
            return nil
        }
        if isPath {
            guard case .string(let text) = operand, let path = try? JSONPath.parse(text) else {
                diagnostics.error("The value for the field '\(name)' must be a valid JSONPath", at: location)
                return nil
            }
            return make(base, op, type, .path(path))
        }
        switch type {
        case "test":
            guard case .bool(let b) = operand else {
                diagnostics.error("The value for the field '\(name)' must be a boolean", at: location)
                return nil
            }
            switch base {
            case "IsNull": return .isNull(b)
            case "IsPresent": return .isPresent(b)
            case "IsNumeric": return .isNumeric(b)
            case "IsString": return .isString(b)
            case "IsBoolean": return .isBoolean(b)
            default: return .isTimestamp(b)
            }
        case "pattern":
            guard case .string(let pattern) = operand else {
                diagnostics.error("The value for the field 'StringMatches' must be a string", at: location)
                return nil
            }
            return .stringMatches(pattern)
        case "string":
            guard case .string = operand else {
                diagnostics.error("The value for the field '\(name)' must be a string", at: location)
                return nil
            }
        case "number":
            guard case .number = operand else {
                diagnostics.error("The value for the field '\(name)' must be a number", at: location)
                return nil
            }
        case "boolean":
            guard case .bool = operand else {
                diagnostics.error("The value for the field '\(name)' must be a boolean", at: location)
                return nil
            }
        case "timestamp":
            guard case .string(let s) = operand, Timestamp(s) != nil else {
                diagnostics.error("The value for the field '\(name)' must be a valid timestamp (RFC 3339)", at: location)
                return nil
            }
        default: break
        }
        return make(base, op, type, .literal(operand))
    }

    private static func make(_ base: String, _ op: ChoiceComparison.StringOperator?, _ type: String,
                             _ operand: ChoiceOperand) -> ChoiceComparison? {
        switch type {
        case "string": return .string(op!, operand)
        case "number": return .numeric(op!, operand)
        case "timestamp": return .timestamp(op!, operand)
        case "boolean": return .boolean(operand)
        default: return nil
        }
    }
}

extension ChoiceRule {
    /// Evaluates the rule. A `Variable` (or operand path) that matches nothing is a
    /// `States.Runtime` error, except under `IsPresent`; a value of the wrong type
    /// for its operator simply does not match.
    public func evaluate(in scope: EvaluationScope) throws -> Bool {
        switch self {
        case .and(let rules):
            for r in rules where !(try r.evaluate(in: scope)) { return false }
            return true
        case .or(let rules):
            for r in rules where try r.evaluate(in: scope) { return true }
            return false
        case .not(let rule):
            return !(try rule.evaluate(in: scope))
        case .test(let variable, let comparison):
            if case .isPresent(let expected) = comparison {
                return (variable.resolve(in: scope) != nil) == expected
            }
            let value = try variable.evaluate(in: scope, field: "Variable")
            return try comparison.matches(value, in: scope)
        }
    }
}

extension ChoiceComparison {
    func operandValue(_ operand: ChoiceOperand, in scope: EvaluationScope) throws -> JSONValue {
        switch operand {
        case .literal(let v): return v
        case .path(let p): return try p.evaluate(in: scope, field: "Path")
        }
    }

    func matches(_ value: JSONValue, in scope: EvaluationScope) throws -> Bool {
        switch self {
        case .isPresent(let expected): return expected
        case .isNull(let expected): return value.isNull == expected
        case .isNumeric(let expected): if case .number = value { return expected } else { return !expected }
        case .isString(let expected): if case .string = value { return expected } else { return !expected }
        case .isBoolean(let expected): if case .bool = value { return expected } else { return !expected }
        case .isTimestamp(let expected):
            if case .string(let s) = value, Timestamp(s) != nil { return expected }
            return !expected
        case .stringMatches(let pattern):
            guard case .string(let s) = value else { return false }
            return StringPattern(pattern).matches(s)
        case .string(let op, let operand):
            guard case .string(let a) = value, case .string(let b) = try operandValue(operand, in: scope) else { return false }
            return op.holds(compare(Array(a.unicodeScalars.map(\.value)), Array(b.unicodeScalars.map(\.value))))
        case .numeric(let op, let operand):
            // Exact decimal comparison: 1, 1.0 and 1e0 are equal, and integers past 2^53 (or past
            // Foundation.Decimal's 38 digits) are not rounded into each other.
            guard case .number(let a) = value, case .number(let b) = try operandValue(operand, in: scope),
                  let x = ExactDecimal(a), let y = ExactDecimal(b) else { return false }
            return op.holds(x < y ? -1 : (x > y ? 1 : 0))
        case .boolean(let operand):
            guard case .bool(let a) = value, case .bool(let b) = try operandValue(operand, in: scope) else { return false }
            return a == b
        case .timestamp(let op, let operand):
            guard case .string(let a) = value, case .string(let b) = try operandValue(operand, in: scope),
                  let x = Timestamp(a), let y = Timestamp(b) else { return false }
            return op.holds(x < y ? -1 : (x > y ? 1 : 0))
        }
    }

    func compare(_ a: [UInt32], _ b: [UInt32]) -> Int {
        if a == b { return 0 }
        return a.lexicographicallyPrecedes(b) ? -1 : 1
    }
}

extension ChoiceComparison.StringOperator {
    func holds(_ order: Int) -> Bool {
        switch self {
        case .equals: return order == 0
        case .lessThan: return order < 0
        case .greaterThan: return order > 0
        case .lessThanEquals: return order <= 0
        case .greaterThanEquals: return order >= 0
        }
    }
}

/// `StringMatches` patterns: `*` matches any run of characters; `\*` and `\\` are literal.
struct StringPattern {
    enum Token: Equatable { case literal(Character), star }
    let tokens: [Token]

    init(_ pattern: String) {
        var tokens: [Token] = []
        var escaped = false
        for c in pattern {
            if escaped { tokens.append(.literal(c)); escaped = false; continue }
            if c == "\\" { escaped = true; continue }
            tokens.append(c == "*" ? .star : .literal(c))
        }
        if escaped { tokens.append(.literal("\\")) }
        self.tokens = tokens
    }

    /// Iterative wildcard matching: linear in practice, no recursion to blow the stack.
    func matches(_ text: String) -> Bool {
        let s = Array(text)
        var i = 0, p = 0, starP = -1, starI = 0
        while i < s.count {
            if p < tokens.count, case .literal(let c) = tokens[p], c == s[i] {
                i += 1; p += 1
            } else if p < tokens.count, tokens[p] == .star {
                starP = p; starI = i; p += 1
            } else if starP >= 0 {
                p = starP + 1; starI += 1; i = starI
            } else {
                return false
            }
        }
        while p < tokens.count, tokens[p] == .star { p += 1 }
        return p == tokens.count
    }
}
