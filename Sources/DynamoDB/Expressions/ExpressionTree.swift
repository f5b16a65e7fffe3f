/// The typed tree every expression is checked into: placeholders resolved, functions
/// known, parentheses gone. Evaluation is plain functions over it (see
/// `ExpressionEvaluation.swift`), so a parsed expression can be kept and run many times.

/// A value-producing piece of an expression.
public indirect enum ExpressionOperand: Sendable {
    case path(DocumentPath)
    case value(AttributeValue)
    /// `size(x)`: conditions only.
    case size(ExpressionOperand)
    /// `if_not_exists(path, x)`: SET only.
    case ifNotExists(DocumentPath, ExpressionOperand)
    /// `list_append(a, b)`: SET only.
    case listAppend(ExpressionOperand, ExpressionOperand)
    /// `a + b`, `a - b`: SET only.
    case plus(ExpressionOperand, ExpressionOperand)
    case minus(ExpressionOperand, ExpressionOperand)
}

public enum Comparator: String, Sendable {
    case equal = "="
    case notEqual = "<>"
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="

    init?(_ kind: ExpressionToken.Kind) {
        switch kind {
        case .equal: self = .equal
        case .notEqual: self = .notEqual
        case .less: self = .less
        case .lessOrEqual: self = .lessOrEqual
        case .greater: self = .greater
        case .greaterOrEqual: self = .greaterOrEqual
        default: return nil
        }
    }

    /// The same comparison with its operands swapped: `:v < a` is `a > :v`.
    var flipped: Comparator {
        switch self {
        case .equal, .notEqual: return self
        case .less: return .greater
        case .lessOrEqual: return .greaterOrEqual
        case .greater: return .less
        case .greaterOrEqual: return .lessOrEqual
        }
    }
}

/// A condition (condition, filter and key-condition expressions).
public indirect enum ExpressionCondition: Sendable {
    case and(ExpressionCondition, ExpressionCondition)
    case or(ExpressionCondition, ExpressionCondition)
    case not(ExpressionCondition)
    case compare(ExpressionOperand, Comparator, ExpressionOperand)
    case between(ExpressionOperand, ExpressionOperand, ExpressionOperand)
    case `in`(ExpressionOperand, [ExpressionOperand])
    case attributeExists(DocumentPath)
    case attributeNotExists(DocumentPath)
    case attributeType(DocumentPath, String)
    case beginsWith(ExpressionOperand, ExpressionOperand)
    case contains(ExpressionOperand, ExpressionOperand)
}

/// One action of an update expression.
public enum UpdateAction: Sendable {
    case set(DocumentPath, ExpressionOperand)
    case remove(DocumentPath)
    case add(DocumentPath, AttributeValue)
    case delete(DocumentPath, AttributeValue)

    public var path: DocumentPath {
        switch self {
        case .set(let p, _), .remove(let p), .add(let p, _), .delete(let p, _): return p
        }
    }
}

extension ExpressionOperand {
    /// Every document path the operand reads, in writing order.
    var paths: [DocumentPath] {
        switch self {
        case .path(let p): return [p]
        case .value: return []
        case .size(let o): return o.paths
        case .ifNotExists(let p, let o): return [p] + o.paths
        case .listAppend(let a, let b), .plus(let a, let b), .minus(let a, let b): return a.paths + b.paths
        }
    }
}

extension ExpressionCondition {
    /// Every document path the condition reads, in writing order.
    var paths: [DocumentPath] {
        switch self {
        case .and(let a, let b), .or(let a, let b): return a.paths + b.paths
        case .not(let c): return c.paths
        case .compare(let a, _, let b), .beginsWith(let a, let b), .contains(let a, let b): return a.paths + b.paths
        case .between(let a, let b, let c): return a.paths + b.paths + c.paths
        case .in(let a, let list): return a.paths + list.flatMap(\.paths)
        case .attributeExists(let p), .attributeNotExists(let p), .attributeType(let p, _): return [p]
        }
    }
}
