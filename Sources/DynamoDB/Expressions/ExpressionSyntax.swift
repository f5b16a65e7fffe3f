/// The tree as written, before placeholders are resolved: what the parser builds and
/// the checker turns into the typed tree. Tokens are kept so checks can quote them.
struct RawPath {
    enum Part {
        case identifier(ExpressionToken)
        case nameRef(ExpressionToken)
        case index(ExpressionToken)
    }
    var parts: [Part]
}

struct RawCall {
    var name: ExpressionToken
    var args: [RawOperand]
}

indirect enum RawOperand {
    case path(RawPath)
    case value(ExpressionToken)
    case call(RawCall)
    case paren(RawOperand)
    /// `a + b` or `a - b`: only the right-hand side of a SET action.
    case arithmetic(RawOperand, ExpressionToken, RawOperand)

    /// Without the parentheses around it.
    var unwrapped: RawOperand {
        var o = self
        while case .paren(let inner) = o { o = inner }
        return o
    }
}

indirect enum RawCondition {
    case or(RawCondition, RawCondition)
    case and(RawCondition, RawCondition)
    case not(RawCondition)
    case paren(RawCondition)
    case compare(RawOperand, ExpressionToken, RawOperand)
    case between(RawOperand, RawOperand, RawOperand)
    case `in`(RawOperand, [RawOperand])
    case call(RawCall)

    var unwrapped: RawCondition {
        var c = self
        while case .paren(let inner) = c { c = inner }
        return c
    }
}

enum UpdateClauseKind: String {
    case set = "SET", remove = "REMOVE", add = "ADD", delete = "DELETE"
}

struct RawUpdateAction {
    var clause: UpdateClauseKind
    var clauseIndex: Int
    var path: RawPath
    /// SET: the value; ADD and DELETE: the `:value`; REMOVE: nil.
    var value: RawOperand?
}

struct RawUpdateClause {
    var kind: UpdateClauseKind
    var keyword: ExpressionToken
    var actions: [RawUpdateAction]
}
