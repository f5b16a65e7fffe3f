/// Evaluating conditions against an item. A missing attribute makes a comparison false
/// (and `<>` true) rather than an error; values of different types are simply unequal
/// and unordered. Strings and binaries compare by their bytes (UTF-8 for strings),
/// numbers exactly.

extension AttributeValue {
    /// Equality as DynamoDB sees it: strings byte for byte, numbers by value, sets and
    /// maps regardless of order, lists in order.
    func expressionEquals(_ other: AttributeValue) -> Bool {
        switch (self, other) {
        case (.s(let a), .s(let b)): return a.utf8.elementsEqual(b.utf8)
        case (.n(let a), .n(let b)): return a == b
        case (.b(let a), .b(let b)): return a == b
        case (.bool(let a), .bool(let b)): return a == b
        case (.null, .null): return true
        case (.l(let a), .l(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.expressionEquals($1) }
        case (.m(let a), .m(let b)):
            guard a.count == b.count else { return false }
            return a.allSatisfy { member in
                b.first { $0.key.utf8.elementsEqual(member.key.utf8) }.map { $0.value.expressionEquals(member.value) } ?? false
            }
        case (.ss(let a), .ss(let b)): return Set(a.map { Array($0.utf8) }) == Set(b.map { Array($0.utf8) })
        case (.ns(let a), .ns(let b)): return Set(a) == Set(b)
        case (.bs(let a), .bs(let b)): return Set(a) == Set(b)
        default: return false
        }
    }

    /// -1, 0 or 1 for two strings, numbers or binaries of the same type; nil otherwise.
    func expressionOrder(_ other: AttributeValue) -> Int? {
        switch (self, other) {
        case (.s(let a), .s(let b)): return Self.compareBytes(Array(a.utf8), Array(b.utf8))
        case (.n(let a), .n(let b)): return DynamoNumber.compare(a, b)
        case (.b(let a), .b(let b)): return Self.compareBytes(a, b)
        default: return nil
        }
    }

    static func compareBytes(_ a: [UInt8], _ b: [UInt8]) -> Int {
        for (x, y) in zip(a, b) where x != y { return x < y ? -1 : 1 }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }

    /// What `size()` gives: string length, bytes of a binary, members of a set, list or
    /// map; nil for numbers, booleans and null.
    var expressionSize: Int? {
        switch self {
        case .s(let s): return s.utf16.count
        case .b(let b): return b.count
        case .ss(let x): return x.count
        case .ns(let x): return x.count
        case .bs(let x): return x.count
        case .l(let x): return x.count
        case .m(let x): return x.count
        case .n, .bool, .null: return nil
        }
    }

    /// The value one step down a document path, if there is one.
    func child(_ element: PathElement) -> AttributeValue? {
        switch (element, self) {
        case (.name(let n), .m(let members)): return members.first { $0.key == n }?.value
        case (.index(let i), .l(let list)): return i < list.count ? list[i] : nil
        default: return nil
        }
    }
}

extension DocumentPath {
    /// The value at this path in an item, if there is one.
    public func resolve(in item: Item?) -> AttributeValue? {
        guard let item, case .name(let first)? = elements.first,
              var current = item.first(where: { $0.key == first })?.value else { return nil }
        for element in elements.dropFirst() {
            guard let next = current.child(element) else { return nil }
            current = next
        }
        return current
    }
}

extension ExpressionOperand {
    /// The operand's value for an item, nil when it refers to nothing. Only the
    /// operands of conditions (paths, values, size) are evaluated here; SET's are
    /// evaluated by the update with its own errors.
    func conditionValue(_ item: Item?) -> AttributeValue? {
        switch self {
        case .path(let p): return p.resolve(in: item)
        case .value(let v): return v
        case .size(let o):
            guard let size = o.conditionValue(item)?.expressionSize else { return nil }
            return .n(DynamoNumber(negative: false, digits: Self.decimalDigits(size), exponent: 0))
        case .ifNotExists, .listAppend, .plus, .minus:
            return nil
        }
    }

    static func decimalDigits(_ n: Int) -> [UInt8] {
        String(n).utf8.map { $0 - 48 }
    }
}

extension ExpressionCondition {
    /// Whether the condition holds for the item (`nil`: there is no item).
    func holds(for item: Item?) -> Bool {
        switch self {
        case .and(let a, let b): return a.holds(for: item) && b.holds(for: item)
        case .or(let a, let b): return a.holds(for: item) || b.holds(for: item)
        case .not(let c): return !c.holds(for: item)
        default: return comparisonHolds(for: item)
        }
    }

    /// A condition other than AND, OR and NOT (kept apart so the recursion stays small).
    func comparisonHolds(for item: Item?) -> Bool {
        switch self {
        case .and, .or, .not: return holds(for: item)
        case .compare(let a, let op, let b):
            let x = a.conditionValue(item), y = b.conditionValue(item)
            switch op {
            case .equal:
                guard let x, let y else { return false }
                return x.expressionEquals(y)
            case .notEqual:
                guard let x, let y else { return true }
                return !x.expressionEquals(y)
            case .less, .lessOrEqual, .greater, .greaterOrEqual:
                guard let x, let y, let order = x.expressionOrder(y) else { return false }
                switch op {
                case .less: return order < 0
                case .lessOrEqual: return order <= 0
                case .greater: return order > 0
                default: return order >= 0
                }
            }
        case .between(let a, let lo, let hi):
            guard let x = a.conditionValue(item), let l = lo.conditionValue(item), let h = hi.conditionValue(item),
                  let low = l.expressionOrder(x), let high = x.expressionOrder(h) else { return false }
            return low <= 0 && high <= 0
        case .in(let a, let options):
            guard let x = a.conditionValue(item) else { return false }
            return options.contains { $0.conditionValue(item).map(x.expressionEquals) ?? false }
        case .attributeExists(let p): return p.resolve(in: item) != nil
        case .attributeNotExists(let p): return p.resolve(in: item) == nil
        case .attributeType(let p, let type): return p.resolve(in: item)?.typeName == type
        case .beginsWith(let a, let b):
            switch (a.conditionValue(item), b.conditionValue(item)) {
            case (.s(let x)?, .s(let prefix)?): return x.utf8.starts(with: prefix.utf8)
            case (.b(let x)?, .b(let prefix)?): return x.starts(with: prefix)
            default: return false
            }
        case .contains(let a, let b):
            guard let x = a.conditionValue(item), let y = b.conditionValue(item) else { return false }
            return Self.contains(x, y)
        }
    }

    static func contains(_ container: AttributeValue, _ member: AttributeValue) -> Bool {
        switch (container, member) {
        case (.s(let s), .s(let part)): return containsBytes(Array(s.utf8), Array(part.utf8))
        case (.b(let b), .b(let part)): return containsBytes(b, part)
        case (.ss(let set), .s(let s)): return set.contains { $0.utf8.elementsEqual(s.utf8) }
        case (.ns(let set), .n(let n)): return set.contains(n)
        case (.bs(let set), .b(let b)): return set.contains(b)
        case (.l(let list), _): return list.contains { $0.expressionEquals(member) }
        default: return false
        }
    }

    static func containsBytes(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        if needle.isEmpty { return true }
        guard needle.count <= haystack.count else { return false }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if haystack[start..<(start + needle.count)].elementsEqual(needle) { return true }
        }
        return false
    }
}
