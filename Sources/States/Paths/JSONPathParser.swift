import JSON

/// A path that is not valid JSONPath; `message` names the problem and where it is.
public struct PathSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Hand-written scanner/parser for Step Functions' JSONPath dialect. Bounded in every
/// direction so hostile definitions fail with a message instead of exhausting the stack.
struct JSONPathParser {
    static let maxSegments = 1024
    static let maxFilterDepth = 64

    let text: String
    let s: [Unicode.Scalar]
    var i = 0
    var segmentCount = 0

    init(_ text: String) {
        self.text = text
        self.s = Array(text.unicodeScalars)
    }

    // MARK: - Errors and cursor

    func fail(_ reason: String, at position: Int? = nil) -> PathSyntaxError {
        PathSyntaxError("Invalid JSONPath '\(text)': \(reason) at position \(position ?? i)")
    }

    var atEnd: Bool { i >= s.count }
    var current: Unicode.Scalar? { i < s.count ? s[i] : nil }
    func peek(_ offset: Int = 0) -> Unicode.Scalar? { i + offset < s.count ? s[i + offset] : nil }

    mutating func skipWhitespace() {
        while let c = current, c == " " || c == "\t" || c == "\n" || c == "\r" { i += 1 }
    }

    mutating func expect(_ c: Unicode.Scalar, _ what: String) throws {
        skipWhitespace()
        guard current == c else { throw fail("expected \(what)") }
        i += 1
    }

    func describe(_ c: Unicode.Scalar?) -> String {
        guard let c else { return "end of path" }
        return "'\(Character(c))'"
    }

    // MARK: - Whole path

    mutating func parsePath() throws -> (JSONPath.Root, [PathSegment]) {
        guard !s.isEmpty else { throw PathSyntaxError("Invalid JSONPath '': a path must start with '$'") }
        guard s[0] == "$" else { throw fail("a path must start with '$'", at: 0) }
        i = 1
        let root: JSONPath.Root
        if current == "$" {
            i += 1
            root = .context
        } else if let c = current, isIdentifierStart(c) {
            let start = i
            while let c = current, isIdentifierPart(c) { i += 1 }
            root = .variable(String(String.UnicodeScalarView(s[start..<i])))
        } else {
            root = .input
        }
        let segments = try parseSegments(inFilter: false)
        if !atEnd { throw fail("unexpected \(describe(current))") }
        return (root, segments)
    }

    // MARK: - Segments

    mutating func parseSegments(inFilter: Bool) throws -> [PathSegment] {
        var segments: [PathSegment] = []
        while let c = current {
            let segment: PathSegment
            if c == "." {
                if peek(1) == "." {
                    i += 2
                    segment = .descendant(try parseAfterDot(descendant: true, inFilter: inFilter))
                } else {
                    i += 1
                    segment = try parseAfterDot(descendant: false, inFilter: inFilter)
                }
            } else if c == "[" {
                segment = try parseBracket()
            } else {
                break
            }
            segmentCount += 1
            if segmentCount > JSONPathParser.maxSegments {
                throw fail("path has more than \(JSONPathParser.maxSegments) segments")
            }
            segments.append(segment)
        }
        return segments
    }

    /// After `.` or `..`: a name, `*`, or (as in `$.abc.['def ghi']`) a bracket.
    mutating func parseAfterDot(descendant: Bool, inFilter: Bool) throws -> PathSegment {
        if current == "[" { return try parseBracket() }
        if current == "*" {
            i += 1
            return .wildcard
        }
        let start = i
        while let c = current, !isNameTerminator(c, inFilter: inFilter) { i += 1 }
        guard i > start else {
            throw fail("expected a field name after '\(descendant ? ".." : ".")' but found \(describe(current))")
        }
        return .member(String(String.UnicodeScalarView(s[start..<i])))
    }

    func isNameTerminator(_ c: Unicode.Scalar, inFilter: Bool) -> Bool {
        switch c {
        case ".", "[", "]", "(", ")", " ", "\t", "\n", "\r", "'", "\"": return true
        case "=", "!", "<", ">", "&", "|", ",": return inFilter
        default: return false
        }
    }

