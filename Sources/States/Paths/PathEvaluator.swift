import JSON

/// Applies parsed segments to JSON values. Iterative where the input can be deep, so a
/// long path or a deeply nested document costs time, never stack.
enum PathEvaluator {
    /// Every node `segments` selects, in document order.
    static func select(_ segments: ArraySlice<PathSegment>, from start: [JSONValue], root: JSONValue) -> [JSONValue] {
        var nodes = start
        for segment in segments {
            var next: [JSONValue] = []
            for node in nodes { apply(segment, to: node, root: root, into: &next) }
            nodes = next
            if nodes.isEmpty { break }
        }
        return nodes
    }

    static func apply(_ segment: PathSegment, to node: JSONValue, root: JSONValue, into out: inout [JSONValue]) {
        switch segment {
        case .member(let name):
            if case .object(let object) = node, let value = object[name] { out.append(value) }
        case .index(let index):
            if case .array(let elements) = node, let value = element(elements, index) { out.append(value) }
        case .wildcard:
            switch node {
            case .object(let object): out.append(contentsOf: object.members.map(\.value))
            case .array(let elements): out.append(contentsOf: elements)
            default: break
            }
        case .members(let names):
            if case .object(let object) = node {
                for name in names { if let value = object[name] { out.append(value) } }
            }
        case .indices(let indices):
            if case .array(let elements) = node {
                for index in indices { if let value = element(elements, index) { out.append(value) } }
            }
        case .slice(let start, let end, let step):
            if case .array(let elements) = node {
                for position in sliceIndices(count: elements.count, start: start, end: end, step: step ?? 1) {
                    out.append(elements[position])
                }
            }
        case .filter(let expression):
            // AWS: "@ … does not match scalar values. It only matches objects."
            switch node {
            case .array(let elements):
                for element in elements where element.objectValue != nil && test(expression, element, root: root) {
                    out.append(element)
                }
            case .object:
                if test(expression, node, root: root) { out.append(node) }
            default: break
            }
        case .descendant(let inner):
            for descendant in preorder(node) {
                if case .filter(let expression) = inner {
                    // A scanning filter tests each object once, wherever it sits.
                    if descendant.objectValue != nil, test(expression, descendant, root: root) { out.append(descendant) }
                } else {
                    apply(inner, to: descendant, root: root, into: &out)
                }
            }
        }
    }

    static func element(_ elements: [JSONValue], _ index: Int) -> JSONValue? {
        let position = index < 0 ? elements.count + index : index
        guard elements.indices.contains(position) else { return Optional<JSONValue>.none }
        return elements[position]
    }

    /// Python slice semantics: negative bounds count from the end, out-of-range bounds clamp.
    static func sliceIndices(count: Int, start: Int?, end: Int?, step: Int) -> [Int] {
        func clamp(_ value: Int, lower: Int, upper: Int) -> Int { min(max(value, lower), upper) }
        var result: [Int] = []
        if step > 0 {
            let from = start.map { $0 < 0 ? clamp(count + $0, lower: 0, upper: count) : min($0, count) } ?? 0
            let to = end.map { $0 < 0 ? clamp(count + $0, lower: 0, upper: count) : min($0, count) } ?? count
            var i = from
            while i < to { result.append(i); i += step }
        } else {
            let from = start.map { $0 < 0 ? clamp(count + $0, lower: -1, upper: count - 1) : min($0, count - 1) } ?? count - 1
            let to = end.map { $0 < 0 ? clamp(count + $0, lower: -1, upper: count - 1) : min($0, count - 1) } ?? -1
            var i = from
            while i > to { result.append(i); i += step }
        }
        return result
    }

    /// The node and everything below it, parents before children, in document order.
    static func preorder(_ node: JSONValue) -> [JSONValue] {
        var out: [JSONValue] = []
        var stack: [JSONValue] = [node]
        while let next = stack.popLast() {
            out.append(next)
            switch next {
            case .object(let object): stack.append(contentsOf: object.members.reversed().map(\.value))
            case .array(let elements): stack.append(contentsOf: elements.reversed())
            default: break
            }
        }
        return out
    }

    // MARK: - Filters

    static func test(_ expression: FilterExpression, _ node: JSONValue, root: JSONValue) -> Bool {
        switch expression {
        case .or(let a, let b): return test(a, node, root: root) || test(b, node, root: root)
        case .and(let a, let b): return test(a, node, root: root) && test(b, node, root: root)
        case .not(let inner): return !test(inner, node, root: root)
        case .exists(let operand):
            if case .literal(let value) = operand { return value == .bool(true) }
            return value(of: operand, node, root: root) != nil
        case .compare(let lhs, let op, let rhs):
            let left = value(of: lhs, node, root: root)
            let right = value(of: rhs, node, root: root)
            switch op {
            case .equal: return equal(left, right)
            case .notEqual: return !equal(left, right)
            case .less: return order(left, right).map { $0 < 0 } ?? false
            case .lessOrEqual: return order(left, right).map { $0 <= 0 } ?? false
            case .greater: return order(left, right).map { $0 > 0 } ?? false
            case .greaterOrEqual: return order(left, right).map { $0 >= 0 } ?? false
            }
        }
    }

    static func value(of operand: FilterOperand, _ node: JSONValue, root: JSONValue) -> JSONValue? {
        let segments: [PathSegment]
        let start: JSONValue
        switch operand {
        case .literal(let value): return value
        case .current(let path): segments = path; start = node
        case .root(let path): segments = path; start = root
        }
        let matches = select(segments[...], from: [start], root: root)
        if segments.allSatisfy(\.isSingular) { return matches.first }
        // Careful: JSONValue is nil-literal expressible, so spell out Optional.none.
        if matches.isEmpty { return Optional<JSONValue>.none }
        return .array(matches)
    }

    /// Equality as the filter sees it: numbers by value, objects regardless of key order.
    static func equal(_ a: JSONValue?, _ b: JSONValue?) -> Bool {
        guard let a, let b else { return false }
        switch (a, b) {
        case (.number(let x), .number(let y)): return ExactDecimal.compare(x, y) == 0
        case (.string(let x), .string(let y)): return x == y
        case (.bool(let x), .bool(let y)): return x == y
        case (.null, .null): return true
        case (.array(let x), .array(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (.object(let x), .object(let y)):
            guard x.count == y.count else { return false }
            return x.members.allSatisfy { member in equal(member.value, y[member.key]) }
        default: return false
        }
    }

    /// Ordering for `<`, `<=`, `>`, `>=`: numbers numerically, strings by UTF-16 code
    /// units (as Java compares them); anything else does not compare.
    static func order(_ a: JSONValue?, _ b: JSONValue?) -> Int? {
        switch (a, b) {
        case (.number(let x)?, .number(let y)?): return ExactDecimal.compare(x, y)
        case (.string(let x)?, .string(let y)?):
            if x == y { return 0 }
            return x.utf16.lexicographicallyPrecedes(y.utf16) ? -1 : 1
        default: return nil
        }
    }
}
