import Foundation

/// Unary and binary operators, with JSONata's type rules and error codes.
extension JSONataEvaluator {
    func evaluateUnary(_ expr: JSONataNode, _ input: JValue?, _ env: JSONataFrame) throws -> JValue? {
        switch expr.value {
        case "-":
            guard let value = try evaluate(expr.expression!, input, env) else { return nil }
            guard case .number(let n) = value else { throw JSONataError.make("D1002", expr.position, token: "-", value: value) }
            return .number(-n)
        case "[":
            var items: [JValue] = []
            for item in expr.expressions {
                guard let value = try evaluate(item, input, env) else { continue }
                if item.kind == .unary, item.value == "[" {
                    items.append(value)
                } else if case .array(let a) = value {
                    items.append(contentsOf: a.items)
                } else {
                    items.append(value)
                }
            }
            var array = JArray(items, sequence: false)
            array.cons = expr.consArray
            return .array(array)
        case "{":
            return try evaluateGroup(expr.pairs, position: expr.position, values: input, env)
        default:
            throw JSONataError.make("S0211", expr.position, token: expr.value)
        }
    }

    func evaluateBinary(_ expr: JSONataNode, _ input: JValue?, _ env: JSONataFrame) throws -> JValue? {
        let op = expr.value
        let lhs = try evaluate(expr.lhs!, input, env)
        if op == "and" {
            guard Self.boolean(lhs) == true else { return .bool(false) }
            return .bool(Self.boolean(try evaluate(expr.rhs!, input, env)) == true)
        }
        if op == "or" {
            if Self.boolean(lhs) == true { return .bool(true) }
            return .bool(Self.boolean(try evaluate(expr.rhs!, input, env)) == true)
        }
        let rhs = try evaluate(expr.rhs!, input, env)
        switch op {
        case "+", "-", "*", "/", "%":
            if let lhs, !(try Self.isNumber(lhs, expr.position)) { throw JSONataError.make("T2001", expr.position, token: op, value: lhs) }
            if let rhs, !(try Self.isNumber(rhs, expr.position)) { throw JSONataError.make("T2002", expr.position, token: op, value: rhs) }
            guard case .number(let l)? = lhs, case .number(let r)? = rhs else { return nil }
            switch op {
            case "+": return .number(l + r)
            case "-": return .number(l - r)
            case "*": return .number(l * r)
            case "/": return .number(l / r)
            default: return .number(fmod(l, r))
            }
        case "=", "!=":
            guard let lhs, let rhs else { return .bool(false) }
            let equal = Self.deepEqual(lhs, rhs)
            return .bool(op == "=" ? equal : !equal)
        case "<", "<=", ">", ">=":
            func comparable(_ v: JValue?) -> Bool {
                switch v { case nil, .string?, .number?: return true; default: return false }
            }
            guard comparable(lhs), comparable(rhs) else {
                throw JSONataError.make("T2010", expr.position, token: op, value: comparable(lhs) ? rhs : lhs)
            }
            guard let lhs, let rhs else { return nil }
            switch (lhs, rhs) {
            case (.number(let l), .number(let r)):
                switch op {
                case "<": return .bool(l < r)
                case "<=": return .bool(l <= r)
                case ">": return .bool(l > r)
                default: return .bool(l >= r)
                }
            case (.string(let l), .string(let r)):
                let less = Self.jsLess(l, r), equal = l == r
                switch op {
                case "<": return .bool(less)
                case "<=": return .bool(less || equal)
                case ">": return .bool(!less && !equal)
                default: return .bool(!less)
                }
            default:
                throw JSONataError.make("T2009", expr.position, token: op, value: lhs, value2: rhs)
            }
        case "&":
            do {
                let l = try lhs.map { try Self.string($0) } ?? ""
                let r = try rhs.map { try Self.string($0) } ?? ""
                return .string(l + r)
            } catch let fault as JSONataFault {
                throw fault.error(position: expr.position, token: op)
            }
        case "..":
            if let lhs, !Self.isInteger(lhs) { throw JSONataError.make("T2003", expr.position, value: lhs) }
            if let rhs, !Self.isInteger(rhs) { throw JSONataError.make("T2004", expr.position, value: rhs) }
            guard case .number(let l)? = lhs, case .number(let r)? = rhs else { return nil }
            if l > r { return nil }
            let size = r - l + 1
            if size > 1e7 { throw JSONataError.make("D2014", expr.position, value: .number(size)) }
            let from = Int(l), to = Int(r)
            return .plainArray((from...to).map { .number(Double($0)) })
        case "in":
            guard let lhs, let rhs else { return .bool(false) }
            for item in rhs.asItems where Self.strictEqual(lhs, item) { return .bool(true) }
            return .bool(false)
        default:
            throw JSONataError.make("S0204", expr.position, token: op)
        }
    }