    mutating func parseBracket() throws -> PathSegment {
        let open = i
        i += 1  // [
        skipWhitespace()
        guard let c = current else { throw fail("unclosed '['", at: open) }
        let segment: PathSegment
        switch c {
        case "*":
            i += 1
            segment = .wildcard
        case "?":
            i += 1
            skipWhitespace()
            guard current == "(" else { throw fail("expected '(' after '?'") }
            i += 1
            let expression = try parseOr(depth: 1)
            try expect(")", "')' to close the filter")
            segment = .filter(expression)
        case "'", "\"":
            var names = [try parseQuotedString()]
            skipWhitespace()
            while current == "," {
                i += 1
                skipWhitespace()
                guard let q = current, q == "'" || q == "\"" else { throw fail("expected a quoted name after ','") }
                names.append(try parseQuotedString())
                skipWhitespace()
            }
            segment = names.count == 1 ? .member(names[0]) : .members(names)
        case "-", ":", "0"..."9":
            segment = try parseIndexOrSlice()
        default:
            throw fail("unexpected \(describe(c)) in brackets")
        }
        skipWhitespace()
        guard current == "]" else {
            if atEnd { throw fail("unclosed '['", at: open) }
            throw fail("expected ']' but found \(describe(current))")
        }
        i += 1
        return segment
    }

    mutating func parseIndexOrSlice() throws -> PathSegment {
        let first = try parseOptionalInteger()
        skipWhitespace()
        if current == ":" {
            i += 1
            skipWhitespace()
            let end = try parseOptionalInteger()
            skipWhitespace()
            var step: Int?
            if current == ":" {
                i += 1
                skipWhitespace()
                step = try parseOptionalInteger()
                if step == 0 { throw fail("slice step cannot be zero") }
            }
            return .slice(start: first, end: end, step: step)
        }
        guard let first else { throw fail("expected an index") }
        var indices = [first]
        while current == "," {
            i += 1
            skipWhitespace()
            guard let next = try parseOptionalInteger() else { throw fail("expected an index after ','") }
            indices.append(next)
            skipWhitespace()
        }
        return indices.count == 1 ? .index(first) : .indices(indices)
    }

    mutating func parseOptionalInteger() throws -> Int? {
        let start = i
        if current == "-" { i += 1 }
        let digitsStart = i
        while let c = current, ("0"..."9").contains(c) { i += 1 }
        if i == digitsStart {
            if i > start { throw fail("expected digits after '-'") }
            return nil
        }
        guard let value = Int(String(String.UnicodeScalarView(s[start..<i]))) else {
            throw fail("index out of range", at: start)
        }
        return value
    }

    /// A single- or double-quoted name with JSON-style escapes (plus `\'`).
    mutating func parseQuotedString() throws -> String {
        let quote = s[i]
        let open = i
        i += 1
        var out = String.UnicodeScalarView()
        while let c = current {
            i += 1
            if c == quote { return String(out) }
            if c != "\\" {
                out.append(c)
                continue
            }
            guard let e = current else { break }
            i += 1
            switch e {
            case "'", "\"", "\\", "/": out.append(e)
            case "n": out.append("\n")
            case "t": out.append("\t")
            case "r": out.append("\r")
            case "b": out.append("\u{08}")
            case "f": out.append("\u{0C}")
            case "u":
                guard i + 4 <= s.count, let code = UInt32(String(String.UnicodeScalarView(s[i..<(i + 4)])), radix: 16),
                      let scalar = Unicode.Scalar(code)
                else { throw fail("invalid \\u escape", at: i - 2) }
                i += 4
                out.append(scalar)
            default:
                throw fail("invalid escape '\\\(Character(e))'", at: i - 2)
            }
        }
        throw fail("unterminated string", at: open)
    }

    // MARK: - Filter expressions

    mutating func parseOr(depth: Int) throws -> FilterExpression {
        var lhs = try parseAnd(depth: depth)
        while true {
            skipWhitespace()
            guard current == "|", peek(1) == "|" else { return lhs }
            i += 2
            lhs = .or(lhs, try parseAnd(depth: depth))
        }
    }

