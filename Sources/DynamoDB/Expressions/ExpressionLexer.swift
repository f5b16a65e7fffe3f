/// One token of an expression. Offsets count Unicode scalars of the expression text, so
/// a syntax error can quote the text around the token exactly as it was written.
struct ExpressionToken: Sendable {
    enum Kind: Equatable, Sendable {
        case identifier          // a name written inline: letter, then letters, digits, _
        case nameRef             // #name
        case valueRef            // :value
        case integer             // a list index: 0 or digits without a leading zero
        case and, or, not, between, `in`
        case set, remove, add, delete
        case equal, notEqual, less, lessOrEqual, greater, greaterOrEqual
        case leftParen, rightParen, leftBracket, rightBracket, comma, dot, plus, minus
        case bad                 // a character DynamoDB's lexer does not accept
        case end                 // end of input, shown as <EOF>
    }

    var kind: Kind
    var text: String
    var start: Int
    var end: Int

    var isComparator: Bool {
        switch kind {
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual: return true
        default: return false
        }
    }
}

/// Splits an expression into tokens. Keywords are case-insensitive; everything the
/// lexer cannot read becomes a one-character `bad` token that the parser rejects where
/// it meets it, so errors are reported in reading order.
struct ExpressionLexer {
    static let keywords: [String: ExpressionToken.Kind] = [
        "AND": .and, "OR": .or, "NOT": .not, "BETWEEN": .between, "IN": .in,
        "SET": .set, "REMOVE": .remove, "ADD": .add, "DELETE": .delete,
    ]

    static func tokenize(_ scalars: [Unicode.Scalar]) -> [ExpressionToken] {
        var tokens: [ExpressionToken] = []
        var i = 0
        func text(_ from: Int, _ to: Int) -> String {
            var s = String.UnicodeScalarView()
            s.append(contentsOf: scalars[from..<to])
            return String(s)
        }
        while i < scalars.count {
            let c = scalars[i]
            if c == " " || c == "\t" || c == "\n" || c == "\r" { i += 1; continue }
            let start = i
            let kind: ExpressionToken.Kind
            if isLetter(c) {
                while i < scalars.count, isWordPart(scalars[i]) { i += 1 }
                kind = keywords[text(start, i).uppercased()] ?? .identifier
            } else if c == "#" || c == ":" {
                i += 1
                while i < scalars.count, isWordPart(scalars[i]) { i += 1 }
                kind = i == start + 1 ? .bad : (c == "#" ? .nameRef : .valueRef)
            } else if isDigit(c) {
                i += 1
                if c != "0" { while i < scalars.count, isDigit(scalars[i]) { i += 1 } }
                kind = .integer
            } else {
                let next: Unicode.Scalar? = i + 1 < scalars.count ? scalars[i + 1] : nil
                i += 1
                switch c {
                case "<" where next == ">": i += 1; kind = .notEqual
                case "<" where next == "=": i += 1; kind = .lessOrEqual
                case ">" where next == "=": i += 1; kind = .greaterOrEqual
                case "<": kind = .less
                case ">": kind = .greater
                case "=": kind = .equal
                case "(": kind = .leftParen
                case ")": kind = .rightParen
                case "[": kind = .leftBracket
                case "]": kind = .rightBracket
                case ",": kind = .comma
                case ".": kind = .dot
                case "+": kind = .plus
                case "-": kind = .minus
                default: kind = .bad
                }
            }
            tokens.append(ExpressionToken(kind: kind, text: text(start, i), start: start, end: i))
        }
        tokens.append(ExpressionToken(kind: .end, text: "<EOF>", start: scalars.count, end: scalars.count))
        return tokens
    }

    static func isLetter(_ c: Unicode.Scalar) -> Bool { (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") }
    static func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }
    static func isWordPart(_ c: Unicode.Scalar) -> Bool { isLetter(c) || isDigit(c) || c == "_" }
}
