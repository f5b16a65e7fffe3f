import JSON

/// Recursive-descent parser for intrinsic calls. Nesting is bounded so a hostile
/// definition fails with a message instead of exhausting the stack.
struct IntrinsicParser {
    static let maxNesting = 32

    let text: String
    let s: [Unicode.Scalar]
    var i = 0

    init(_ text: String) {
        self.text = text
        self.s = Array(text.unicodeScalars)
    }

    func fail(_ reason: String, at position: Int? = nil) -> IntrinsicSyntaxError {
        IntrinsicSyntaxError("Invalid intrinsic function call '\(text)': \(reason) at position \(position ?? i)")
    }

    var current: Unicode.Scalar? { i < s.count ? s[i] : nil }

    static func isSpace(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || c == "\n" || c == "\r" }

    mutating func skipWhitespace() {
        while let c = current, Self.isSpace(c) { i += 1 }
    }

    func describe(_ c: Unicode.Scalar?) -> String {
        guard let c else { return "end of input" }
        return "'\(Character(c))'"
    }

    func string(_ range: Range<Int>) -> String { String(String.UnicodeScalarView(s[range])) }

    // MARK: - Calls

    mutating func parseDocument() throws -> IntrinsicCall {
        skipWhitespace()
        let call = try parseCall(depth: 1)
        skipWhitespace()
        guard current == nil else { throw fail("unexpected \(describe(current)) after the call") }
        return call
    }

    mutating func parseCall(depth: Int) throws -> IntrinsicCall {
        guard depth <= Self.maxNesting else { throw fail("intrinsic functions nested more than \(Self.maxNesting) deep") }
        let start = i
        let prefix = Array("States.".unicodeScalars)
        guard i + prefix.count <= s.count, Array(s[i..<(i + prefix.count)]) == prefix else {
            throw fail("expected an intrinsic function such as 'States.Format'")
        }
        i += prefix.count
        while let c = current, JSONPathParser.isIdentifierPart(c) { i += 1 }
        let name = string(start..<i)
        guard let function = IntrinsicFunction(rawValue: name) else {
            throw fail("unknown intrinsic function '\(name)'", at: start)
        }
        skipWhitespace()
        guard current == "(" else { throw fail("expected '(' after \(name)") }
        i += 1
        var arguments: [IntrinsicArgument] = []
        skipWhitespace()
        if current == ")" {
            i += 1
        } else {
            while true {
                skipWhitespace()
                arguments.append(try parseArgument(depth: depth))
                skipWhitespace()
                if current == "," { i += 1; continue }
                if current == ")" { i += 1; break }
                if current == nil { throw fail("missing ')' to close \(name)") }
                throw fail("expected ',' or ')' but found \(describe(current))")
            }
        }
        guard function.arity.contains(arguments.count) else {
            throw fail("\(name) takes \(function.arityDescription) but was given \(arguments.count)", at: start)
        }
        return IntrinsicCall(text: string(start..<i), function: function, arguments: arguments)
    }

    // MARK: - Arguments

    mutating func parseArgument(depth: Int) throws -> IntrinsicArgument {
        guard let c = current else { throw fail("expected an argument") }
        switch c {
        case "'":
            return try parseString()
        case "$":
            return .path(try parsePath())
        case "-", "0"..."9":
            return .literal(.number(try parseNumber()))
        case "\"":
            throw fail("string literals take single quotes")
        case ",", ")":
            throw fail("expected an argument but found \(describe(c))")
        default:
            guard JSONPathParser.isIdentifierStart(c) else { throw fail("unexpected \(describe(c))") }
            let start = i
            while let c = current, JSONPathParser.isIdentifierPart(c) { i += 1 }
            let word = string(start..<i)
            if word == "States", current == "." {
                i = start
                return .call(try parseCall(depth: depth + 1))
            }
            let literal: JSONValue
            switch word {
            case "true": literal = .bool(true)
            case "false": literal = .bool(false)
            case "null": literal = .null
            default: throw fail("unexpected '\(word)'; strings need single quotes", at: start)
            }
            try expectDelimiter()
            return .literal(literal)
        }
    }

    /// After a bare literal only whitespace, ',' or ')' may follow (the end of input is
    /// reported by the caller as a missing ')').
    func expectDelimiter() throws {
        guard let c = current else { return }
        guard Self.isSpace(c) || c == "," || c == ")" else {
            throw fail("unexpected \(describe(current))")
        }
    }

    /// `'…'` with the escapes `\'`, `\{`, `\}` and `\\`.
    mutating func parseString() throws -> IntrinsicArgument {
        let open = i
        i += 1
        let contentStart = i
        var value = String.UnicodeScalarView()
        while let c = current {
            if c == "'" {
                let escaped = string(contentStart..<i)
                i += 1
                return .string(String(value), escaped: escaped)
            }
            i += 1
            guard c == "\\" else {
                value.append(c)
                continue
            }
            guard let e = current else { break }
            switch e {
            case "'", "{", "}", "\\":
                value.append(e)
                i += 1
            default:
                throw fail("invalid escape '\\\(Character(e))' in a string; only \\' \\{ \\} and \\\\ are allowed", at: i - 1)
            }
        }
        throw fail("unterminated string", at: open)
    }

    /// A JSON number, spelling kept.
    mutating func parseNumber() throws -> String {
        let start = i
        while let c = current, ("0"..."9").contains(c) || c == "-" || c == "+" || c == "." || c == "e" || c == "E" { i += 1 }
        let spelling = string(start..<i)
        guard ExactDecimal(spelling) != nil else { throw fail("invalid number '\(spelling)'", at: start) }
        try expectDelimiter()
        return spelling
    }

    /// A path runs to the first ',', ')' or whitespace outside brackets and quotes.
    mutating func parsePath() throws -> JSONPath {
        let start = i
        var brackets = 0
        var quote: Unicode.Scalar?
        scan: while let c = current {
            if let q = quote {
                if c == "\\" { i += 2; continue }
                if c == q { quote = nil }
                i += 1
                continue
            }
            switch c {
            case "[": brackets += 1
            case "]": brackets -= 1
            case "'", "\"": if brackets > 0 { quote = c }
            case ",", ")": if brackets <= 0 { break scan }
            default: if brackets <= 0, Self.isSpace(c) { break scan }
            }
            i += 1
        }
        i = min(i, s.count)
        let pathText = string(start..<i)
        do {
            return try JSONPath.parse(pathText)
        } catch let error as PathSyntaxError {
            throw fail("bad path argument: \(error.message)", at: start)
        }
    }
}
