/// Reads one PartiQL statement into its raw clauses (`PartiQLRawStatement`); binding
/// parameters and applying DynamoDB's rules to what was read happen afterwards
/// (`PartiQLBinder`), so a statement that does not parse reports its syntax error first.
///
///     SELECT * | expr [, …] FROM source [WHERE cond] [ORDER BY key [ASC|DESC] [, …]]
///     INSERT INTO target VALUE item
///     UPDATE target (SET path = expr [, …] | REMOVE path [, …])… [WHERE cond] [RETURNING …]
///     DELETE FROM target [WHERE cond] [RETURNING …]
///     FROM target [WHERE cond] (SET … | REMOVE …)…        -- UPDATE written FROM-first
struct PartiQLParser {
    private let tokens: [PartiQLToken]
    private var position = 0

    init(tokens: [PartiQLToken]) { self.tokens = tokens }

    var current: PartiQLToken { tokens[position] }
    func peek(_ ahead: Int) -> PartiQLToken { tokens[min(position + ahead, tokens.count - 1)] }
    mutating func advance() { if position < tokens.count - 1 { position += 1 } }

    mutating func take(keyword: String) -> Bool {
        guard current.isKeyword(keyword) else { return false }
        advance()
        return true
    }

    mutating func take(punctuation: String) -> Bool {
        guard current.isPunctuation(punctuation) else { return false }
        advance()
        return true
    }

    mutating func expect(punctuation: String, name: String) throws {
        guard take(punctuation: punctuation) else { throw PartiQLError.malformed("Expected \(name)") }
    }

    /// The whole statement; an optional `;` may end it, nothing may follow.
    mutating func parseStatement() throws -> PartiQLRawStatement {
        let statement: PartiQLRawStatement
        switch current.kind {
        case .keyword("SELECT"): advance(); statement = .select(try parseSelect())
        case .keyword("INSERT"): advance(); statement = .insert(try parseInsert())
        case .keyword("UPDATE"): advance(); statement = .update(try parseUpdate())
        case .keyword("DELETE"): advance(); statement = .delete(try parseDelete())
        case .keyword("FROM"): advance(); statement = .update(try parseFromFirstUpdate())
        case .keyword(let word):
            throw PartiQLLexer.operatorKeywords.contains(word) ? PartiQLError.unexpectedOperator : PartiQLError.unexpectedKeyword
        case .end, .punctuation: throw PartiQLError.unexpectedTerm
        case .symbol: throw PartiQLError.unexpectedOperator
        default: throw PartiQLError.expectedDataManipulation
        }
        _ = take(punctuation: ";")
        guard current.kind == .end else { throw PartiQLError.leftover }
        return statement
    }

    // MARK: - SELECT

    private mutating func parseSelect() throws -> PartiQLRawStatement.Select {
        if current.isKeyword("VALUE") { throw PartiQLError.selectValue }
        var projection: [PartiQLExpr]?
        var starWithOthers = false
        var aliased = false
        var sawStar = false
        var list: [PartiQLExpr] = []
        repeat {
            if take(punctuation: "*") {
                sawStar = true
            } else {
                list.append(try parseExpression())
                if try parseAlias() { aliased = true }
            }
        } while take(punctuation: ",")
        if sawStar {
            starWithOthers = !list.isEmpty
        } else {
            projection = list
        }
        guard take(keyword: "FROM") else { throw PartiQLError.malformed("Expected FROM after SELECT list") }
        var sources = [try parseExpression(PartiQLParser.sourcePower)]
        if try parseAlias() { aliased = true }
        while take(punctuation: ",") {
            sources.append(try parseExpression(PartiQLParser.sourcePower))
            if try parseAlias() { aliased = true }
        }
        var select = PartiQLRawStatement.Select(projection: projection, starWithOthers: starWithOthers, sources: sources, aliased: aliased)
        if take(keyword: "WHERE") { select.condition = try parseExpression() }
        if take(keyword: "ORDER") {
            guard take(keyword: "BY") else { throw PartiQLError.malformed("Expected BY") }
            repeat {
                let key = try parseExpression()
                var descending = false
                if take(keyword: "DESC") { descending = true } else { _ = take(keyword: "ASC") }
                select.orderBy.append((key, descending))
            } while take(punctuation: ",")
        }
        return select
    }

    /// A FROM source is a path: parse above every infix operator.
    static let sourcePower = 100

    /// `AS name` or a bare name after a projection or a source.
    private mutating func parseAlias() throws -> Bool {
        if take(keyword: "AS") {
            switch current.kind {
            case .identifier, .quotedIdentifier: advance(); return true
            default: throw PartiQLError.malformed("Expected identifier for alias")
            }
        }
        switch current.kind {
        case .identifier, .quotedIdentifier: advance(); return true
        default: return false
        }
    }

