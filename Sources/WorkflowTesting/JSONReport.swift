import JSON
import States

/// The machine-readable report: every test with its outcome, path and differences.
public enum JSONReport {
    public static func render(_ results: [TestResult], loadErrors: [(file: String, message: String)] = [], seconds: Double,
                              coverage: [DefinitionCoverage]? = nil) -> JSONValue {
        let passed = results.filter(\.passed).count
        let failed = results.filter { $0.outcome == .failed }.count
        var o: JSONObject = [
            "tests": .integer(results.count), "passed": .integer(passed), "failed": .integer(failed),
            "errors": .integer(results.count - passed - failed + loadErrors.count), "seconds": .number(String(format: "%.3f", seconds)),
        ]
        o["results"] = .array(results.map(result))
        o["loadErrors"] = .array(loadErrors.map { ["file": .string($0.file), "message": .string($0.message)] })
        if let coverage { o["coverage"] = .array(coverage.map(\.json)) }
        return .object(o)
    }

    static func result(_ r: TestResult) -> JSONValue {
        var o: JSONObject = ["file": .string(r.test.file), "name": .string(r.test.name), "definition": .string(r.test.definitionPath)]
        switch r.outcome {
        case .passed: o["outcome"] = "passed"
        case .failed: o["outcome"] = "failed"
        case .error(let message): o["outcome"] = "error"; o["message"] = .string(message)
        }
        o["milliseconds"] = .number(String(format: "%.3f", r.seconds * 1000))
        if let a = r.actual {
            o["status"] = .string(a.status)
            if let output = a.output { o["output"] = output }
            if let error = a.error { o["error"] = .string(error) }
            if let cause = a.cause { o["cause"] = .string(cause) }
            o["states"] = .array(a.states.map { .string($0) })
            var retries = JSONObject()
            for key in a.retries.keys.sorted() { retries[key] = .integer(a.retries[key]!) }
            o["retries"] = .object(retries)
            o["variables"] = a.variables
            o["virtualSeconds"] = .number(String(a.virtualSeconds))
            o["trace"] = .string(Trace.render(a.trace, actual: a))
            o["history"] = .array(a.history.map { e in
                var h: JSONObject = ["id": .integer(e.id), "type": .string(e.type), "timestamp": .string(Timestamp.format(milliseconds: e.timestamp))]
                if let name = e.details?["name"] { h["name"] = name }
                return .object(h)
            })
        }
        o["mismatches"] = .array(r.mismatches.map { m in
            var mo: JSONObject = ["field": .string(m.field), "lines": .array(m.lines.map { .string($0) })]
            if let d = m.divergedAt { mo["divergedAt"] = .string(d) }
            return .object(mo)
        })
        return .object(o)
    }
}
