// Expressions: a Pratt parser over PartiQL's operators, reporting the PartiQL parser's
// own details ("Unexpected term", "Missing right-hand side expression of infix operator").
//
// Binding powers, loosest first: OR, AND, prefix NOT, the predicates (comparisons, IS,
// IN, BETWEEN, LIKE), `||`, `+ -`, `* / %`, then unary signs and path steps.

extension PartiQLParser {
    private enum Power {
        static let or = 10, and = 20, not = 30, predicate = 40, concat = 50, additive = 60, multiplicative = 70
    }

    private static let comparisons: Set<String> = ["=", "<>", "!=", "<", "<=", ">", ">="]

    /// The binding power of the infix operator at the current token, if it is one.
    private func infixPower() -> Int? {
        switch current.kind {
        case .keyword("OR"): return Power.or
        case .keyword("AND"): return Power.and
        case .keyword("IS"), .keyword("IN"), .keyword("BETWEEN"), .keyword("LIKE"): return Power.predicate
        case .keyword("NOT"):
            // Only as `NOT IN`, `NOT BETWEEN`, `NOT LIKE`.
            switch peek(1).kind {
            case .keyword("IN"), .keyword("BETWEEN"), .keyword("LIKE"): return Power.predicate
            default: return nil
            }
        case .symbol(let s) where Self.comparisons.contains(s): return Power.predicate
        case .symbol("||"): return Power.concat
        case .symbol("+"), .symbol("-"): return Power.additive
        case .symbol("/"), .symbol("%"), .punctuation("*"): return Power.multiplicative
        default: return nil
        }
    }

    mutating func parseExpression(_ minimum: Int = 0) throws -> PartiQLExpr {
        var left = try parseUnary()
        while let power = infixPower(), power > minimum {
            let op = current
            advance()
            switch op.kind {
            case .keyword("IS"):
                let negated = take(keyword: "NOT")
                left = .isType(left, try parseTypeName(), negated: negated)
            case .keyword("NOT"):
                let word = current
                advance()
                left = try predicate(word, left: left, power: power, negated: true)
            case .keyword("IN"), .keyword("BETWEEN"), .keyword("LIKE"):
                left = try predicate(op, left: left, power: power, negated: false)
            case .keyword(let word):
                left = .binary(word, left, try parseRight(power))
            case .symbol(let s):
                left = .binary(s, left, try parseRight(power))
            default:
                left = .binary("*", left, try parseRight(power))
            }
        }
        return left
    }

    private mutating func predicate(_ op: PartiQLToken, left: PartiQLExpr, power: Int, negated: Bool) throws -> PartiQLExpr {
        switch op.kind {
        case .keyword("IN"):
            // `IN (a, b)` is a list, not a parenthesised expression.
            if take(punctuation: "(") {
                return .in(left, .list(try parseList(closing: ")", name: "RIGHT_PAREN")), negated: negated)
            }
            return .in(left, try parseRight(power), negated: negated)
        case .keyword("BETWEEN"):
            let low = try parseRight(power)
            guard take(keyword: "AND") else { throw PartiQLError.malformed("Expected AND") }
            if current.kind == .end { throw PartiQLError.malformed("Expected expression after AND") }
            let high = try parseExpression(power)
            return .between(left, low, high, negated: negated)
        default:
            let like = PartiQLExpr.binary("LIKE", left, try parseRight(power))
            return negated ? .unary("NOT", like) : like
        }
    }

    /// The right operand of an infix operator; the operator at the end of the statement
    /// has none.
    private mutating func parseRight(_ power: Int) throws -> PartiQLExpr {
        if current.kind == .end { throw PartiQLError.missingRightHandSide }
        return try parseExpression(power)
    }

    /// PartiQL's type names after IS; `DOUBLE PRECISION` and `CHARACTER VARYING` are two words.
    static let typeNames: Set<String> = [
        "NULL", "MISSING", "BOOL", "BOOLEAN", "SMALLINT", "INT2", "INTEGER2", "INT", "INTEGER", "INT4", "INTEGER4",
        "INT8", "INTEGER8", "BIGINT", "FLOAT", "REAL", "DOUBLE", "DECIMAL", "DEC", "NUMERIC", "TIMESTAMP", "CHAR",
        "CHARACTER", "VARCHAR", "STRING", "SYMBOL", "CLOB", "BLOB", "STRUCT", "TUPLE", "LIST", "SEXP", "BAG", "DATE",
        "TIME", "ANY",
    ]

