/// A recursive-descent parser for the three grammars (condition, update, projection),
/// reading the tokens once without backtracking.
///
/// Conditions are ambiguous at `(`: it may open a condition `(a = :v OR b = :w)` or an
/// operand `(a) = :v`. The parser reads what is inside as either, then decides from what
/// follows the `)`. A bare operand is only accepted directly inside parentheses; anywhere
/// else the syntax error names the token after it, as DynamoDB's parser does.
struct ExpressionParser {
    let kind: ExpressionKind
    let scalars: [Unicode.Scalar]
    let tokens: [ExpressionToken]
    var position = 0
    var depth = 0
    /// Operators and functions read so far (DynamoDB allows 300).
    var operatorCount = 0

    init(_ text: String, kind: ExpressionKind) {
        self.kind = kind
        scalars = Array(text.unicodeScalars)
        tokens = ExpressionLexer.tokenize(scalars)
    }

    /// Parentheses are the only thing the parser recurses on. Nesting deeper than
    /// `maxNesting` is refused before reading, so hostile input costs one pass over the
    /// tokens and little stack: as too many operators when there are, as redundant
    /// parentheses when some pair wraps another directly, else as a syntax error at the
    /// first parenthesis too deep.
    func checkNesting() throws {
        var open: [Int] = []
        var tooDeep: Int?
        var redundant = false
        var closing: [Int: Int] = [:] // index of "(" → index of its ")"
        for (i, t) in tokens.enumerated() {
            if t.kind == .leftParen {
                open.append(i)
                if open.count > ExpressionLimits.maxNesting, tooDeep == nil { tooDeep = i }
            } else if t.kind == .rightParen, let o = open.popLast() {
                closing[o] = i
                // "((x))": a group directly inside a group, the outer not a call's or IN's list.
                if let inner = closing[o + 1], tokens[o + 1].kind == .leftParen, inner == i - 1,
                   o == 0 || (tokens[o - 1].kind != .identifier && tokens[o - 1].kind != .in) {
                    redundant = true
                }
            }
        }
        guard let tooDeep else { return }
        var operators = 0
        for (i, t) in tokens.enumerated() {
            switch t.kind {
            case .and, .or, .not, .between, .in, .plus, .minus: operators += 1
            case .identifier where tokens[i + 1].kind == .leftParen: operators += 1
            default: if t.isComparator { operators += 1 }
            }
        }
        if operators > ExpressionLimits.maxOperators { throw tooManyOperators(operators) }
        if redundant { throw redundantParentheses() }
        throw syntaxError(at: tooDeep)
    }

    // MARK: - Entry points

    mutating func parseCondition() throws -> RawCondition {
        try checkNesting()
        let parsed = try parseOr()
        let condition = try requireCondition(parsed)
        try expectEnd()
        try checkOperatorCount()
        return condition
    }

    mutating func parseUpdate() throws -> [RawUpdateClause] {
        try checkNesting()
        var clauses: [RawUpdateClause] = []
        repeat {
            let keyword = peek
            let clauseKind: UpdateClauseKind
            switch keyword.kind {
            case .set: clauseKind = .set
            case .remove: clauseKind = .remove
            case .add: clauseKind = .add
            case .delete: clauseKind = .delete
            default: throw syntaxError()
            }
            advance()
            var actions: [RawUpdateAction] = []
            repeat {
                if !actions.isEmpty { advance() } // the comma
                let path = try parsePath()
                var value: RawOperand?
                switch clauseKind {
                case .set:
                    try expect(.equal)
                    value = try parseSetValue()
                case .remove:
                    value = nil
                case .add, .delete:
                    guard peek.kind == .valueRef else { throw syntaxError() }
                    value = .value(advance())
                }
                actions.append(RawUpdateAction(clause: clauseKind, clauseIndex: clauses.count, path: path, value: value))
            } while peek.kind == .comma
            clauses.append(RawUpdateClause(kind: clauseKind, keyword: keyword, actions: actions))
        } while peek.kind != .end
        try checkOperatorCount()
        return clauses
    }

    mutating func parseProjection() throws -> [RawPath] {
        var paths = [try parsePath()]
        while peek.kind == .comma {
            advance()
            paths.append(try parsePath())
        }
        try expectEnd()
        return paths
    }

    // MARK: - Operands and paths

    mutating func parseOperand() throws -> RawOperand {
        if peek.kind == .leftParen { return try parseOperandGroup() }
        if peek.kind == .identifier && token(at: position + 1).kind == .leftParen { return .call(try parseCall()) }
        return try parseSimpleOperand()
    }

    mutating func parseSimpleOperand() throws -> RawOperand {
        switch peek.kind {
        case .valueRef: return .value(advance())
        case .identifier, .nameRef: return .path(try parsePath())
        default: throw syntaxError()
        }
    }

