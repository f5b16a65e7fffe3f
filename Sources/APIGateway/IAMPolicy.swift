import JSON

/// The policy a Lambda authorizer returns, evaluated as API Gateway does for both
/// HTTP and WebSocket APIs: an explicit Deny wins, then an Allow of
/// `execute-api:Invoke` on the resource ARN; no matching statement denies.
enum IAMPolicy {
    enum Decision: Equatable { case allow, deny, malformed }

    static func evaluate(_ document: JSONObject, resource: String) -> Decision {
        guard let statement = document["Statement"] else { return .malformed }
        var allowed = false
        for statement in statement.arrayValue ?? [statement] {
            guard let effect = statement["Effect"]?.stringValue else { return .malformed }
            guard strings(statement["Action"]).contains(where: { wildcard($0, matches: "execute-api:Invoke") }),
                  strings(statement["Resource"]).contains(where: { wildcard($0, matches: resource) }) else { continue }
            if effect == "Deny" { return .deny }
            if effect == "Allow" { allowed = true }
        }
        return allowed ? .allow : .deny
    }

    static func strings(_ value: JSONValue?) -> [String] {
        value?.stringValue.map { [$0] } ?? value?.arrayValue?.compactMap(\.stringValue) ?? []
    }

    /// IAM's `*` (any run of characters) and `?` (one character).
    static func wildcard(_ pattern: String, matches text: String) -> Bool {
        let p = Array(pattern), t = Array(text)
        var pi = 0, ti = 0, star = -1, mark = 0
        while ti < t.count {
            if pi < p.count && (p[pi] == "?" || p[pi] == t[ti]) {
                pi += 1; ti += 1
            } else if pi < p.count && p[pi] == "*" {
                star = pi; mark = ti; pi += 1
            } else if star >= 0 {
                pi = star + 1; mark += 1; ti = mark
            } else {
                return false
            }
        }
        while pi < p.count && p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}