    private mutating func parseTypeName() throws -> String {
        let word: String
        switch current.kind {
        case .keyword(let k): word = k
        case .identifier(let id): word = id.uppercased()
        default: throw PartiQLError.expectedTypeName
        }
        guard Self.typeNames.contains(word) else { throw PartiQLError.expectedTypeName }
        advance()
        if word == "DOUBLE" {
            guard case .identifier(let next) = current.kind, next.uppercased() == "PRECISION" else {
                throw PartiQLError.expectedTypeName
            }
            advance()
            return "DOUBLE PRECISION"
        }
        if word == "CHARACTER", case .identifier(let next) = current.kind, next.uppercased() == "VARYING" {
            advance()
            return "CHARACTER VARYING"
        }
        return word
    }

    private mutating func parseUnary() throws -> PartiQLExpr {
        switch current.kind {
        case .keyword("NOT"):
            advance()
            if current.kind == .end { throw PartiQLError.unexpectedTerm }
            return .unary("NOT", try parseExpression(Power.not))
        case .symbol("-"), .symbol("+"):
            let sign = current.kind == .symbol("-") ? "-" : "+"
            advance()
            let operand = try parseUnary()
            if case .number(let text) = operand {
                if sign == "+" { return operand }
                return .number(text.hasPrefix("-") ? String(text.dropFirst()) : "-" + text)
            }
            return .unary(sign, operand)
        default:
            return try parsePathSteps(on: try parsePrimary())
        }
    }

    /// `.name`, `."name"`, `.*`, `[expr]`, `[*]` after a term.
    mutating func parsePathSteps(on root: PartiQLExpr) throws -> PartiQLExpr {
        var steps: [PartiQLPathStep] = []
        while true {
            if current.isPunctuation(".") {
                advance()
                switch current.kind {
                case .identifier(let n): steps.append(.dot(n, quoted: false))
                case .quotedIdentifier(let n): steps.append(.dot(n, quoted: true))
                case .punctuation("*"): steps.append(.unpivot)
                default: throw PartiQLError.malformed("Invalid path dot component")
                }
                advance()
            } else if current.isPunctuation("[") {
                advance()
                if current.isPunctuation("*") {
                    advance()
                    steps.append(.wildcard)
                } else {
                    steps.append(.index(try parseExpression()))
                }
                try expect(punctuation: "]", name: "RIGHT_BRACKET")
            } else {
                break
            }
        }
        return steps.isEmpty ? root : .path(root, steps)
    }

    private mutating func parsePrimary() throws -> PartiQLExpr {
        let token = current
        switch token.kind {
        case .string(let s): advance(); return .string(s)
        case .number(let n): advance(); return .number(n)
        case .parameter(let index): advance(); return .parameter(index)
        case .keyword("TRUE"): advance(); return .boolean(true)
        case .keyword("FALSE"): advance(); return .boolean(false)
        case .keyword("NULL"): advance(); return .null
        case .keyword("MISSING"): advance(); return .missing
        case .keyword(let word):
            throw PartiQLLexer.operatorKeywords.contains(word) ? PartiQLError.unexpectedOperator : PartiQLError.unexpectedKeyword
        case .symbol:
            throw PartiQLError.unexpectedOperator
        case .identifier(let name):
            advance()
            if current.isPunctuation("(") {
                advance()
                return .call(name, try parseList(closing: ")", name: "RIGHT_PAREN"))
            }
            return .name(name, quoted: false)
        case .quotedIdentifier(let name):
            advance()
            return .name(name, quoted: true)
        case .punctuation("("):
            advance()
            let elements = try parseList(closing: ")", name: "RIGHT_PAREN")
            switch elements.count {
            case 0: throw PartiQLError.malformed("Expression group cannot be empty")
            case 1: return elements[0]
            default: return .list(elements)
            }
        case .punctuation("["):
            advance()
            return .list(try parseList(closing: "]", name: "RIGHT_BRACKET"))
        case .punctuation("<<"):
            advance()
            return .bag(try parseList(closing: ">>", name: "RIGHT_DOUBLE_ANGLE_BRACKET"))
        case .punctuation("{"):
            advance()
            return .tuple(try parseTupleFields())
        default:
            throw PartiQLError.unexpectedTerm
        }
    }

    /// Comma-separated expressions up to `closing` (which may come first: an empty list).
    mutating func parseList(closing: String, name: String) throws -> [PartiQLExpr] {
        var elements: [PartiQLExpr] = []
        if take(punctuation: closing) { return elements }
        while true {
            elements.append(try parseExpression())
            if take(punctuation: ",") { continue }
            try expect(punctuation: closing, name: name)
            return elements
        }
    }

    private mutating func parseTupleFields() throws -> [PartiQLTupleField] {
        var fields: [PartiQLTupleField] = []
        if take(punctuation: "}") { return fields }
        while true {
            let key = try parseExpression()
            try expect(punctuation: ":", name: "COLON")
            fields.append(PartiQLTupleField(key: key, value: try parseExpression()))
            if take(punctuation: ",") { continue }
            try expect(punctuation: "}", name: "RIGHT_CURLY")
            return fields
        }
    }
}
