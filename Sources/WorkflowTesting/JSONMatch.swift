import Foundation
import JSON
import States

/// Compares JSON values and says where they differ, one line per difference. An
/// expected object whose keys all start with `$` is a matcher: `{"$exists": true}`,
/// `{"$type": "string"}`, `{"$regex": "^txn-"}`, `{"$gt": 1}`, `{"$gte": 1}`,
/// `{"$lt": 9}`, `{"$lte": 9}`, `{"$contains": …}`, `{"$any": true}`.
enum JSONMatch {
    static let matcherKeys: Set<String> = ["$exists", "$type", "$regex", "$gt", "$gte", "$lt", "$lte", "$contains", "$any", "$ne"]

    /// Differences between `expected` and `actual` at `path`. With `subset`, objects may
    /// have members the expectation does not name.
    static func differences(_ expected: JSONValue, _ actual: JSONValue?, path: String = "$", subset: Bool) -> [String] {
        if let matcher = matcher(expected) { return check(matcher, actual, path: path) }
        guard let actual else { return ["\(path): expected \(short(expected)), got nothing (missing)"] }
        switch (expected, actual) {
        case (.object(let e), .object(let a)):
            var lines: [String] = []
            for m in e { lines += differences(m.value, a[m.key], path: child(path, m.key), subset: subset) }
            if !subset {
                for m in a where e[m.key] == nil { lines.append("\(child(path, m.key)): unexpected \(short(m.value))") }
            }
            return lines
        case (.array(let e), .array(let a)):
            var lines: [String] = []
            for (i, item) in e.enumerated() {
                lines += differences(item, i < a.count ? a[i] : nil, path: "\(path)[\(i)]", subset: subset)
            }
            if a.count > e.count {
                for i in e.count..<a.count { lines.append("\(path)[\(i)]: unexpected \(short(a[i]))") }
            }
            return lines
        case (.number(let e), .number(let a)):
            return Double(e) == Double(a) ? [] : ["\(path): expected \(e), got \(a)"]
        default:
            return expected == actual ? [] : ["\(path): expected \(short(expected)), got \(short(actual))"]
        }
    }

    static func matcher(_ value: JSONValue) -> JSONObject? {
        guard case .object(let o) = value, !o.isEmpty, o.keys.allSatisfy({ matcherKeys.contains($0) }) else { return nil }
        return o
    }

    static func check(_ matcher: JSONObject, _ actual: JSONValue?, path: String) -> [String] {
        var lines: [String] = []
        for m in matcher {
            let ok: Bool
            switch m.key {
            case "$exists": ok = (actual != nil) == (m.value.boolValue ?? true)
            case "$any": ok = true
            case "$type": ok = actual.map { $0.typeName == m.value.stringValue || ($0.typeName == "boolean" && m.value.stringValue == "bool") } ?? false
            case "$regex":
                if let pattern = m.value.stringValue, let text = actual?.stringValue,
                   let regex = try? NSRegularExpression(pattern: pattern) {
                    ok = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
                } else {
                    ok = false
                }
            case "$gt", "$gte", "$lt", "$lte":
                if case .number(let a)? = actual, case .number(let b) = m.value, let x = Double(a), let y = Double(b) {
                    ok = m.key == "$gt" ? x > y : m.key == "$gte" ? x >= y : m.key == "$lt" ? x < y : x <= y
                } else {
                    ok = false
                }
            case "$contains":
                switch actual {
                case .string(let s)?: ok = m.value.stringValue.map { s.contains($0) } ?? false
                case .array(let items)?: ok = items.contains { differences(m.value, $0, subset: true).isEmpty }
                case .object?: ok = differences(m.value, actual, subset: true).isEmpty
                default: ok = false
                }
            case "$ne": ok = actual.map { !differences(m.value, $0, subset: false).isEmpty } ?? true
            default: ok = false
            }
            if !ok {
                lines.append("\(path): expected \(m.key) \(short(m.value)), got \(actual.map(short) ?? "nothing (missing)")")
            }
        }
        return lines
    }

    static func child(_ path: String, _ key: String) -> String {
        key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) && !key.isEmpty ? "\(path).\(key)" : "\(path)['\(key)']"
    }

    /// A value for a diff line: short values whole, long ones cut.
    static func short(_ value: JSONValue) -> String {
        let text = value.jsonString
        return text.count > 120 ? String(text.prefix(117)) + "…" : text
    }
}

/// JSONPath lookups for `outputMatches`.
enum JSONPathLookup {
    static func path(_ text: String) throws -> JSONPath {
        do {
            return try JSONPath.parse(text)
        } catch {
            throw FixtureError("outputMatches: \(text) is not a JSONPath.")
        }
    }

    /// The value at `path` in `value`; nil when the path selects nothing.
    static func value(at path: String, in value: JSONValue) -> JSONValue? {
        guard let p = try? JSONPath.parse(path) else { return nil }
        return try? p.evaluate(in: EvaluationScope(input: value), field: "outputMatches")
    }
}
