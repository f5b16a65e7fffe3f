/// Applying an update to an item. Every value is worked out from the item as it was
/// before the update (`SET a = b REMOVE b` copies the old b), and list indexes mean
/// positions in the old list (`REMOVE a[1] SET a[3] = :v` writes the old a[3]).
extension UpdateExpression {
    static let incorrectType = "An operand in the update expression has an incorrect data type"
    static let missingAttribute = "The provided expression refers to an attribute that does not exist in the item"
    static let invalidPath = "The document path provided in the update expression is invalid for update"

    enum Failure: Error {
        case type, missing, path
        case number(DynamoNumber.Failure)

        var error: DynamoDBError {
            switch self {
            case .type: return .validation(UpdateExpression.incorrectType)
            case .missing: return .validation(UpdateExpression.missingAttribute)
            case .path: return .validation(UpdateExpression.invalidPath)
            case .number(let f): return UpdateExpression.numberError(f)
            }
        }
    }

    static func numberError(_ failure: DynamoNumber.Failure) -> DynamoDBError {
        switch failure {
        case .overflow: return .validation("Number overflow. Attempting to store a number with magnitude larger than supported range")
        case .underflow: return .validation("Number underflow. Attempting to store a number with magnitude smaller than supported range")
        case .tooManyDigits: return .validation("DynamoDB only supports precision up to 38 digits")
        case .notANumber: return .validation("A value provided cannot be converted into a number")
        }
    }

    /// Applies the update. `itemExists: false` says `item` holds only the key of an item
    /// that is not there yet (DynamoDB then ignores REMOVE and DELETE of nested paths).
    /// Returns the new item and the top-level attributes the update wrote.
    public func apply(to item: Item, itemExists: Bool = true) throws -> (item: Item, updatedAttributes: Set<String>) {
        let base: Item? = item
        // 1. A path whose parent is there but is not the map or list the path needs.
        for action in actions where action.path.elements.count > 1 {
            if parent(of: action.path, in: base) != nil, !writable(action.path, in: base) { throw Failure.path.error }
        }
        // 2. Types, in writing order; a SET reading a missing attribute fails later.
        var values: [AttributeValue?] = Array(repeating: nil, count: actions.count)
        var deferred: [Failure?] = Array(repeating: nil, count: actions.count)
        for (i, action) in actions.enumerated() {
            switch action {
            case .set(_, let operand):
                do { values[i] = try Self.setValue(operand, base) } catch let failure as Failure {
                    if case .type = failure { throw failure.error }
                    deferred[i] = failure
                }
            case .add(let path, let v):
                guard writable(path, in: base), let current = path.resolve(in: base) else { values[i] = v; continue }
                switch (current, v) {
                case (.n(let a), .n(let b)):
                    do { values[i] = .n(try a + b) } catch { throw Self.numberError(error) }
                case (.ss, .ss), (.ns, .ns), (.bs, .bs):
                    values[i] = Self.union(current, v)
                default:
                    throw Failure.type.error
                }
            case .delete(let path, let v):
                guard writable(path, in: base), let current = path.resolve(in: base) else { continue }
                guard current.typeName == v.typeName else { throw Failure.type.error }
                values[i] = Self.difference(current, v)
            case .remove:
                break
            }
        }
        // 3. Section by section from the last: paths that can't be written, then
        //    attributes a SET reads that aren't there, then numbers out of range.
        for clause in Set(clauseIndexes).sorted(by: >) {
            let inClause = actions.indices.filter { clauseIndexes[$0] == clause }
            for i in inClause where !writable(actions[i].path, in: base) {
                switch actions[i] {
                case .remove, .delete:
                    if itemExists { throw Failure.path.error }
                default:
                    throw Failure.path.error
                }
            }
            for i in inClause {
                if let failure = deferred[i], case .missing = failure { throw failure.error }
            }
        }
        for failure in deferred.compactMap({ $0 }) { throw failure.error }

        // 4. Write everything into a copy of the item.
        var tree = WriteTree()
        for (i, action) in actions.enumerated() {
            switch action {
            case .set, .add: tree.insert(action.path.elements[...], .set(values[i]!))
            case .remove: tree.insert(action.path.elements[...], .remove)
            case .delete:
                guard let v = values[i] else { continue }
                tree.insert(action.path.elements[...], v.isEmptySet ? .remove : .set(v))
            }
        }
        return (tree.apply(to: item), updatedAttributes)
    }

    /// The value a SET writes, worked out from the old item. Nested functions recurse
    /// through here and the two helpers below, which keep their frames small.
    static func setValue(_ operand: ExpressionOperand, _ item: Item?) throws -> AttributeValue {
        switch operand {
        case .value(let v): return v
        case .path(let p):
            guard let v = p.resolve(in: item) else { throw Failure.missing }
            return v
        case .ifNotExists(let p, let fallback):
            if let v = p.resolve(in: item) { return v }
            return try setValue(fallback, item)
        case .listAppend(let a, let b):
            return try listAppend(try setValue(a, item), b, item)
        case .plus(let a, let b), .minus(let a, let b):
            return try arithmetic(operand, try setValue(a, item), b, item)
        case .size:
            throw Failure.type
        }
    }

