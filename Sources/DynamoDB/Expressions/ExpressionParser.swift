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
    private(set) var position = 0
    private var depth = 0
    /// Operators and functions read so far (DynamoDB allows 300).
    private(set) var operatorCount = 0

    init(_ text: String, kind: ExpressionKind) {
        self.kind = kind
        scalars = Array(text.unicodeScalars)
        tokens = ExpressionLexer.tokenize(scalars)
    }

    /// Parentheses are the only thing the parser recurses on. Nesting deeper than any
    /// expression within 300 operators needs is refused before reading, so hostile
    /// input costs one pass over the tokens and little stack.
    func checkNesting() throws {
        var depth = 0, deepest = 0
        for t in tokens {
            if t.kind == .leftParen { depth += 1; deepest = max(deepest, depth) }
            if t.kind == .rightParen { depth -= 1 }
        }
        guard deepest > ExpressionLimits.maxNesting else { return }
        var operators = 0
        for (i, t) in tokens.enumerated() {
            switch t.kind {
            case .and, .or, .not, .between, .in, .plus, .minus: operators += 1
            case .identifier where tokens[i + 1].kind == .leftParen: operators += 1
            default: if t.isComparator { operators += 1 }
            }
        }
        if operators > ExpressionLimits.maxOperators { throw tooManyOperators(operators) }
        throw redundantParentheses()
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

    // MARK: - Conditions

    /// What a piece of a condition turned out to be.
    private enum Piece {
        case condition(RawCondition)
        case operand(RawOperand)
        /// A function call with no comparison after it: a condition by itself
        /// (`attribute_exists(a)`) or, inside parentheses, possibly an operand.
        case call(RawCall)
    }

    private func requireCondition(_ piece: Piece) throws -> RawCondition {
        switch piece {
        case .condition(let c): return c
        case .call(let call): return .call(call)
        case .operand: throw syntaxError()
        }
    }

    /// `a OR b AND NOT c`: NOT binds tighter than AND, AND tighter than OR, both
    /// left-associative. Read in a loop, so only parentheses make the parser recurse.
    private mutating func parseOr() throws -> Piece {
        let first = try parseNotTerm()
        guard peek.kind == .and || peek.kind == .or else { return first }
        var orParts: [RawCondition] = []
        var current = try requireCondition(first)
        while peek.kind == .and || peek.kind == .or {
            let isAnd = peek.kind == .and
            advance()
            operatorCount += 1
            let next = try parseNotTerm() // read before checking: the error names the token after it
            let condition = try requireCondition(next)
            if isAnd {
                current = .and(current, condition)
            } else {
                orParts.append(current)
                current = condition
            }
        }
        orParts.append(current)
        return .condition(orParts.dropFirst().reduce(orParts[0]) { .or($0, $1) })
    }

    private mutating func parseNotTerm() throws -> Piece {
        var nots = 0
        while peek.kind == .not {
            advance()
            operatorCount += 1
            nots += 1
        }
        let piece = try parsePrimary()
        guard nots > 0 else { return piece }
        var condition = try requireCondition(piece)
        for _ in 0..<nots { condition = .not(condition) }
        return .condition(condition)
    }

    private mutating func parsePrimary() throws -> Piece {
        guard peek.kind == .leftParen else {
            return try parseComparison(after: try parseOperand())
        }
        advance()
        try enter()
        defer { depth -= 1 }
        let inner = try parseOr()
        try expect(.rightParen)
        switch inner {
        case .condition(let c):
            if case .paren = c { throw redundantParentheses() }
            return .condition(.paren(c))
        case .operand(let o):
            if case .paren = o { throw redundantParentheses() }
            return try parseComparison(after: .paren(o))
        case .call(let call):
            if startsComparison { return try parseComparison(after: .paren(.call(call))) }
            return .condition(.paren(.call(call)))
        }
    }

    private var startsComparison: Bool {
        peek.isComparator || peek.kind == .between || peek.kind == .in
    }

    private mutating func parseComparison(after left: RawOperand) throws -> Piece {
        if peek.isComparator {
            let op = advance()
            operatorCount += 1
            return .condition(.compare(left, op, try parseOperand()))
        }
        switch peek.kind {
        case .between:
            advance()
            operatorCount += 1
            let low = try parseOperand()
            try expect(.and)
            return .condition(.between(left, low, try parseOperand()))
        case .in:
            advance()
            operatorCount += 1
            try expect(.leftParen)
            var list = [try parseOperand()]
            while peek.kind == .comma {
                advance()
                list.append(try parseOperand())
            }
            try expect(.rightParen)
            return .condition(.in(left, list))
        default:
            if case .call(let call) = left { return .call(call) }
            return .operand(left)
        }
    }

    // MARK: - Operands and paths

    private mutating func parseOperand() throws -> RawOperand {
        switch peek.kind {
        case .valueRef:
            return .value(advance())
        case .leftParen:
            advance()
            try enter()
            defer { depth -= 1 }
            let inner = try parseOperand()
            try expect(.rightParen)
            if case .paren = inner { throw redundantParentheses() }
            return .paren(inner)
        case .identifier where token(at: position + 1).kind == .leftParen:
            return .call(try parseCall())
        case .identifier, .nameRef:
            return .path(try parsePath())
        default:
            throw syntaxError()
        }
    }

    private mutating func parseCall() throws -> RawCall {
        let name = advance()
        try expect(.leftParen)
        operatorCount += 1
        var args = [try parseOperand()]
        while peek.kind == .comma {
            advance()
            args.append(try parseOperand())
        }
        try expect(.rightParen)
        return RawCall(name: name, args: args)
    }

    /// The right-hand side of a SET action: an operand, or two joined by + or -,
    /// optionally in parentheses.
    private mutating func parseSetValue() throws -> RawOperand {
        var left: RawOperand
        if peek.kind == .leftParen {
            advance()
            try enter()
            defer { depth -= 1 }
            let inner = try parseSetValue()
            try expect(.rightParen)
            if case .arithmetic = inner { return .paren(inner) }
            if case .paren = inner { throw redundantParentheses() }
            left = .paren(inner)
        } else {
            left = try parseOperand()
        }
        if peek.kind == .plus || peek.kind == .minus {
            let op = advance()
            operatorCount += 1
            left = .arithmetic(left, op, try parseOperand())
        }
        return left
    }

    private mutating func parsePath() throws -> RawPath {
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

    private var peek: ExpressionToken { tokens[position] }

    private func token(at index: Int) -> ExpressionToken { tokens[min(index, tokens.count - 1)] }

    @discardableResult
    private mutating func advance() -> ExpressionToken {
        let t = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return t
    }

    private mutating func expect(_ kind: ExpressionToken.Kind) throws {
        guard peek.kind == kind else { throw syntaxError() }
        advance()
    }

    private func expectEnd() throws {
        guard peek.kind == .end else { throw syntaxError() }
    }

    private mutating func enter() throws {
        depth += 1
        if depth > ExpressionLimits.maxNesting {
            // Within 300 operators nesting this deep needs parentheses directly inside
            // parentheses, which DynamoDB refuses as redundant.
            if operatorCount > ExpressionLimits.maxOperators { throw tooManyOperators(operatorCount) }
            throw redundantParentheses()
        }
    }

    private func checkOperatorCount() throws {
        if operatorCount > ExpressionLimits.maxOperators { throw tooManyOperators(operatorCount) }
    }

    private func tooManyOperators(_ count: Int) -> DynamoDBError {
        kind.error("The expression contains too many operators; operator count: \(count)")
    }

    private func redundantParentheses() -> DynamoDBError {
        kind.error("The expression has redundant parentheses;")
    }

    /// `Syntax error; token: "x", near: "a x b"`: the token where reading stopped, and
    /// the text from the token before it to the token after it.
    func syntaxError() -> DynamoDBError {
        let at = position
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