    mutating func parseAnd(depth: Int) throws -> FilterExpression {
        var lhs = try parseUnary(depth: depth)
        while true {
            skipWhitespace()
            guard current == "&", peek(1) == "&" else { return lhs }
            i += 2
            lhs = .and(lhs, try parseUnary(depth: depth))
        }
    }

    mutating func parseUnary(depth: Int) throws -> FilterExpression {
        guard depth <= JSONPathParser.maxFilterDepth else {
            throw fail("filter nested more than \(JSONPathParser.maxFilterDepth) levels deep")
        }
        skipWhitespace()
        if current == "!", peek(1) != "=" {
            i += 1
            return .not(try parseUnary(depth: depth + 1))
        }
        if current == "(" {
            i += 1
            let inner = try parseOr(depth: depth + 1)
            try expect(")", "')'")
            return inner
        }
        let lhs = try parseOperand()
        skipWhitespace()
        guard let op = try parseComparisonOperator() else { return .exists(lhs) }
        let rhs = try parseOperand()
        return .compare(lhs, op, rhs)
    }

    mutating func parseComparisonOperator() throws -> ComparisonOperator? {
        guard let c = current else { return nil }
        let next = peek(1)
        switch (c, next) {
        case ("=", "="): i += 2; return .equal
        case ("!", "="): i += 2; return .notEqual
        case ("<", "="): i += 2; return .lessOrEqual
        case (">", "="): i += 2; return .greaterOrEqual
        case ("<", _): i += 1; return .less
        case (">", _): i += 1; return .greater
        case ("=", "~"): throw fail("regular expression filters (=~) are not supported")
        case ("=", _): throw fail("use '==' to compare")
        default:
            if isIdentifierStart(c) {
                let start = i
                while let c = current, isIdentifierPart(c) { i += 1 }
                let word = String(String.UnicodeScalarView(s[start..<i]))
                throw fail("unsupported filter operator '\(word)'", at: start)
            }
            return nil
        }
    }

    mutating func parseOperand() throws -> FilterOperand {
        skipWhitespace()
        guard let c = current else { throw fail("expected a value in the filter") }
        switch c {
        case "@":
            i += 1
            return .current(try parseSegments(inFilter: true))
        case "$":
            if let next = peek(1), next == "$" || isIdentifierStart(next) {
                throw fail("only '@' and '$' paths can be used inside a filter")
            }
            i += 1
            return .root(try parseSegments(inFilter: true))
        case "'", "\"":
            return .literal(.string(try parseQuotedString()))
        case "-", "0"..."9":
            return .literal(.number(try parseNumberLiteral()))
        default:
            if isIdentifierStart(c) {
                let start = i
                while let c = current, isIdentifierPart(c) { i += 1 }
                switch String(String.UnicodeScalarView(s[start..<i])) {
                case "true": return .literal(.bool(true))
                case "false": return .literal(.bool(false))
                case "null": return .literal(.null)
                case let word: throw fail("unexpected '\(word)' in the filter", at: start)
                }
            }
            throw fail("unexpected \(describe(c)) in the filter")
        }
    }

    /// JSON number grammar; the spelling is kept.
    mutating func parseNumberLiteral() throws -> String {
        let start = i
        if current == "-" { i += 1 }
        while let c = current, ("0"..."9").contains(c) || c == "." || c == "e" || c == "E" || c == "+" || c == "-" {
            i += 1
        }
        let spelling = String(String.UnicodeScalarView(s[start..<i]))
        guard ExactDecimal(spelling) != nil else { throw fail("invalid number '\(spelling)'", at: start) }
        return spelling
    }
}

extension JSONPathParser {
    static func isIdentifierStart(_ c: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(c) || ("A"..."Z").contains(c) || c == "_"
    }

    static func isIdentifierPart(_ c: Unicode.Scalar) -> Bool {
        isIdentifierStart(c) || ("0"..."9").contains(c)
    }

    func isIdentifierStart(_ c: Unicode.Scalar) -> Bool { Self.isIdentifierStart(c) }
    func isIdentifierPart(_ c: Unicode.Scalar) -> Bool { Self.isIdentifierPart(c) }
}
