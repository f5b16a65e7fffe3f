import Foundation

/// The report a person reads: per file, each test with its path; for a failure the
/// differences and the state where the run parted from the expectation.
public enum TextReport {
    public static func render(_ results: [TestResult], loadErrors: [(file: String, message: String)] = [], seconds: Double,
                              verbose: Bool = true) -> String {
        var out = ""
        var currentFile: String?
        for r in results {
            if r.test.file != currentFile {
                currentFile = r.test.file
                out += "\(r.test.file)  (\(r.test.definitionName))\n"
            }
            let ms = String(format: "%.1f ms", r.seconds * 1000)
            switch r.outcome {
            case .passed:
                out += "  ✓ \(r.test.name)  \(ms)\n"
                if verbose, let actual = r.actual { out += "      \(Trace.render(actual.trace, actual: actual))\n" }
            case .failed:
                out += "  ✗ \(r.test.name)  \(ms)\n"
                if let actual = r.actual { out += "      path: \(Trace.render(actual.trace, actual: actual))\n" }
                for m in r.mismatches {
                    out += "      \(m.field)" + (m.divergedAt.map { " (diverged at \($0))" } ?? "") + ":\n"
                    for line in m.lines { out += "        \(line)\n" }
                }
            case .error(let message):
                out += "  ! \(r.test.name): \(message)\n"
            }
        }
        for e in loadErrors { out += "! \(e.message)\n" }
        let passed = results.filter(\.passed).count
        let failed = results.filter { $0.outcome == .failed }.count
        let errors = results.count - passed - failed + loadErrors.count
        out += "\n\(results.count) tests: \(passed) passed, \(failed) failed"
        if errors > 0 { out += ", \(errors) errors" }
        out += String(format: " (%.2f s)\n", seconds)
        return out
    }
}