    mutating func parseOperandGroup() throws -> RawOperand {
        advance()
        try enter()
        let inner = try parseOperand()
        depth -= 1
        return try closeOperandGroup(inner)
    }

    mutating func closeOperandGroup(_ inner: RawOperand) throws -> RawOperand {
        try expect(.rightParen)
        if case .paren = inner { throw redundantParentheses() }
        return .paren(inner)
    }

    mutating func parseCall() throws -> RawCall {
        var call = try openCall()
        call.args.append(try parseOperand())
        while try nextArgument() { call.args.append(try parseOperand()) }
        try expect(.rightParen)
        return call
    }

    mutating func openCall() throws -> RawCall {
        let name = advance()
        try expect(.leftParen)
        operatorCount += 1
        return RawCall(name: name, args: [])
    }

    mutating func nextArgument() throws -> Bool {
        guard peek.kind == .comma else { return false }
        advance()
        return true
    }

    /// The right-hand side of a SET action: an operand, or two joined by + or -,
    /// optionally in parentheses.
    mutating func parseSetValue() throws -> RawOperand {
        if peek.kind == .leftParen { return try parseSetGroup() }
        let left = try parseOperand()
        return try parseArithmetic(after: left)
    }

    mutating func parseSetGroup() throws -> RawOperand {
        advance()
        try enter()
        let inner = try parseSetValue()
        depth -= 1
        return try closeSetGroup(inner)
    }

    mutating func closeSetGroup(_ inner: RawOperand) throws -> RawOperand {
        try expect(.rightParen)
        if case .arithmetic = inner { return .paren(inner) }
        if case .paren = inner { throw redundantParentheses() }
        return try parseArithmetic(after: .paren(inner))
    }

    mutating func parseArithmetic(after left: RawOperand) throws -> RawOperand {
        guard peek.kind == .plus || peek.kind == .minus else { return left }
        let op = advance()
        operatorCount += 1
        return .arithmetic(left, op, try parseOperand())
    }

    mutating func parsePath() throws -> RawPath {
        var parts: [RawPath.Part] = []
        switch peek.kind {
        case .identifier: parts.append(.identifier(advance()))
        case .nameRef: parts.append(.nameRef(advance()))
        default: throw syntaxError()
        }
        while true {
            if peek.kind == .dot {
                advance()
                switch peek.kind {
                case .identifier: parts.append(.identifier(advance()))
                case .nameRef: parts.append(.nameRef(advance()))
                default: throw syntaxError()
                }
            } else if peek.kind == .leftBracket {
                advance()
                guard peek.kind == .integer else { throw syntaxError() }
                parts.append(.index(advance()))
                try expect(.rightBracket)
            } else {
                return RawPath(parts: parts)
            }
        }
    }

    // MARK: - Tokens and errors

    var peek: ExpressionToken { tokens[position] }

    func token(at index: Int) -> ExpressionToken { tokens[min(index, tokens.count - 1)] }

    @discardableResult
    mutating func advance() -> ExpressionToken {
        let t = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return t
    }

    mutating func expect(_ kind: ExpressionToken.Kind) throws {
        guard peek.kind == kind else { throw syntaxError() }
        advance()
    }

    func expectEnd() throws {
        guard peek.kind == .end else { throw syntaxError() }
    }

    mutating func enter() throws {
        depth += 1
        // checkNesting has refused anything deeper; this guards against a grammar change.
        if depth > ExpressionLimits.maxNesting { throw syntaxError() }
    }

    func checkOperatorCount() throws {
        if operatorCount > ExpressionLimits.maxOperators { throw tooManyOperators(operatorCount) }
    }

    func tooManyOperators(_ count: Int) -> DynamoDBError {
        kind.error("The expression contains too many operators; operator count: \(count)")
    }

    func redundantParentheses() -> DynamoDBError {
        kind.error("The expression has redundant parentheses;")
    }

    /// `Syntax error; token: "x", near: "a x b"`: the token where reading stopped, and
    /// the text from the token before it to the token after it.
    func syntaxError() -> DynamoDBError { syntaxError(at: position) }

    func syntaxError(at: Int) -> DynamoDBError {
        let bad = tokens[at]
        let from = at > 0 ? tokens[at - 1].start : bad.start
        var to: Int
        if bad.kind == .end {
            to = at > 0 ? tokens[at - 1].end : bad.end
        } else if at + 1 < tokens.count, tokens[at + 1].kind != .end {
            to = tokens[at + 1].end
        } else {
            to = bad.end
        }
        to = max(to, from)
        var near = String.UnicodeScalarView()
        near.append(contentsOf: scalars[from..<to])
        return kind.error("Syntax error; token: \"\(bad.text)\", near: \"\(String(near))\"")
    }
}