    static func isNumber(_ value: JValue, _ position: Int) throws -> Bool {
        guard case .number(let n) = value else { return false }
        if n.isNaN { return false }
        if !n.isFinite { throw JSONataError.make("D1001", position, value: value) }
        return true
    }

    static func isInteger(_ value: JValue) -> Bool {
        if case .number(let n) = value { return n.isFinite && n.rounded(.towardZero) == n }
        return false
    }

    /// `===` in JavaScript: primitives by value, containers by identity (never equal here).
    static func strictEqual(_ a: JValue, _ b: JValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.number(let x), .number(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        default: return false
        }
    }

    static func deepEqual(_ a: JValue, _ b: JValue) -> Bool {
        switch (a, b) {
        case (.array(let x), .array(let y)):
            guard x.items.count == y.items.count else { return false }
            for i in x.items.indices where !deepEqual(x.items[i], y.items[i]) { return false }
            return true
        case (.object(let x), .object(let y)):
            guard x.count == y.count else { return false }
            for i in x.keys.indices {
                guard let other = y[x.keys[i]], deepEqual(x.values[i], other) else { return false }
            }
            return true
        case (.function(let x), .function(let y)): return x === y
        default: return strictEqual(a, b)
        }
    }

    /// JSONata's truthiness; nil for `undefined`.
    static func boolean(_ value: JValue?) -> Bool? {
        guard let value else { return nil }
        switch value {
        case .null: return false
        case .bool(let b): return b
        case .number(let n): return n != 0 && !n.isNaN
        case .string(let s): return !s.isEmpty
        case .object(let o): return o.count > 0
        case .function: return false
        case .array(let a):
            if a.items.isEmpty { return false }
            if a.items.count == 1 { return boolean(a.items[0]) }
            return a.items.contains { boolean($0) == true }
        }
    }

    /// `$append`: concatenates, wrapping single values; undefined on one side gives the other.
    static func append(_ a: JValue?, _ b: JValue?) -> JValue? {
        guard let a else { return b }
        guard let b else { return a }
        var items = a.asItems
        items.append(contentsOf: b.asItems)
        return .plainArray(items)
    }

    /// `$string` of a value: strings unchanged, everything else as JSON with numbers
    /// to 15 significant digits; functions are empty strings.
    static func string(_ value: JValue, prettify: Bool = false) throws -> String {
        switch value {
        case .string(let s): return s
        case .function: return ""
        case .number(let n):
            if !n.isFinite { throw JSONataFault("D3001", value: value) }
            return JSONataFormat.number15(n)
        default:
            if containsNonFinite(value) { throw JSONataFault("D3001", value: value) }
            return JSONataFormat.json(value, indent: prettify, precision15: true)
        }
    }

    private static func containsNonFinite(_ value: JValue) -> Bool {
        switch value {
        case .number(let n): return !n.isFinite
        case .array(let a): return a.items.contains(where: containsNonFinite)
        case .object(let o): return o.values.contains(where: containsNonFinite)
        default: return false
        }
    }
}
