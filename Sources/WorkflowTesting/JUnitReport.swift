import Foundation

/// JUnit XML as CI systems read it: `<testsuites>` → one `<testsuite>` per fixture
/// file → `<testcase>` with `<failure>` or `<error>`, and the path in `<system-out>`.
public enum JUnitReport {
    public static func render(_ results: [TestResult], loadErrors: [(file: String, message: String)] = [], seconds: Double) -> String {
        var files: [String] = []
        var byFile: [String: [TestResult]] = [:]
        for r in results {
            if byFile[r.test.file] == nil { files.append(r.test.file) }
            byFile[r.test.file, default: []].append(r)
        }
        let failures = results.filter { $0.outcome == .failed }.count
        let errors = results.filter { if case .error = $0.outcome { return true } else { return false } }.count + loadErrors.count
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"offcloud test\" tests=\"\(results.count + loadErrors.count)\" failures=\"\(failures)\" "
            + "errors=\"\(errors)\" time=\"\(time(seconds))\">\n"
        let timestamp = ISO8601DateFormatter().string(from: Date()).replacingOccurrences(of: "Z", with: "")
        for (n, file) in files.enumerated() {
            let rs = byFile[file]!
            let f = rs.filter { $0.outcome == .failed }.count
            let e = rs.filter { if case .error = $0.outcome { return true } else { return false } }.count
            out += "  <testsuite name=\"\(escape(file))\" id=\"\(n)\" tests=\"\(rs.count)\" failures=\"\(f)\" errors=\"\(e)\" "
                + "skipped=\"0\" time=\"\(time(rs.reduce(0) { $0 + $1.seconds }))\" timestamp=\"\(timestamp)\" hostname=\"localhost\">\n"
            for r in rs {
                out += "    <testcase name=\"\(escape(r.test.name))\" classname=\"\(escape(className(r.test)))\" time=\"\(time(r.seconds))\""
                var body = ""
                switch r.outcome {
                case .passed: break
                case .failed:
                    let message = r.mismatches.map { "\($0.field): \($0.lines.first ?? "")" }.joined(separator: "; ")
                    var text = ""
                    for m in r.mismatches {
                        text += "\(m.field)" + (m.divergedAt.map { " (diverged at \($0))" } ?? "") + ":\n"
                        for line in m.lines { text += "  \(line)\n" }
                    }
                    body += "      <failure message=\"\(escape(message))\" type=\"AssertionError\">\(escape(text))</failure>\n"
                case .error(let message):
                    body += "      <error message=\"\(escape(message))\" type=\"FixtureError\">\(escape(message))</error>\n"
                }
                if let actual = r.actual { body += "      <system-out>\(escape(Trace.render(actual.trace, actual: actual)))</system-out>\n" }
                out += body.isEmpty ? "/>\n" : ">\n\(body)    </testcase>\n"
            }
            out += "  </testsuite>\n"
        }
        for (n, e) in loadErrors.enumerated() {
            out += "  <testsuite name=\"\(escape(e.file))\" id=\"\(files.count + n)\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\" "
                + "time=\"0.000\" timestamp=\"\(timestamp)\" hostname=\"localhost\">\n"
            out += "    <testcase name=\"(load)\" classname=\"\(escape(e.file))\" time=\"0.000\">\n"
            out += "      <error message=\"\(escape(e.message))\" type=\"FixtureError\">\(escape(e.message))</error>\n    </testcase>\n"
            out += "  </testsuite>\n"
        }
        out += "</testsuites>\n"
        return out
    }

    /// `fixtures/order.json` with definition `order-workflow` → `order-workflow.order`.
    static func className(_ test: FixtureTest) -> String {
        var file = URL(fileURLWithPath: test.file).lastPathComponent
        if let dot = file.lastIndex(of: ".") { file = String(file[..<dot]) }
        return "\(test.definitionName).\(file)"
    }

    static func time(_ seconds: Double) -> String { String(format: "%.3f", seconds) }

    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n", "\t", "\r": out.unicodeScalars.append(scalar)
            default:
                // XML 1.0 has no place for other control characters.
                if scalar.value < 0x20 || (0xD800...0xDFFF).contains(scalar.value) || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    out += "?"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
