import JSON

/// Which part of a published message a subscription's filter policy looks at.
public enum FilterPolicyScope: String, Sendable {
    case messageAttributes = "MessageAttributes"
    case messageBody = "MessageBody"
}

/// A subscription filter policy, parsed and validated once when it is set, then
/// evaluated against every message published to the topic.
///
/// The policy is held in disjunctive normal form: `$or` is expanded at parse time
/// into branches (at most 150, the complexity limit bounds them), each branch a
/// conjunction of keys, each key a list of alternative match expressions. Matching
/// walks only the message values the policy names, so a publish fanned out to many
/// subscriptions stays cheap.
public struct FilterPolicy: Sendable {
    public let scope: FilterPolicyScope
    /// Alternatives from `$or`; the message matches when any branch matches.
    let branches: [FilterPolicyBranch]
    /// Every key path the policy names, so matching reads nothing else.
    let keyPaths: Set<String>
    /// The body paths that lead to a named key ("a" and "a.b" for "a.b.c"): the
    /// body is walked only along these.
    let pathPrefixes: Set<String>

    /// Parses and validates; throws FilterPolicyError whose `message` is AWS's text after "Invalid parameter: FilterPolicy: ".
    public init(json: String, scope: FilterPolicyScope) throws {
        let document: JSONValue
        do {
            document = try JSONValue.parse(json)
        } catch {
            throw FilterPolicyError.unparsableJSON
        }
        let compiled = try FilterPolicyParser(scope: scope).compile(document)
        self.scope = scope
        self.branches = compiled
        let paths = Set(compiled.flatMap { $0.keys.map(\.path) })
        self.keyPaths = paths
        self.pathPrefixes = Set(paths.flatMap { path in
            path.indices.filter { path[$0] == "." }.map { String(path[..<$0]) }
        })
    }

    /// `attributes`: SNS message attributes as name -> (dataType, stringValue) e.g. ("String", "red"), ("Number", "5"), ("String.Array", "[\"a\",1]"), ("Binary", base64) — Binary attributes never match.
    public func matches(attributes: [String: (dataType: String, value: String)]) -> Bool {
        var values: [String: [FilterPolicyLeaf]] = [:]
        for path in keyPaths {
            guard let attribute = attributes[path] else { continue }
            let leaves = FilterPolicyLeaf.attribute(dataType: attribute.dataType, value: attribute.value)
            if !leaves.isEmpty { values[path] = leaves }
        }
        return branches.contains { $0.matches(values) }
    }

    /// The message body parsed as JSON (scope MessageBody); a body that is not a JSON object matches nothing.
    public func matches(body: JSONValue) -> Bool {
        guard case .object(let object) = body else { return false }
        let values = FilterPolicyLeaf.flatten(object, keeping: keyPaths, through: pathPrefixes)
        return branches.contains { $0.matches(values) }
    }
}

/// One `$or` alternative: every key must match.
struct FilterPolicyBranch: Sendable {
    var keys: [FilterPolicyKey]
}

/// A key (an attribute name, or a body path joined with ".") and the match
/// expressions listed for it, any one of which may match.
struct FilterPolicyKey: Sendable {
    var path: String
    var matchers: [FilterPolicyMatcher]
    /// `{"exists": true}` is listed: any value at all satisfies the key.
    var acceptsAnyValue: Bool
    /// `{"exists": false}` is listed: the key's absence satisfies it.
    var acceptsAbsence: Bool

    init(path: String, matchers: [FilterPolicyMatcher]) {
        self.path = path
        self.matchers = matchers.filter { if case .exists = $0 { return false } else { return true } }
        self.acceptsAnyValue = matchers.contains { if case .exists(true) = $0 { return true } else { return false } }
        self.acceptsAbsence = matchers.contains { if case .exists(false) = $0 { return true } else { return false } }
    }

    /// The message values at this key that satisfy one of its match expressions.
    func candidates(among leaves: [FilterPolicyLeaf]) -> [FilterPolicyLeaf] {
        if acceptsAnyValue { return leaves }
        return leaves.filter { leaf in matchers.contains { $0.matches(leaf.value) } }
    }
}
