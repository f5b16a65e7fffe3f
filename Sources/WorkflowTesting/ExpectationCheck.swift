import JSON

/// Checks a run against a test's expectations.
enum ExpectationCheck {
    static func mismatches(_ e: Expectations, _ a: ActualRun) -> [Mismatch] {
        var found: [Mismatch] = []
        // Where the path parted from the expected one explains most other differences: first.
        if let states = e.states, states != a.states {
            let i = zip(states, a.states).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(states.count, a.states.count)
            let expected = i < states.count ? states[i] : "(end)"
            let got = i < a.states.count ? a.states[i] : "(end)"
            let after = i > 0 ? a.states[i - 1] : "the start"
            found.append(Mismatch(field: "states", lines: [
                "diverged after \(after) (state #\(i + 1)): expected \(expected), got \(got)",
                "expected: \(states.joined(separator: " → "))",
                "actual:   \(a.states.joined(separator: " → "))",
            ], divergedAt: i > 0 ? a.states[i - 1] : nil))
        }
        let failedIn = a.failedState
        if let status = e.status, status != a.status {
            var lines = ["expected \(status), got \(a.status)"]
            if let error = a.error { lines.append("error: \(error)" + (failedIn.map { " in state \($0)" } ?? "")) }
            if let cause = a.cause, !cause.isEmpty { lines.append("cause: \(cause)") }
            found.append(Mismatch(field: "status", lines: lines, divergedAt: failedIn))
        }
        if let error = e.error, error != a.error {
            found.append(Mismatch(field: "error", lines: ["expected \(error), got \(a.error ?? "no error")"], divergedAt: failedIn))
        }
        if let cause = e.cause, cause != a.cause {
            found.append(Mismatch(field: "cause", lines: ["expected \(JSONValue.string(cause).jsonString)",
                                                          "got      \(a.cause.map { JSONValue.string($0).jsonString } ?? "no cause")"],
                                  divergedAt: failedIn))
        }
        if let output = e.output {
            let lines = JSONMatch.differences(output, a.output, subset: false)
            if !lines.isEmpty { found.append(Mismatch(field: "output", lines: lines, divergedAt: lastState(a))) }
        }
        if let output = e.outputContains {
            let lines = JSONMatch.differences(output, a.output, subset: true)
            if !lines.isEmpty { found.append(Mismatch(field: "outputContains", lines: lines, divergedAt: lastState(a))) }
        }
        if !e.outputMatches.isEmpty {
            var lines: [String] = []
            for (path, expected) in e.outputMatches {
                let value = a.output.flatMap { JSONPathLookup.value(at: path, in: $0) }
                lines += JSONMatch.differences(expected, value, path: path, subset: true)
            }
            if !lines.isEmpty { found.append(Mismatch(field: "outputMatches", lines: lines, divergedAt: lastState(a))) }
        }
        if !e.retries.isEmpty {
            let lines = e.retries.keys.sorted().compactMap { state -> String? in
                let n = a.retries[state, default: 0]
                return n == e.retries[state] ? nil : "\(state): expected \(e.retries[state]!) retries, got \(n)"
            }
            if !lines.isEmpty { found.append(Mismatch(field: "retries", lines: lines, divergedAt: nil)) }
        }
        if let variables = e.variables {
            let lines = JSONMatch.differences(variables, a.variables, subset: true)
            if !lines.isEmpty { found.append(Mismatch(field: "variables", lines: lines, divergedAt: nil)) }
        }
        let types = a.history.map(\.type)
        if let history = e.history, history != types {
            let i = zip(history, types).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(history.count, types.count)
            found.append(Mismatch(field: "history", lines: [
                "event #\(i + 1): expected \(i < history.count ? history[i] : "(end)"), got \(i < types.count ? types[i] : "(end)")",
            ], divergedAt: nil))
        }
        if let wanted = e.historyContains {
            var rest = types[...]
            var missing: String?
            for type in wanted {
                guard let i = rest.firstIndex(of: type) else { missing = type; break }
                rest = rest[(i + 1)...]
            }
            if let missing {
                found.append(Mismatch(field: "historyContains", lines: ["no \(missing) event in order among \(types.count) events"], divergedAt: nil))
            }
        }
        if let seconds = e.virtualSeconds, abs(seconds - a.virtualSeconds) > 0.0005 {
            found.append(Mismatch(field: "virtualSeconds", lines: ["expected \(seconds)s of virtual time, got \(a.virtualSeconds)s"],
                                  divergedAt: nil))
        }
        return found
    }

    static func lastState(_ a: ActualRun) -> String? { a.states.last }
}
