/// A parsed ProjectionExpression: the document paths to keep.
public struct ProjectionExpression: Sendable {
    public let paths: [DocumentPath]

    public init(paths: [DocumentPath]) { self.paths = paths }

    public static func parse(_ text: String, context: ExpressionContext) throws -> ProjectionExpression {
        try ExpressionLimits.checkText(text, kind: .projection)
        var parser = ExpressionParser(text, kind: .projection)
        let raw = try parser.parseProjection()
        let checker = ExpressionChecker(kind: .projection, context: context)
        for p in raw { try checker.firstPass(p) }
        let paths = try raw.map { try checker.path($0) }
        try checker.checkOverlaps(paths)
        return ProjectionExpression(paths: paths)
    }

    /// The top-level attributes the projection reads.
    public var attributes: [String] {
        var seen: [String] = []
        for p in paths where !seen.contains(p.attribute) { seen.append(p.attribute) }
        return seen
    }

    /// The item cut down to the projected paths, as DynamoDB returns it: nested maps keep
    /// only the projected members, lists only the projected elements (in index order,
    /// closing up the gaps); paths that lead nowhere are left out. Attributes keep the
    /// item's order.
    public func apply(to item: Item) -> Item {
        let tree = ProjectionTree(paths)
        var out: Item = []
        for (name, value) in item {
            guard let sub = tree.children[.name(name)] else { continue }
            if let kept = sub.project(value) { out.append((key: name, value: kept)) }
        }
        return out
    }
}

/// The projected paths as a tree; a leaf keeps the whole value below it.
struct ProjectionTree {
    var children: [PathElement: ProjectionTree] = [:]
    var isLeaf = false

    init() {}

    init(_ paths: [DocumentPath]) {
        for p in paths { insert(p.elements[...]) }
    }

    mutating func insert(_ elements: ArraySlice<PathElement>) {
        guard let first = elements.first else { isLeaf = true; return }
        children[first, default: ProjectionTree()].insert(elements.dropFirst())
    }

    func project(_ value: AttributeValue) -> AttributeValue? {
        if isLeaf { return value }
        switch value {
        case .m(let members):
            var kept: [(key: String, value: AttributeValue)] = []
            for (k, v) in members {
                if let sub = children[.name(k)], let p = sub.project(v) { kept.append((key: k, value: p)) }
            }
            return kept.isEmpty ? nil : .m(kept)
        case .l(let list):
            let indexes = children.keys.compactMap { e -> Int? in
                if case .index(let i) = e { return i }
                return nil
            }.sorted()
            var kept: [AttributeValue] = []
            for i in indexes where i < list.count {
                if let p = children[.index(i)]!.project(list[i]) { kept.append(p) }
            }
            return kept.isEmpty ? nil : .l(kept)
        default:
            return nil
        }
    }
}
