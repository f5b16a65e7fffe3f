/// How a WHERE clause splits into key conditions and the rest: for a SELECT, whether it
/// can be a Query; for an UPDATE or DELETE, the item's key.
enum PartiQLKeyConditions {
    /// The conditions that must all hold (the top-level AND terms).
    static func conjuncts(_ c: PartiQLCondition) -> [PartiQLCondition] {
        if case .and(let a, let b) = c { return conjuncts(a) + conjuncts(b) }
        return [c]
    }

    /// The value `c` pins `attribute` to, when `c` is `attribute = value` (either way round).
    static func equality(_ c: PartiQLCondition, attribute: String) -> AttributeValue? {
        guard case .compare(let a, .equal, let b) = c else { return nil }
        switch (a, b) {
        case (.path(let p), .value(let v)) where p.elements == [.name(attribute)]: return v
        case (.value(let v), .path(let p)) where p.elements == [.name(attribute)]: return v
        default: return nil
        }
    }

    /// Whether any path of `c` starts at `attribute`.
    static func references(_ c: PartiQLCondition, _ attribute: String) -> Bool {
        func operand(_ o: PartiQLOperand) -> Bool {
            switch o {
            case .path(let p): return p.attribute == attribute
            case .value: return false
            case .size(let inner): return operand(inner)
            }
        }
        switch c {
        case .compare(let a, _, let b): return operand(a) || operand(b)
        case .between(let x, let low, let high): return operand(x) || operand(low) || operand(high)
        case .in(let x, let list): return operand(x) || list.contains(where: operand)
        case .function(_, let args): return args.contains(where: operand)
        case .and(let a, let b), .or(let a, let b): return references(a, attribute) || references(b, attribute)
        case .not(let x): return references(x, attribute)
        }
    }

    /// A Query's key conditions and filter, or nil when the WHERE clause does not pin the
    /// partition key by exactly one equality of the key's type, or uses the key
    /// attributes in ways a key condition cannot state (a Query's filter may not name them).
    static func query(_ condition: PartiQLCondition, key: KeySchema) -> (keys: [PartiQLCondition], filter: [PartiQLCondition])? {
        var rest = conjuncts(condition)
        let hash = key.hash
        let pinned = rest.indices.filter { equality(rest[$0], attribute: hash.name) != nil }
        guard pinned.count == 1, let value = equality(rest[pinned[0]], attribute: hash.name), value.typeName == hash.type else {
            return nil
        }
        rest.remove(at: pinned[0])
        guard !rest.contains(where: { references($0, hash.name) }) else { return nil }
        var keys: [PartiQLCondition] = [.compare(.path(DocumentPath([.name(hash.name)])), .equal, .value(value))]
        if let range = key.range {
            let onRange = rest.indices.filter { references(rest[$0], range.name) }
            if onRange.count > 1 { return nil }
            if let i = onRange.first {
                guard let sortCondition = sortKeyCondition(rest[i], range: range) else { return nil }
                keys.append(sortCondition)
                rest.remove(at: i)
            }
        }
        return (keys, rest)
    }

    /// `c` as a sort-key condition (path first), when a KeyConditionExpression can state it.
    static func sortKeyCondition(_ c: PartiQLCondition, range: KeyAttribute) -> PartiQLCondition? {
        let keyPath = DocumentPath([.name(range.name)])
        func matches(_ v: AttributeValue) -> Bool { v.typeName == range.type }
        switch c {
        case .compare(.path(let p), let op, .value(let v)) where p == keyPath && op != .notEqual && matches(v):
            return c
        case .compare(.value(let v), let op, .path(let p)) where p == keyPath && op != .notEqual && matches(v):
            let flipped: PartiQLComparator
            switch op {
            case .less: flipped = .greater
            case .lessOrEqual: flipped = .greaterOrEqual
            case .greater: flipped = .less
            case .greaterOrEqual: flipped = .lessOrEqual
            default: flipped = op
            }
            return .compare(.path(p), flipped, .value(v))
        case .between(.path(let p), .value(let a), .value(let b)) where p == keyPath && matches(a) && matches(b):
            return c
        case .function("begins_with", let args) where range.type != "N":
            guard args.count == 2, case .path(let p) = args[0], p == keyPath, case .value(let v) = args[1], matches(v) else { return nil }
            return c
        default:
            return nil
        }
    }

    /// The key an UPDATE or DELETE acts on (each key attribute pinned by one top-level
    /// equality) and the WHERE clause's other conditions.
    static func item(_ condition: PartiQLCondition, key: KeySchema) throws -> (Item, [PartiQLCondition]) {
        var rest = conjuncts(condition)
        var keyItem: Item = []
        for attribute in [key.hash] + (key.range.map { [$0] } ?? []) {
            let pinned = rest.indices.filter { equality(rest[$0], attribute: attribute.name) != nil }
            guard let first = pinned.first, let value = equality(rest[first], attribute: attribute.name) else {
                throw PartiQLError.incompleteKey
            }
            if pinned.count > 1 { throw PartiQLError.multipleKeyConditions(attribute.name) }
            keyItem.append((attribute.name, value))
            rest.remove(at: first)
        }
        for attribute in [key.hash] + (key.range.map { [$0] } ?? []) where rest.contains(where: { references($0, attribute.name) }) {
            throw PartiQLError.multipleKeyConditions(attribute.name)
        }
        return (keyItem, rest)
    }
}
