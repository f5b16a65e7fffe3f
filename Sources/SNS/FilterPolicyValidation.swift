import JSON

/// Turns a policy document into branches, in AWS's order: first its rule
/// compiler's checks, in document order (the shape of keys and lists, then each
/// list entry), then SNS's own limits (no nesting for MessageAttributes, five
/// keys, 150 combinations).
struct FilterPolicyParser {
    static let maxKeys = 5
    static let maxCombinations = 150
    /// Field names that stop an array from being read as `$or` alternatives.
    static let reservedNames: Set<String> = [
        "anything-but", "cidr", "equals-ignore-case", "exists", "numeric", "prefix", "suffix", "wildcard",
    ]

    let scope: FilterPolicyScope

    /// A key with its compiled list. `depth` is its nesting level (1 for a
    /// top-level key), which AWS multiplies into the complexity; `id` is document
    /// order, which settles a key listed twice in one branch: the later list
    /// replaces the earlier, as in AWS's compiler.
    struct Leaf {
        var id: Int
        var depth: Int
        var entryCount: Int
        var key: FilterPolicyKey
    }

    /// An object's keys, ANDed: its own lists and, for each `$or` inside it, the
    /// alternatives of which one must hold.
    struct Conjunction {
        var leaves: [Leaf] = []
        var alternatives: [[Conjunction]] = []
    }

    /// What reading the document found beyond the tree itself.
    private struct Reading {
        var nextID = 0
        var isNested = false
    }

    func compile(_ document: JSONValue) throws -> [FilterPolicyBranch] {
        guard case .object(let root) = document else { throw FilterPolicyError.notAnObject }
        // `{}` filters nothing out: every message passes.
        if root.isEmpty { return [FilterPolicyBranch(keys: [])] }
        var conjunction = Conjunction()
        var reading = Reading()
        try read(root, path: nil, depth: 1, into: &conjunction, &reading)

        if reading.isNested, scope == .messageAttributes { throw FilterPolicyError.nestedAttributes }
        if Set(conjunction.allLeaves.map(\.key.path)).count > Self.maxKeys { throw FilterPolicyError.tooManyKeys }
        if conjunction.combinations > Self.maxCombinations { throw FilterPolicyError.tooComplex }

        return conjunction.expanded().map { leaves in
            var latest: [String: Leaf] = [:]
            for leaf in leaves where (latest[leaf.key.path]?.id ?? -1) < leaf.id { latest[leaf.key.path] = leaf }
            return FilterPolicyBranch(keys: latest.values.sorted { $0.id < $1.id }.map(\.key))
        }
    }

    /// Reads an object's members in document order. Nested objects join the
    /// enclosing conjunction with their path extended by ".".
    private func read(_ object: JSONObject, path: String?, depth: Int, into conjunction: inout Conjunction,
                      _ reading: inout Reading) throws {
        if object.isEmpty { throw FilterPolicyError.emptyObject }
        for member in object {
            if member.key == "$or", let alternatives = Self.orAlternatives(member.value) {
                var branches: [Conjunction] = []
                for alternative in alternatives {
                    var branch = Conjunction()
                    try read(alternative, path: path, depth: depth, into: &branch, &reading)
                    branches.append(branch)
                }
                conjunction.alternatives.append(branches)
                continue
            }
            let keyPath = path.map { "\($0).\(member.key)" } ?? member.key
            switch member.value {
            case .object(let nested):
                reading.isNested = true
                try read(nested, path: keyPath, depth: depth + 1, into: &conjunction, &reading)
            case .array(let entries):
                if entries.isEmpty { throw FilterPolicyError.emptyArray }
                let key = FilterPolicyKey(path: keyPath, matchers: try entries.map(FilterPolicyMatcher.compile))
                conjunction.leaves.append(Leaf(id: reading.nextID, depth: depth, entryCount: entries.count, key: key))
                reading.nextID += 1
            default:
                throw FilterPolicyError.mustBeObjectOrArray(member.key)
            }
        }
    }

    /// `$or` is an operator only when it holds an array of at least two objects,
    /// none of which uses a match-expression name as a field; otherwise it is an
    /// ordinary key, as AWS documents.
    private static func orAlternatives(_ value: JSONValue) -> [JSONObject]? {
        guard case .array(let elements) = value, elements.count >= 2 else { return nil }
        var objects: [JSONObject] = []
        for element in elements {
            guard case .object(let object) = element,
                  !object.keys.contains(where: reservedNames.contains)
            else { return nil }
            objects.append(object)
        }
        return objects
    }
}

extension FilterPolicyParser.Conjunction {
    var allLeaves: [FilterPolicyParser.Leaf] {
        leaves + alternatives.flatMap { $0.flatMap(\.allLeaves) }
    }

    /// AWS's complexity: for each `$or` branch, the product over its keys of the
    /// number of values times the key's nesting level; summed over branches.
    /// Computed on the tree, without expanding it, and capped just above the
    /// limit so hostile nesting cannot overflow.
    var combinations: Int {
        let cap = FilterPolicyParser.maxCombinations + 1
        var total = 1
        for leaf in leaves { total = min(cap, total * min(cap, leaf.entryCount * leaf.depth)) }
        for group in alternatives {
            let sum = group.reduce(0) { min(cap, $0 + $1.combinations) }
            total = min(cap, total * sum)
        }
        return total
    }

    /// The branches of the disjunctive normal form; called only once the
    /// complexity limit holds, which bounds their number by 150.
    func expanded() -> [[FilterPolicyParser.Leaf]] {
        var branches: [[FilterPolicyParser.Leaf]] = [leaves]
        for group in alternatives {
            let options = group.flatMap { $0.expanded() }
            branches = branches.flatMap { branch in options.map { branch + $0 } }
        }
        return branches
    }
}
