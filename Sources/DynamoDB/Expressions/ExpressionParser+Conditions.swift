/// Reading conditions: precedence (NOT, then AND, then OR), parentheses, comparisons.
extension ExpressionParser {
    /// What a piece of a condition turned out to be.
    enum Piece {
        case condition(RawCondition)
        case operand(RawOperand)
        /// A function call with no comparison after it: a condition by itself
        /// (`attribute_exists(a)`) or, inside parentheses, possibly an operand.
        case call(RawCall)
    }

    func requireCondition(_ piece: Piece) throws -> RawCondition {
        switch piece {
        case .condition(let c): return c
        case .call(let call): return .call(call)
        case .operand: throw syntaxError()
        }
    }

    // Parentheses make the parser recurse through parseOr → parseNotTerm → parsePrimary →
    // parseGroup. Those four stay small (work is done in helpers whose frames are not
    // live while the recursion goes deeper), so deep input needs little stack even in
    // debug builds.

    /// `a OR b AND NOT c`: NOT binds tighter than AND, AND tighter than OR, both
    /// left-associative.
    mutating func parseOr() throws -> Piece {
        var chain = BooleanChain(first: try parseNotTerm())
        while try absorbOperator(into: &chain) {
            let next = try parseNotTerm()
            try append(next, to: &chain)
        }
        return chain.result
    }

    /// The pieces of `a OR b AND c` as they are read.
    struct BooleanChain {
        var first: Piece
        var orParts: [RawCondition] = []
        var current: RawCondition?
        var pendingAnd = false

        init(first: Piece) { self.first = first }

        var result: Piece {
            guard let current else { return first }
            let parts = orParts + [current]
            return .condition(parts.dropFirst().reduce(parts[0]) { .or($0, $1) })
        }
    }

    /// Reads an AND or OR after the chain so far; false at the end of the chain.
    mutating func absorbOperator(into chain: inout BooleanChain) throws -> Bool {
        guard peek.kind == .and || peek.kind == .or else { return false }
        if chain.current == nil { chain.current = try requireCondition(chain.first) }
        chain.pendingAnd = peek.kind == .and
        advance()
        operatorCount += 1
        return true
    }

    /// Adds the term read after an AND or OR; checked only now, so an error names the
    /// token after it.
    func append(_ piece: Piece, to chain: inout BooleanChain) throws {
        let condition = try requireCondition(piece)
        if chain.pendingAnd {
            chain.current = .and(chain.current!, condition)
        } else {
            chain.orParts.append(chain.current!)
            chain.current = condition
        }
    }

    mutating func parseNotTerm() throws -> Piece {
        let nots = readNots()
        let piece = try parsePrimary()
        return nots == 0 ? piece : try negate(piece, nots)
    }

    mutating func readNots() -> Int {
        var nots = 0
        while peek.kind == .not {
            advance()
            operatorCount += 1
            nots += 1
        }
        return nots
    }

    /// NOT NOT x is x: a chain of NOTs is kept as one or two, so no tree grows deep
    /// from NOTs alone (two keep "NOT" visible to the key-condition rules).
    func negate(_ piece: Piece, _ times: Int) throws -> Piece {
        let condition = try requireCondition(piece)
        return .condition(times % 2 == 1 ? .not(condition) : .not(.not(condition)))
    }

    mutating func parsePrimary() throws -> Piece {
        if peek.kind == .leftParen { return try parseGroup() }
        return try parseComparison()
    }

    /// `( … )` around a condition or an operand.
    mutating func parseGroup() throws -> Piece {
        advance()
        try enter()
        let inner = try parseOr()
        depth -= 1
        return try closeGroup(inner)
    }

    mutating func closeGroup(_ inner: Piece) throws -> Piece {
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

    mutating func parseComparison() throws -> Piece {
        let left = try parseOperand()
        return try parseComparison(after: left)
    }

    var startsComparison: Bool {
        peek.isComparator || peek.kind == .between || peek.kind == .in
    }

    mutating func parseComparison(after left: RawOperand) throws -> Piece {
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
}
