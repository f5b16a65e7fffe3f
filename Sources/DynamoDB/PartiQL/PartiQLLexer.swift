/// One PartiQL token and where it starts (a character offset into the statement).
struct PartiQLToken: Equatable, Sendable {
    enum Kind: Equatable, Sendable {
        /// A bare identifier, as written (DynamoDB keeps attribute names' case).
        case identifier(String)
        /// A "double-quoted" identifier, `""` unescaped.
        case quotedIdentifier(String)
        /// A reserved word, upper-cased.
        case keyword(String)
        /// A 'single-quoted' string, `''` unescaped.
        case string(String)
        /// A number literal as written, sign excluded.
        case number(String)
        /// `?`, the n-th parameter of the statement (from 0).
        case parameter(Int)
        /// `( ) [ ] { } , . : ; * << >>`
        case punctuation(String)
        /// `= <> != < <= > >= + - / % ||`
        case symbol(String)
        case end
    }

    var kind: Kind
    var offset: Int

    /// The keyword's text when the token is that keyword.
    func isKeyword(_ word: String) -> Bool { kind == .keyword(word) }
    func isPunctuation(_ p: String) -> Bool { kind == .punctuation(p) }
}

/// Splits a statement into tokens. Words in `keywords` are reserved (case-insensitive);
/// every other word is an identifier. Comments (`--` to the end of the line, `/* */`)
/// are skipped. Anything the lexer cannot read (`#`, a backtick, an unterminated quote
/// or comment, an exponent beyond 32 bits) is a syntax error with no detail, as AWS
/// reports it.
struct PartiQLLexer {
    /// The reserved words of the statements DynamoDB supports. PartiQL reserves all of
    /// SQL-92's words too; only the ones this grammar uses are reserved here.
    static let keywords: Set<String> = [
        "SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "BETWEEN", "IN", "IS", "LIKE", "MISSING", "NULL",
        "TRUE", "FALSE", "INSERT", "INTO", "VALUE", "VALUES", "UPDATE", "SET", "REMOVE", "DELETE",
        "RETURNING", "ORDER", "BY", "ASC", "DESC", "AS", "AT", "ALL", "DISTINCT", "LIMIT", "GROUP", "HAVING",
    ]

    /// Keywords that are operators: where a term should start, they are "Unexpected operator".
    static let operatorKeywords: Set<String> = ["AND", "OR", "IS", "IN", "LIKE", "BETWEEN"]

    private let chars: [Character]
    private var i = 0
    private(set) var parameterCount = 0

    init(_ text: String) { chars = Array(text) }

    static func tokens(_ text: String) throws -> (tokens: [PartiQLToken], parameters: Int) {
        var lexer = PartiQLLexer(text)
        var out: [PartiQLToken] = []
        while true {
            let token = try lexer.next()
            out.append(token)
            if token.kind == .end { return (out, lexer.parameterCount) }
        }
    }

    private func peek(_ ahead: Int = 0) -> Character? { i + ahead < chars.count ? chars[i + ahead] : nil }

