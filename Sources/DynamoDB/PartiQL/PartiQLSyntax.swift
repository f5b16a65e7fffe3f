/// The parse tree of a PartiQL expression: what was written, before parameters are bound
/// and before the statement's rules (what may appear where) are applied.
indirect enum PartiQLExpr: Sendable {
    case string(String)
    case number(String)
    case boolean(Bool)
    case null
    case missing
    case parameter(Int)
    case list([PartiQLExpr])
    case bag([PartiQLExpr])
    case tuple([PartiQLTupleField])
    /// An identifier; `quoted` when it was written in double quotes.
    case name(String, quoted: Bool)
    case path(PartiQLExpr, [PartiQLPathStep])
    case call(String, [PartiQLExpr])
    /// `NOT x`, `-x`, `+x` (a sign on a number literal is folded into it).
    case unary(String, PartiQLExpr)
    /// Comparisons, `AND`, `OR`, arithmetic, `LIKE`; the operator as written (keywords upper-cased).
    case binary(String, PartiQLExpr, PartiQLExpr)
    case between(PartiQLExpr, PartiQLExpr, PartiQLExpr, negated: Bool)
    case `in`(PartiQLExpr, PartiQLExpr, negated: Bool)
    /// `x IS [NOT] type`; the type name upper-cased (`DOUBLE PRECISION` as two words).
    case isType(PartiQLExpr, String, negated: Bool)

    /// The name of the operator or construct, for "Unsupported operator" messages.
    var operatorText: String? {
        switch self {
        case .unary(let op, _), .binary(let op, _, _): return op
        case .between: return "BETWEEN"
        case .in: return "IN"
        case .isType: return "IS"
        default: return nil
        }
    }
}

struct PartiQLTupleField: Sendable {
    var key: PartiQLExpr
    var value: PartiQLExpr
}

enum PartiQLPathStep: Sendable {
    case dot(String, quoted: Bool)
    case index(PartiQLExpr)
    /// `a[*]`
    case wildcard
    /// `a.*`
    case unpivot
}

/// A `RETURNING` clause as written: `ALL|MODIFIED`, `OLD|NEW`.
struct PartiQLReturningClause: Sendable {
    var all: Bool
    var new: Bool
    var text: String { "\(all ? "ALL" : "MODIFIED") \(new ? "NEW" : "OLD") *" }
}

/// One SET or REMOVE of an UPDATE, as written.
enum PartiQLRawAction: Sendable {
    case set(PartiQLExpr, PartiQLExpr)
    case remove(PartiQLExpr)
}

/// A statement as parsed: the raw trees each clause holds.
enum PartiQLRawStatement: Sendable {
    struct Select: Sendable {
        /// nil for `*`.
        var projection: [PartiQLExpr]?
        var starWithOthers = false
        var sources: [PartiQLExpr]
        var aliased = false
        var condition: PartiQLExpr?
        var orderBy: [(key: PartiQLExpr, descending: Bool)] = []
    }
    struct Insert: Sendable {
        var target: PartiQLExpr
        /// nil for the multi-item form (`INSERT INTO t <<…>>`).
        var value: PartiQLExpr?
        var position = false
        var returning = false
    }
    struct Update: Sendable {
        var target: PartiQLExpr
        var aliased = false
        var actions: [PartiQLRawAction]
        var condition: PartiQLExpr?
        var returning: PartiQLReturningClause?
    }
    struct Delete: Sendable {
        var target: PartiQLExpr
        var aliased = false
        var condition: PartiQLExpr?
        var returning: PartiQLReturningClause?
    }

    case select(Select)
    case insert(Insert)
    case update(Update)
    case delete(Delete)
}
