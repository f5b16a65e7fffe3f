import Foundation

/// One token of a JSONata expression. `position` is the offset just past the
/// token, in Unicode scalars, which is where JSONata reports errors.
struct JSONataToken {
    enum Kind: Equatable { case op, name, variable, string, number, value, regex, end }
    var kind: Kind
    var text: String            // operator spelling, name, variable name (without `$`), string content
    var number: Double = 0
    var literal: JValue? = nil  // true / false / null
    var regex: JSONataRegex? = nil
    var position: Int
}

/// Splits an expression into tokens on demand; whether `/` starts a regular
/// expression depends on where the parser is, so the parser says.
struct JSONataLexer {
    private let chars: [Unicode.Scalar]
    private(set) var position = 0

    init(_ source: String) { chars = Array(source.unicodeScalars) }

    static let singleOperators: Set<Unicode.Scalar> = [
        ".", "[", "]", "{", "}", "(", ")", ",", "@", "#", ";", ":", "?", "+", "-", "*", "/", "%", "|", "=", "<",
        ">", "^", "&", "!", "~",
    ]
    static let doubleOperators: Set<String> = ["..", ":=", "!=", ">=", "<=", "**", "~>", "?:", "??"]

    private func at(_ i: Int) -> Unicode.Scalar? { i < chars.count ? chars[i] : nil }

    mutating func next(regexAllowed: Bool) throws -> JSONataToken {
        // whitespace and comments
        while let c = at(position) {
            if c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\u{0B}" { position += 1; continue }
            if c == "/", at(position + 1) == "*" {
                let start = position
                position += 2
                while true {
                    guard let d = at(position) else {
                        throw JSONataError.make("S0106", start)
                    }
                    if d == "*", at(position + 1) == "/" { position += 2; break }
                    position += 1
                }
                continue
            }
            break
        }
        guard let c = at(position) else { return JSONataToken(kind: .end, text: "(end)", position: position) }
        if regexAllowed, c == "/" {
            position += 1
            return try scanRegex()
        }
        if let d = at(position + 1) {
            let pair = String(c) + String(d)
            if Self.doubleOperators.contains(pair) {
                position += 2
                return JSONataToken(kind: .op, text: pair, position: position)
            }
        }
        if Self.singleOperators.contains(c) {
            position += 1
            return JSONataToken(kind: .op, text: String(c), position: position)
        }
        if c == "\"" || c == "'" { return try scanString(quote: c) }
        if ("0"..."9").contains(c) {
            if let token = scanNumber() { return token }
        }
        if c == "`" {
            position += 1
            let start = position
            while let d = at(position), d != "`" { position += 1 }
            guard at(position) == "`" else { throw JSONataError.make("S0105", chars.count) }
            let name = String(String.UnicodeScalarView(chars[start..<position]))
            position += 1
            return JSONataToken(kind: .name, text: name, position: position)
        }
        // a name or a variable runs up to whitespace or an operator character
        let start = position
        var i = position
        while let d = at(i), !(d == " " || d == "\t" || d == "\n" || d == "\r" || d == "\u{0B}"),
              !Self.singleOperators.contains(d) {
            i += 1
        }
        position = i
        if c == "$" {
            let name = String(String.UnicodeScalarView(chars[(start + 1)..<i]))
            return JSONataToken(kind: .variable, text: name, position: position)
        }
        let name = String(String.UnicodeScalarView(chars[start..<i]))
        switch name {
        case "and", "or", "in": return JSONataToken(kind: .op, text: name, position: position)
        case "true": return JSONataToken(kind: .value, text: name, literal: .bool(true), position: position)
        case "false": return JSONataToken(kind: .value, text: name, literal: .bool(false), position: position)
        case "null": return JSONataToken(kind: .value, text: name, literal: .null, position: position)
        default: return JSONataToken(kind: .name, text: name, position: position)
        }
    }

