import Foundation
import JSON

/// `--update`: writes actual results into the expectations each test lists under
/// `"update"` (`true` means status, output and states). JSON fixtures are rewritten
/// (two-space indent, key order kept); YAML fixtures are left alone and reported.
public enum FixtureUpdater {
    /// What was written, one line per file.
    public static func update(_ results: [TestResult]) -> [String] {
        var byFile: [String: [TestResult]] = [:]
        for r in results where !r.test.update.isEmpty && r.actual != nil { byFile[r.test.file, default: []].append(r) }
        var report: [String] = []
        for file in byFile.keys.sorted() {
            guard file.hasSuffix(".json") else {
                report.append("\(file): YAML fixtures are not rewritten; update them by hand")
                continue
            }
            guard let data = FileManager.default.contents(atPath: file), var document = try? JSONValue.parse(Array(data)) else { continue }
            var count = 0
            for r in byFile[file]! {
                guard let actual = r.actual else { continue }
                document = updating(document, test: r.test.index, keys: r.test.update, actual: actual)
                count += 1
            }
            do {
                try (PrettyJSON.render(document) + "\n").write(toFile: file, atomically: true, encoding: .utf8)
                report.append("\(file): updated \(count) test\(count == 1 ? "" : "s")")
            } catch {
                report.append("\(file): cannot be written: \(error)")
            }
        }
        return report
    }

    static func updating(_ document: JSONValue, test index: Int, keys: [String], actual: ActualRun) -> JSONValue {
        guard case .object(var root) = document else { return document }
        if case .array(var tests)? = root["tests"], index < tests.count, case .object(var test) = tests[index] {
            test["expect"] = .object(expect(test["expect"]?.objectValue ?? JSONObject(), keys: keys, actual: actual))
            tests[index] = .object(test)
            root["tests"] = .array(tests)
        } else if root["tests"] == nil {
            root["expect"] = .object(expect(root["expect"]?.objectValue ?? JSONObject(), keys: keys, actual: actual))
        }
        return .object(root)
    }

    static func expect(_ current: JSONObject, keys: [String], actual: ActualRun) -> JSONObject {
        var e = current
        for key in keys {
            switch key {
            case "status": e["status"] = .string(actual.status)
            case "output": e["output"] = actual.output ?? .null
            case "states": e["states"] = .array(actual.states.map { .string($0) })
            case "error": e["error"] = actual.error.map { .string($0) } ?? .null
            case "cause": e["cause"] = actual.cause.map { .string($0) } ?? .null
            case "variables": e["variables"] = actual.variables
            case "history": e["history"] = .array(actual.history.map { .string($0.type) })
            case "virtualSeconds": e["virtualSeconds"] = .number(String(actual.virtualSeconds))
            case "retries":
                var r = JSONObject()
                for k in actual.retries.keys.sorted() { r[k] = .integer(actual.retries[k]!) }
                e["retries"] = .object(r)
            default: continue
            }
        }
        return e
    }
}

/// JSON with two-space indentation, as people write fixtures.
enum PrettyJSON {
    static func render(_ value: JSONValue, indent: String = "") -> String {
        let inner = indent + "  "
        switch value {
        case .object(let o) where !o.isEmpty:
            let members = o.map { "\(inner)\(JSONValue.string($0.key).jsonString): \(render($0.value, indent: inner))" }
            return "{\n" + members.joined(separator: ",\n") + "\n\(indent)}"
        case .array(let a) where !a.isEmpty:
            if a.allSatisfy({ if case .object = $0 { return false }; if case .array = $0 { return false }; return true }),
               a.map(\.jsonString).joined(separator: ", ").count < 100 {
                return "[" + a.map(\.jsonString).joined(separator: ", ") + "]"
            }
            return "[\n" + a.map { inner + render($0, indent: inner) }.joined(separator: ",\n") + "\n\(indent)]"
        default:
            return value.jsonString
        }
    }
}
