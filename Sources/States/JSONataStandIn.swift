import Foundation
import JSON

// A temporary stand-in for the JSONata engine being written in Sources/States/JSONata/:
// the same public API, supporting only literals, `$name.field…` paths, calls of the
// supplied functions, comparisons, `+ - &` and object/array constructors. It is deleted
// in the commit that first builds against the real engine.

public struct JSONataError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: String
    public var position: Int
    public var token: String?
    public var message: String
    public init(code: String, position: Int, token: String? = nil, message: String) {
        self.code = code
        self.position = position
        self.token = token
        self.message = message
    }
    public var description: String { "\(code): \(message)" }
}

public struct JSONataFunction: Sendable {
    let body: @Sendable (_ arguments: [JSONValue?]) throws -> JSONValue?
    public init(_ body: @escaping @Sendable (_ arguments: [JSONValue?]) throws -> JSONValue?) { self.body = body }
}

public struct JSONataExpression: Sendable {
    indirect enum Node: Sendable {
        case literal(JSONValue)
        case path(root: String?, fields: [String])
        case call(String, [Node])
        case binary(String, Node, Node)
        case object([(Node, Node)])
        case array([Node])
    }

    let root: Node

    public init(_ source: String) throws {
        var parser = StandInParser(Array(source.unicodeScalars))
        root = try parser.expression()
        parser.skipSpace()
        if parser.i < parser.s.count {
            throw JSONataError(code: "S0201", position: parser.i, token: String(parser.s[parser.i]), message: "Syntax error: \"\(parser.s[parser.i])\"")
        }
    }

    public func evaluate(_ input: JSONValue?, bindings: [String: JSONValue] = [:],
                         functions: [String: JSONataFunction] = [:]) throws -> JSONValue? {
        try Self.eval(root, input, bindings, functions)
    }

    static func eval(_ node: Node, _ input: JSONValue?, _ bindings: [String: JSONValue],
                     _ functions: [String: JSONataFunction]) throws -> JSONValue? {
        switch node {
        case .literal(let v): return v
        case .path(let root, let fields):
            var value: JSONValue? = root.map { $0.isEmpty ? input : bindings[$0] } ?? input
            for f in fields { value = value?[f] }
            return value
        case .call(let name, let args):
            guard let f = functions[name] else {
                throw JSONataError(code: "T1006", position: 0, message: "Attempted to invoke a non-function")
            }
            return try f.body(args.map { try eval($0, input, bindings, functions) })
        case .binary(let op, let l, let r):
            let a = try eval(l, input, bindings, functions), b = try eval(r, input, bindings, functions)
            if op == "&" {
                func text(_ v: JSONValue?) -> String { if case .string(let s)? = v { return s }; return v?.jsonString ?? "" }
                return .string(text(a) + text(b))
            }
            if op == "=" { return .bool(a == b) }
            if op == "!=" { return .bool(a != b) }
            guard case .number(let x)? = a, case .number(let y)? = b, let p = Double(x), let q = Double(y) else {
                if a == nil || b == nil { return nil }
                throw JSONataError(code: "T2001", position: 0, message: "The left side of the \"\(op)\" operator must evaluate to a number")
            }
            switch op {
            case "+": return number(p + q)
            case "-": return number(p - q)
            case "*": return number(p * q)
            case ">": return .bool(p > q)
            case "<": return .bool(p < q)
            case ">=": return .bool(p >= q)
            default: return .bool(p <= q)
            }
        case .object(let pairs):
            var o = JSONObject()
            for (k, v) in pairs {
                guard case .string(let key)? = try eval(k, input, bindings, functions) else { continue }
                if let value = try eval(v, input, bindings, functions) { o[key] = value }
            }
            return .object(o)
        case .array(let items):
            return .array(try items.compactMap { try eval($0, input, bindings, functions) })
        }
    }

