import JSON

/// A scalar from a message, typed the way the filter engine sees it: SNS turns a
/// `String` attribute into a JSON string and a `Number` attribute into a JSON
/// number, so attributes and bodies share one set of match rules.
enum FilterPolicyValue: Sendable, Equatable {
    case string(String)
    /// A number as written, compared numerically where it is in range.
    case number(String)
    case bool(Bool)
    case null
}

/// One value found at a key, with the array elements it came through. Two keys
/// of one branch match only values taken from the same element of any array they
/// share (AWS's array consistency): `{"a":[{"x":1,"y":2},{"x":3,"y":4}]}` does not
/// match `x = 1 AND y = 4`.
struct FilterPolicyLeaf: Sendable {
    struct ArrayStep: Sendable, Equatable {
        var array: Int
        var index: Int
    }
    var value: FilterPolicyValue
    var trail: [ArrayStep] = []

    /// The values of one message attribute. `String.Array` contributes each element;
    /// Binary (and any type SNS does not compare) contributes nothing, so the key
    /// reads as absent.
    static func attribute(dataType: String, value: String) -> [FilterPolicyLeaf] {
        if dataType == "String.Array" {
            guard case .array(let elements)? = try? JSONValue.parse(value) else { return [] }
            var leaves: [FilterPolicyLeaf] = []
            collectScalars(elements, into: &leaves)
            return leaves
        }
        switch dataType.split(separator: ".", maxSplits: 1).first {
        case "String": return [FilterPolicyLeaf(value: .string(value))]
        case "Number": return [FilterPolicyLeaf(value: .number(value))]
        default: return []
        }
    }

    private static func collectScalars(_ elements: [JSONValue], into leaves: inout [FilterPolicyLeaf]) {
        for element in elements {
            switch element {
            case .array(let nested): collectScalars(nested, into: &leaves)
            case .object: continue
            case .string(let s): leaves.append(FilterPolicyLeaf(value: .string(s)))
            case .number(let n): leaves.append(FilterPolicyLeaf(value: .number(n)))
            case .bool(let b): leaves.append(FilterPolicyLeaf(value: .bool(b)))
            case .null: leaves.append(FilterPolicyLeaf(value: .null))
            }
        }
    }

    /// The body's scalars at the policy's key paths. Nested keys join with ".", so
    /// `{"a":{"b":1}}` and `{"a.b":1}` both put 1 at `a.b`, as AWS does; arrays
    /// contribute every element. Only branches leading to a policy key are walked.
    static func flatten(_ body: JSONObject, keeping keyPaths: Set<String>,
                        through prefixes: Set<String>) -> [String: [FilterPolicyLeaf]] {
        var walker = BodyWalker(keyPaths: keyPaths, prefixes: prefixes)
        walker.walk(members: body, under: nil, trail: [])
        return walker.found
    }
}

private struct BodyWalker {
    let keyPaths: Set<String>
    let prefixes: Set<String>
    var found: [String: [FilterPolicyLeaf]] = [:]
    var nextArray = 0

    mutating func walk(members: JSONObject, under parent: String?, trail: [FilterPolicyLeaf.ArrayStep]) {
        for member in members {
            let path = parent.map { "\($0).\(member.key)" } ?? member.key
            guard keyPaths.contains(path) || prefixes.contains(path) else { continue }
            walk(member.value, at: path, trail: trail)
        }
    }

    mutating func walk(_ value: JSONValue, at path: String, trail: [FilterPolicyLeaf.ArrayStep]) {
        let scalar: FilterPolicyValue
        switch value {
        case .object(let object):
            walk(members: object, under: path, trail: trail)
            return
        case .array(let elements):
            let array = nextArray
            nextArray += 1
            for (index, element) in elements.enumerated() {
                walk(element, at: path, trail: trail + [.init(array: array, index: index)])
            }
            return
        case .string(let s): scalar = .string(s)
        case .number(let n): scalar = .number(n)
        case .bool(let b): scalar = .bool(b)
        case .null: scalar = .null
        }
        if keyPaths.contains(path) {
            found[path, default: []].append(FilterPolicyLeaf(value: scalar, trail: trail))
        }
    }
}

extension FilterPolicyBranch {
    /// Every key is satisfied: by a matching value, by any value for
    /// `exists: true`, or by absence for `exists: false`; and the values chosen
    /// are array-consistent.
    func matches(_ values: [String: [FilterPolicyLeaf]]) -> Bool {
        var chosen: [[FilterPolicyLeaf]] = []
        for key in keys {
            let leaves = values[key.path] ?? []
            if leaves.isEmpty {
                if key.acceptsAbsence { continue }
                return false
            }
            let candidates = key.candidates(among: leaves)
            if candidates.isEmpty { return false }
            chosen.append(candidates)
        }
        if chosen.allSatisfy({ $0.contains { $0.trail.isEmpty } }) { return true }
        var elements: [Int: Int] = [:]
        return consistent(chosen[...], &elements)
    }

    /// Backtracks over one candidate per key; arrays seen so far are pinned to the
    /// element first chosen from them.
    private func consistent(_ remaining: ArraySlice<[FilterPolicyLeaf]>, _ elements: inout [Int: Int]) -> Bool {
        guard let candidates = remaining.first else { return true }
        for leaf in candidates where leaf.trail.allSatisfy({ elements[$0.array, default: $0.index] == $0.index }) {
            var pinned = elements
            for step in leaf.trail { pinned[step.array] = step.index }
            if consistent(remaining.dropFirst(), &pinned) { return true }
        }
        return false
    }
}