    // MARK: - INSERT

    private mutating func parseInsert() throws -> PartiQLRawStatement.Insert {
        guard take(keyword: "INTO") else { throw PartiQLError.unexpectedKeyword }
        let target = try parseSimplePath()
        guard take(keyword: "VALUE") else {
            // `INSERT INTO t <<{…}, {…}>>`: parsed, then refused.
            _ = try parseExpression()
            return PartiQLRawStatement.Insert(target: target, value: nil)
        }
        var insert = PartiQLRawStatement.Insert(target: target, value: try parseExpression())
        if take(keyword: "AT") {
            _ = try parseExpression()
            insert.position = true
        }
        if current.isKeyword("RETURNING") {
            _ = try parseReturning()
            insert.returning = true
        }
        return insert
    }

    // MARK: - UPDATE and DELETE

    private mutating func parseUpdate() throws -> PartiQLRawStatement.Update {
        let target = try parseSimplePath()
        let aliased = try parseAlias()
        let actions = try parseActions()
        var update = PartiQLRawStatement.Update(target: target, aliased: aliased, actions: actions)
        if take(keyword: "WHERE") { update.condition = try parseExpression() }
        if current.isKeyword("RETURNING") { update.returning = try parseReturning() }
        return update
    }

    private mutating func parseFromFirstUpdate() throws -> PartiQLRawStatement.Update {
        let target = try parseSimplePath()
        let aliased = try parseAlias()
        var condition: PartiQLExpr?
        if take(keyword: "WHERE") { condition = try parseExpression() }
        let actions = try parseActions()
        var update = PartiQLRawStatement.Update(target: target, aliased: aliased, actions: actions, condition: condition)
        if current.isKeyword("RETURNING") { update.returning = try parseReturning() }
        return update
    }

    private mutating func parseDelete() throws -> PartiQLRawStatement.Delete {
        guard take(keyword: "FROM") else { throw PartiQLError.malformed("Expected FROM after DELETE") }
        let target = try parseSimplePath()
        var delete = PartiQLRawStatement.Delete(target: target, aliased: try parseAlias())
        if take(keyword: "WHERE") { delete.condition = try parseExpression() }
        if current.isKeyword("RETURNING") { delete.returning = try parseReturning() }
        return delete
    }

    /// One or more `SET a = x [, b = y]` and `REMOVE p [, q]` clauses.
    private mutating func parseActions() throws -> [PartiQLRawAction] {
        var actions: [PartiQLRawAction] = []
        while true {
            if take(keyword: "SET") {
                repeat {
                    let target = try parseSimplePath()
                    guard current.kind == .symbol("=") else { throw PartiQLError.malformed("Expected EQ") }
                    advance()
                    if current.kind == .end { throw PartiQLError.missingRightHandSide }
                    actions.append(.set(target, try parseExpression()))
                } while take(punctuation: ",")
            } else if take(keyword: "REMOVE") {
                repeat {
                    actions.append(.remove(try parseSimplePath()))
                } while take(punctuation: ",")
            } else {
                break
            }
        }
        if actions.isEmpty { throw PartiQLError.expectedDataManipulation }
        return actions
    }

    /// A path that starts with a name: a DML target or an assignment's left side.
    private mutating func parseSimplePath() throws -> PartiQLExpr {
        let root: PartiQLExpr
        switch current.kind {
        case .identifier(let n): root = .name(n, quoted: false)
        case .quotedIdentifier(let n): root = .name(n, quoted: true)
        default: throw PartiQLError.expectedSimplePath
        }
        advance()
        return try parsePathSteps(on: root)
    }

    /// `RETURNING (ALL | MODIFIED) (OLD | NEW) *`
    private mutating func parseReturning() throws -> PartiQLReturningClause {
        advance()
        func word(_ choices: [String]) -> String? {
            let text: String
            switch current.kind {
            case .keyword(let k): text = k
            case .identifier(let id): text = id.uppercased()
            default: return nil
            }
            guard choices.contains(text) else { return nil }
            advance()
            return text
        }
        guard let scope = word(["ALL", "MODIFIED"]), let age = word(["OLD", "NEW"]), take(punctuation: "*") else {
            throw PartiQLError.returningSyntax
        }
        if current.isPunctuation(",") { throw PartiQLError.multipleReturning }
        return PartiQLReturningClause(all: scope == "ALL", new: age == "NEW")
    }
}