    private static func isIdentifierStart(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c == "_" || c == "$")
    }
    private static func isIdentifierPart(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c.isNumber || c == "_" || c == "$")
    }
    private static func isDigit(_ c: Character?) -> Bool { c.map { $0.isASCII && $0.isNumber } ?? false }

    mutating func next() throws -> PartiQLToken {
        try skipSpaceAndComments()
        let start = i
        guard let c = peek() else { return PartiQLToken(kind: .end, offset: start) }
        func token(_ kind: PartiQLToken.Kind, length: Int) -> PartiQLToken {
            i += length
            return PartiQLToken(kind: kind, offset: start)
        }
        switch c {
        case "'":
            return PartiQLToken(kind: .string(try quoted("'")), offset: start)
        case "\"":
            return PartiQLToken(kind: .quotedIdentifier(try quoted("\"")), offset: start)
        case "?":
            parameterCount += 1
            return token(.parameter(parameterCount - 1), length: 1)
        case "(", ")", "[", "]", "{", "}", ",", ":", ";", "*":
            return token(.punctuation(String(c)), length: 1)
        case ".":
            if Self.isDigit(peek(1)) { return PartiQLToken(kind: .number(try number()), offset: start) }
            return token(.punctuation("."), length: 1)
        case "<":
            if peek(1) == "<" { return token(.punctuation("<<"), length: 2) }
            if peek(1) == ">" { return token(.symbol("<>"), length: 2) }
            if peek(1) == "=" { return token(.symbol("<="), length: 2) }
            return token(.symbol("<"), length: 1)
        case ">":
            if peek(1) == ">" { return token(.punctuation(">>"), length: 2) }
            if peek(1) == "=" { return token(.symbol(">="), length: 2) }
            return token(.symbol(">"), length: 1)
        case "!":
            guard peek(1) == "=" else { throw PartiQLError.malformed("") }
            return token(.symbol("!="), length: 2)
        case "|":
            guard peek(1) == "|" else { throw PartiQLError.malformed("") }
            return token(.symbol("||"), length: 2)
        case "=", "+", "-", "/", "%":
            return token(.symbol(String(c)), length: 1)
        default:
            if Self.isDigit(c) { return PartiQLToken(kind: .number(try number()), offset: start) }
            if Self.isIdentifierStart(c) {
                while let d = peek(), Self.isIdentifierPart(d) { i += 1 }
                let word = String(chars[start..<i])
                let upper = word.uppercased()
                return PartiQLToken(kind: Self.keywords.contains(upper) ? .keyword(upper) : .identifier(word), offset: start)
            }
            throw PartiQLError.malformed("")
        }
    }

    private mutating func skipSpaceAndComments() throws {
        while let c = peek() {
            if c.isWhitespace {
                i += 1
            } else if c == "-" && peek(1) == "-" {
                while let d = peek(), !d.isNewline { i += 1 }
            } else if c == "/" && peek(1) == "*" {
                i += 2
                while true {
                    guard let d = peek() else { throw PartiQLError.malformed("") }
                    if d == "*" && peek(1) == "/" { i += 2; break }
                    i += 1
                }
            } else {
                return
            }
        }
    }

    /// A quoted string or identifier; the quote doubled stands for itself.
    private mutating func quoted(_ quote: Character) throws -> String {
        i += 1
        var out = ""
        while true {
            guard let c = peek() else { throw PartiQLError.malformed("") }
            i += 1
            if c == quote {
                if peek() == quote { out.append(quote); i += 1; continue }
                return out
            }
            out.append(c)
        }
    }

    /// `12`, `1.5`, `.5`, `1.`, `1e5`, `2.5E-3`. The literal is an Ion decimal, so its
    /// exponent and its scale (fraction digits less the exponent) must fit 32 bits.
    private mutating func number() throws -> String {
        let start = i
        var fractionDigits = 0
        while Self.isDigit(peek()) { i += 1 }
        if peek() == "." {
            i += 1
            while Self.isDigit(peek()) { i += 1; fractionDigits += 1 }
        }
        if let e = peek(), e == "e" || e == "E",
           Self.isDigit(peek(1)) || ((peek(1) == "+" || peek(1) == "-") && Self.isDigit(peek(2))) {
            i += 1
            var negative = false
            if peek() == "+" || peek() == "-" { negative = peek() == "-"; i += 1 }
            var exponent: Int64 = 0
            var overflow = false
            while let d = peek(), Self.isDigit(d) {
                i += 1
                if !overflow {
                    exponent = exponent * 10 + Int64(d.wholeNumberValue!)
                    if exponent > Int64(Int32.max) + 1 { overflow = true }
                }
            }
            if negative { exponent = -exponent }
            let scale = Int64(fractionDigits) - exponent
            if overflow || exponent > Int64(Int32.max) || exponent < Int64(Int32.min)
                || scale > Int64(Int32.max) || scale < Int64(Int32.min) {
                throw PartiQLError.malformed("")
            }
        }
        return String(chars[start..<i])
    }
}
