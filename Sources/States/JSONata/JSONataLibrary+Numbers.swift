import Foundation

/// Numeric functions, aggregation and the boolean functions.
extension JSONataLibrary {
    static let numbers: [JSONataBuiltin] = [
        JSONataBuiltin("number", "<(nsb)-:n>") { _, args in
            guard let value = args[0] else { return nil }
            switch value {
            case .number: return value
            case .bool(let b): return .number(b ? 1 : 0)
            case .string(let s):
                if let n = parseNumber(s) { return .number(n) }
                throw JSONataFault("D3030", value: value)
            default: throw JSONataFault("D3030", value: value)
            }
        },
        JSONataBuiltin("abs", "<n-:n>") { _, args in number(args[0]).map { .number(abs($0)) } },
        JSONataBuiltin("floor", "<n-:n>") { _, args in number(args[0]).map { .number(($0).rounded(.down)) } },
        JSONataBuiltin("ceil", "<n-:n>") { _, args in number(args[0]).map { .number(($0).rounded(.up)) } },
        JSONataBuiltin("round", "<n-n?:n>") { _, args in
            guard let n = number(args[0]) else { return nil }
            let precision = args.count > 1 ? number(args[1]).map { Int($0.rounded(.towardZero)) } ?? 0 : 0
            return .number(round(n, precision: precision))
        },
        JSONataBuiltin("power", "<n-n:n>") { _, args in
            guard let base = number(args[0]), let exponent = number(args[1]) else { return nil }
            let result = pow(base, exponent)
            if !result.isFinite { throw JSONataFault("D3061", value: args[0], exp: args[1]) }
            return .number(result)
        },
        JSONataBuiltin("sqrt", "<n-:n>") { _, args in
            guard let n = number(args[0]) else { return nil }
            if n < 0 { throw JSONataFault("D3060", value: args[0]) }
            return .number(n.squareRoot())
        },
        JSONataBuiltin("random", "<:n>") { _, _ in .number(Double.random(in: 0..<1)) },
        JSONataBuiltin("formatBase", "<n-n?:s>") { _, args in
            guard let n = number(args[0]) else { return nil }
            let value = round(n, precision: 0)
            let radix = args.count > 1 ? number(args[1]).map { Int($0) } ?? 10 : 10
            if radix < 2 || radix > 36 { throw JSONataFault("D3100", value: args[1]) }
            guard abs(value) < 9.2e18 else { return .string(JSONataFormat.number(value)) }
            return .string(String(Int64(value), radix: radix))
        },
    ]

    static let aggregates: [JSONataBuiltin] = [
        JSONataBuiltin("sum", "<a<n>:n>") { _, args in
            guard let items = items(args[0]) else { return nil }
            return .number(items.reduce(0) { $0 + ($1.numberValue ?? 0) })
        },
        JSONataBuiltin("max", "<a<n>:n>") { _, args in
            guard let items = items(args[0]), !items.isEmpty else { return nil }
            return .number(items.compactMap(\.numberValue).max() ?? -.infinity)
        },
        JSONataBuiltin("min", "<a<n>:n>") { _, args in
            guard let items = items(args[0]), !items.isEmpty else { return nil }
            return .number(items.compactMap(\.numberValue).min() ?? .infinity)
        },
        JSONataBuiltin("average", "<a<n>:n>") { _, args in
            guard let items = items(args[0]), !items.isEmpty else { return nil }
            return .number(items.reduce(0) { $0 + ($1.numberValue ?? 0) } / Double(items.count))
        },
    ]

    static let booleans: [JSONataBuiltin] = [
        JSONataBuiltin("boolean", "<x-:b>") { _, args in JSONataEvaluator.boolean(args[0]).map(JValue.bool) },
        JSONataBuiltin("not", "<x-:b>") { _, args in JSONataEvaluator.boolean(args[0]).map { .bool(!$0) } },
        JSONataBuiltin("exists", "<x:b>") { _, args in .bool(args[0] != nil) },
    ]

    /// `$number` on a string: JSON number syntax, or 0x/0o/0b integers.
    static func parseNumber(_ s: String) -> Double? {
        let bytes = Array(s.utf8)
        let firstDigit = bytes.first == UInt8(ascii: "-") ? 1 : 0
        guard bytes.count > firstDigit, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[firstDigit]) else { return nil }
        if bytes.count > 2, bytes[0] == UInt8(ascii: "0") {
            let radix: Int? = switch bytes[1] {
            case UInt8(ascii: "x"), UInt8(ascii: "X"): 16
            case UInt8(ascii: "o"), UInt8(ascii: "O"): 8
            case UInt8(ascii: "b"), UInt8(ascii: "B"): 2
            default: nil
            }
            if let radix {
                return UInt64(String(decoding: bytes[2...], as: UTF8.self), radix: radix).map { Double($0) }
            }
        }
        var lexer = JSONataLexer(s.hasPrefix("-") ? String(s.dropFirst()) : s)
        guard let token = try? lexer.next(regexAllowed: false), token.kind == .number,
              token.position == s.unicodeScalars.count - (s.hasPrefix("-") ? 1 : 0), token.number.isFinite else { return nil }
        return s.hasPrefix("-") ? -token.number : token.number
    }

    /// `$round`: half to even, at `precision` decimal places (negative rounds to tens, hundreds…),
    /// shifting the decimal point in the number's text as jsonata-js does to avoid binary drift.
    static func round(_ value: Double, precision: Int) -> Double {
        func shift(_ x: Double, _ places: Int) -> Double {
            let text = JSONataFormat.number(x)
            let parts = text.split(separator: "e", maxSplits: 1)
            let exponent = (parts.count > 1 ? Int(parts[1]) ?? 0 : 0) + places
            return Double("\(parts[0])e\(exponent)") ?? x
        }
        var arg = value
        if precision != 0 { arg = shift(arg, precision) }
        var result = (arg + 0.5).rounded(.down)   // Math.round
        let diff = result - arg
        if abs(diff) == 0.5, abs(result.truncatingRemainder(dividingBy: 2)) == 1 { result -= 1 }
        if precision != 0 { result = shift(result, -precision) }
        return result == 0 ? 0 : result
    }
}