    static func number(_ d: Double) -> JSONValue {
        if d == d.rounded(), abs(d) < 1e15 { return .number(String(Int64(d))) }
        return .number(String(d))
    }
}

private struct StandInParser {
    let s: [Unicode.Scalar]
    var i = 0
    init(_ s: [Unicode.Scalar]) { self.s = s }

    mutating func skipSpace() { while i < s.count, s[i].properties.isWhitespace { i += 1 } }
    func fail() -> JSONataError {
        JSONataError(code: "S0201", position: i, token: i < s.count ? String(s[i]) : nil, message: "Syntax error")
    }
    mutating func eat(_ text: String) -> Bool {
        skipSpace()
        let t = Array(text.unicodeScalars)
        guard i + t.count <= s.count, Array(s[i..<i + t.count]) == t else { return false }
        i += t.count
        return true
    }

    mutating func expression() throws -> JSONataExpression.Node {
        let left = try additive()
        for op in [">=", "<=", "!=", "=", ">", "<"] where eat(op) {
            return .binary(op, left, try additive())
        }
        return left
    }

    mutating func additive() throws -> JSONataExpression.Node {
        var left = try primary()
        while true {
            if eat("+") { left = .binary("+", left, try primary()) }
            else if eat("-") { left = .binary("-", left, try primary()) }
            else if eat("*") { left = .binary("*", left, try primary()) }
            else if eat("&") { left = .binary("&", left, try primary()) }
            else { return left }
        }
    }

    mutating func name() -> String {
        let start = i
        while i < s.count, s[i].properties.isAlphabetic || s[i].properties.numericType != nil || s[i] == "_" { i += 1 }
        return String(String.UnicodeScalarView(s[start..<i]))
    }

    mutating func primary() throws -> JSONataExpression.Node {
        skipSpace()
        guard i < s.count else { throw fail() }
        let c = s[i]
        if eat("(") { let e = try expression(); guard eat(")") else { throw fail() }; return e }
        if eat("[") {
            var items: [JSONataExpression.Node] = []
            if eat("]") { return .array(items) }
            repeat { items.append(try expression()) } while eat(",")
            guard eat("]") else { throw fail() }
            return .array(items)
        }
        if eat("{") {
            var pairs: [(JSONataExpression.Node, JSONataExpression.Node)] = []
            if eat("}") { return .object(pairs) }
            repeat {
                let k = try expression()
                guard eat(":") else { throw fail() }
                pairs.append((k, try expression()))
            } while eat(",")
            guard eat("}") else { throw fail() }
            return .object(pairs)
        }
        if c == "\"" || c == "'" {
            i += 1
            let start = i
            while i < s.count, s[i] != c { i += 1 }
            guard i < s.count else { throw fail() }
            let text = String(String.UnicodeScalarView(s[start..<i]))
            i += 1
            return .literal(.string(text))
        }
        if c.properties.numericType != nil || c == "-" {
            let start = i
            i += 1
            while i < s.count, s[i].properties.numericType != nil || s[i] == "." { i += 1 }
            return .literal(.number(String(String.UnicodeScalarView(s[start..<i]))))
        }
        var root: String?
        var fields: [String] = []
        if c == "$" {
            i += 1
            let n = name()
            if i < s.count, s[i] == "(" {
                i += 1
                var args: [JSONataExpression.Node] = []
                if !eat(")") {
                    repeat { args.append(try expression()) } while eat(",")
                    guard eat(")") else { throw fail() }
                }
                return .call(n, args)
            }
            root = n
        } else {
            let n = name()
            guard !n.isEmpty else { throw fail() }
            switch n {
            case "true": return .literal(true)
            case "false": return .literal(false)
            case "null": return .literal(.null)
            default: fields.append(n)
            }
        }
        while i < s.count, s[i] == "." {
            i += 1
            let n = name()
            guard !n.isEmpty else { throw fail() }
            fields.append(n)
        }
        return .path(root: root, fields: fields)
    }
}
