/// A node of a parsed JSONata expression. The parser builds a raw tree, then a
/// second pass (`JSONataParser.process`) turns dotted chains into paths with
/// steps, predicates into stages, and resolves `%` to the step it refers to —
/// the same shape jsonata-js evaluates. Nodes are classes because that pass
/// links parent slots across the tree; after parsing the tree is never mutated.
final class JSONataNode: @unchecked Sendable {
    enum Kind {
        case path, binary, unary, name, string, number, value, wildcard, descendant, parent
        case condition, elvis, coalesce, block, bind, regex, function, partial, variable, lambda, apply
        case sort, transform, placeholder, op
    }

    enum Stage {
        case filter(JSONataNode, position: Int)
        case index(String)
    }

    struct SortTerm {
        var descending: Bool
        var expression: JSONataNode
    }

    /// Where a `%` finds its value: the label a tuple binds, and how many steps up it is.
    final class Slot: @unchecked Sendable {
        var label: String
        var level: Int
        let index: Int
        init(label: String, level: Int, index: Int) { self.label = label; self.level = level; self.index = index }
    }

    var kind: Kind
    var value: String          // operator, name, variable name, string literal
    var position: Int
    var number: Double = 0
    var literal: JValue? = nil
    var regex: JSONataRegex? = nil

    var lhs: JSONataNode? = nil
    var rhs: JSONataNode? = nil
    var expression: JSONataNode? = nil
    var expressions: [JSONataNode] = []
    var pairs: [(JSONataNode, JSONataNode)] = []
    var steps: [JSONataNode] = []
    var terms: [SortTerm] = []

    var predicate: [Stage]? = nil      // filters on a non-path expression
    var stages: [Stage]? = nil         // filters and index bindings on a path step
    var group: (pairs: [(JSONataNode, JSONataNode)], position: Int)? = nil

    var keepArray = false
    var keepSingletonArray = false
    var consArray = false
    var tuple = false
    var focus: String? = nil
    var indexVariable: String? = nil
    var ancestor: Slot? = nil
    var seekingParent: [Slot]? = nil
    var slot: Slot? = nil

    var condition: JSONataNode? = nil
    var then: JSONataNode? = nil
    var otherwise: JSONataNode? = nil

    var procedure: JSONataNode? = nil
    var arguments: [JSONataNode] = []
    var parameters: [String] = []
    var body: JSONataNode? = nil
    var signature: JSONataSignature? = nil

    /// Transform `| pattern | update, delete |`.
    var update: JSONataNode? = nil

    /// For a variable naming a standard function: that function, made once at parse time.
    var builtin: JFunction? = nil
    /// For a block: whether anything inside may bind a variable (if not, it needs no scope).
    var bindsVariables = true
    var delete: JSONataNode? = nil

    init(_ kind: Kind, _ value: String = "", position: Int) {
        self.kind = kind
        self.value = value
        self.position = position
    }
}
