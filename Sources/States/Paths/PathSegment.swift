import JSON

/// One step of a parsed JSONPath, applied to every node the previous steps selected.
indirect enum PathSegment: Sendable, Equatable {
    /// `.name` or `['name']`
    case member(String)
    /// `[2]`, `[-1]` (from the end)
    case index(Int)
    /// `.*` or `[*]`: every member value or element
    case wildcard
    /// `['a','b']`
    case members([String])
    /// `[0,2]`
    case indices([Int])
    /// `[start:end:step]`, Python-style bounds
    case slice(start: Int?, end: Int?, step: Int?)
    /// `[?(…)]`
    case filter(FilterExpression)
    /// `..x`: the inner segment applied to the node and every node below it
    case descendant(PathSegment)

    /// Member and single-index steps select at most one node.
    var isSingular: Bool {
        switch self {
        case .member, .index: return true
        default: return false
        }
    }
}

/// The condition inside `[?( … )]`.
indirect enum FilterExpression: Sendable, Equatable {
    case or(FilterExpression, FilterExpression)
    case and(FilterExpression, FilterExpression)
    case not(FilterExpression)
    /// `@.isbn` alone: true when the path selects something.
    case exists(FilterOperand)
    case compare(FilterOperand, ComparisonOperator, FilterOperand)
}

enum FilterOperand: Sendable, Equatable {
    /// `@…`: relative to the node being tested
    case current([PathSegment])
    /// `$…`: relative to the document the whole path started from
    case root([PathSegment])
    case literal(JSONValue)
}

enum ComparisonOperator: String, Sendable, Equatable {
    case equal = "=="
    case notEqual = "!="
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
}