    static func listAppend(_ first: AttributeValue, _ second: ExpressionOperand, _ item: Item?) throws -> AttributeValue {
        guard case .l(let x) = first else { throw Failure.type }
        guard case .l(let y) = try setValue(second, item) else { throw Failure.type }
        return .l(x + y)
    }

    static func arithmetic(_ operand: ExpressionOperand, _ first: AttributeValue, _ second: ExpressionOperand, _ item: Item?) throws -> AttributeValue {
        guard case .n(let x) = first else { throw Failure.type }
        guard case .n(let y) = try setValue(second, item) else { throw Failure.type }
        do {
            if case .plus = operand { return .n(try x + y) }
            return .n(try x - y)
        } catch {
            throw Failure.number(error)
        }
    }

    static func union(_ a: AttributeValue, _ b: AttributeValue) -> AttributeValue {
        switch (a, b) {
        case (.ss(let x), .ss(let y)): return .ss(x + y.filter { s in !x.contains { $0.utf8.elementsEqual(s.utf8) } })
        case (.ns(let x), .ns(let y)): return .ns(x + y.filter { !x.contains($0) })
        case (.bs(let x), .bs(let y)): return .bs(x + y.filter { !x.contains($0) })
        default: return a
        }
    }

    static func difference(_ a: AttributeValue, _ b: AttributeValue) -> AttributeValue {
        switch (a, b) {
        case (.ss(let x), .ss(let y)): return .ss(x.filter { s in !y.contains { $0.utf8.elementsEqual(s.utf8) } })
        case (.ns(let x), .ns(let y)): return .ns(x.filter { !y.contains($0) })
        case (.bs(let x), .bs(let y)): return .bs(x.filter { !y.contains($0) })
        default: return a
        }
    }

    func parent(of path: DocumentPath, in item: Item?) -> AttributeValue? {
        guard path.elements.count > 1 else { return nil }
        return DocumentPath(Array(path.elements.dropLast())).resolve(in: item)
    }

    /// Whether the place a path writes to can exist: a top-level attribute always can;
    /// a nested one needs its parent to be a map (for a name) or a list (for an index).
    func writable(_ path: DocumentPath, in item: Item?) -> Bool {
        guard path.elements.count > 1 else { return true }
        switch (path.elements.last!, parent(of: path, in: item)) {
        case (.name, .m?), (.index, .l?): return true
        default: return false
        }
    }
}

extension AttributeValue {
    var isEmptySet: Bool {
        switch self {
        case .ss(let x): return x.isEmpty
        case .ns(let x): return x.isEmpty
        case .bs(let x): return x.isEmpty
        default: return false
        }
    }
}

/// The writes of one update as a tree over the item. Paths never overlap, so a node
/// with a write has no children.
struct WriteTree {
    enum Write { case set(AttributeValue), remove }

    var write: Write?
    var children: [PathElement: WriteTree] = [:]
    /// Children in the order they were first written, for stable output.
    var order: [PathElement] = []

    mutating func insert(_ elements: ArraySlice<PathElement>, _ write: Write) {
        guard let first = elements.first else { self.write = write; return }
        if children[first] == nil { order.append(first) }
        children[first, default: WriteTree()].insert(elements.dropFirst(), write)
    }

    /// The item with the writes made; new attributes go at the end.
    func apply(to item: Item) -> Item {
        applyMembers(item)
    }

    private func applyMembers(_ members: [(key: String, value: AttributeValue)]) -> [(key: String, value: AttributeValue)] {
        var out: [(key: String, value: AttributeValue)] = []
        for (k, v) in members {
            guard let node = children[.name(k)] else { out.append((key: k, value: v)); continue }
            switch node.write {
            case .set(let new)?: out.append((key: k, value: new))
            case .remove?: continue
            case nil: out.append((key: k, value: node.apply(to: v)))
            }
        }
        for element in order {
            guard case .name(let k) = element, !members.contains(where: { $0.key == k }),
                  case .set(let new)? = children[element]!.write else { continue }
            out.append((key: k, value: new))
        }
        return out
    }

    /// A nested map or list with the writes below it made.
    private func apply(to value: AttributeValue) -> AttributeValue {
        switch value {
        case .m(let members):
            return .m(applyMembers(members))
        case .l(let list):
            var out: [AttributeValue] = []
            for (i, element) in list.enumerated() {
                guard let node = children[.index(i)] else { out.append(element); continue }
                switch node.write {
                case .set(let new)?: out.append(new)
                case .remove?: continue
                case nil: out.append(node.apply(to: element))
                }
            }
            // Elements set past the end are appended, in index order.
            let appended = children.keys.compactMap { e -> Int? in
                if case .index(let i) = e, i >= list.count { return i }
                return nil
            }.sorted()
            for i in appended {
                if case .set(let new)? = children[.index(i)]!.write { out.append(new) }
            }
            return .l(out)
        default:
            return value
        }
    }
}