    private mutating func scanNumber() -> JSONataToken? {
        // -?(0|[1-9][0-9]*)(\.[0-9]+)?([Ee][-+]?[0-9]+)?  (the sign is always lexed as an operator)
        func isDigit(_ s: Unicode.Scalar?) -> Bool { s.map { ("0"..."9").contains($0) } ?? false }
        var i = position
        guard isDigit(at(i)) else { return nil }
        if at(i) == "0" { i += 1 } else { while isDigit(at(i)) { i += 1 } }
        if at(i) == ".", isDigit(at(i + 1)) {
            i += 1
            while isDigit(at(i)) { i += 1 }
        }
        if at(i) == "e" || at(i) == "E" {
            var j = i + 1
            if at(j) == "+" || at(j) == "-" { j += 1 }
            if isDigit(at(j)) {
                while isDigit(at(j)) { j += 1 }
                i = j
            }
        }
        let text = String(String.UnicodeScalarView(chars[position..<i]))
        position = i
        let value = Double(text) ?? .infinity
        return JSONataToken(kind: .number, text: text, number: value, position: position)
    }

    private mutating func scanString(quote: Unicode.Scalar) throws -> JSONataToken {
        position += 1
        var out = String.UnicodeScalarView()
        while let c = at(position) {
            if c == "\\" {
                position += 1
                guard let e = at(position) else { break }
                switch e {
                case "\"": out.append("\"")
                case "\\": out.append("\\")
                case "/": out.append("/")
                case "b": out.append("\u{08}")
                case "f": out.append("\u{0C}")
                case "n": out.append("\n")
                case "r": out.append("\r")
                case "t": out.append("\t")
                case "u":
                    guard let unit = hex4(at: position + 1) else { throw JSONataError.make("S0104", position) }
                    position += 4
                    var code = unit
                    if (0xD800..<0xDC00).contains(unit), at(position + 1) == "\\", at(position + 2) == "u",
                       let low = hex4(at: position + 3), (0xDC00..<0xE000).contains(low) {
                        code = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                        position += 6
                    }
                    out.append(Unicode.Scalar(code) ?? "\u{FFFD}")
                default: throw JSONataError.make("S0103", position, token: String(e))
                }
            } else if c == quote {
                position += 1
                return JSONataToken(kind: .string, text: String(out), position: position)
            } else {
                out.append(c)
            }
            position += 1
        }
        throw JSONataError.make("S0101", position)
    }

    private func hex4(at i: Int) -> UInt32? {
        guard i + 4 <= chars.count else { return nil }
        var v: UInt32 = 0
        for k in 0..<4 {
            guard let d = Int(String(chars[i + k]), radix: 16) else { return nil }
            v = v * 16 + UInt32(d)
        }
        return v
    }

    private mutating func scanRegex() throws -> JSONataToken {
        let start = position
        var depth = 0
        while let c = at(position) {
            if c == "/", depth == 0 {
                var backslashes = 0
                while position - backslashes - 1 >= start, chars[position - backslashes - 1] == "\\" { backslashes += 1 }
                if backslashes % 2 == 0 {
                    let pattern = String(String.UnicodeScalarView(chars[start..<position]))
                    if pattern.isEmpty { throw JSONataError.make("S0301", position) }
                    position += 1
                    var flags = ""
                    while let f = at(position), f == "i" || f == "m" { flags.unicodeScalars.append(f); position += 1 }
                    let regex = try JSONataRegex(pattern: pattern, flags: flags, position: position)
                    return JSONataToken(kind: .regex, text: pattern, regex: regex, position: position)
                }
            }
            let escaped = position > 0 && chars[position - 1] == "\\"
            if (c == "(" || c == "[" || c == "{") && !escaped { depth += 1 }
            if (c == ")" || c == "]" || c == "}") && !escaped { depth -= 1 }
            position += 1
        }
        throw JSONataError.make("S0302", position)
    }
}
