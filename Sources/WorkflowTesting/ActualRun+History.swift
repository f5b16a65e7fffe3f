import JSON
import States

extension ActualRun {
    /// What a run did, read from its outcome, history and observer.
    static func from(outcome: ExecutionOutcome, events: [HistoryEvent], recorder: RunRecorder, start: Int64) -> ActualRun {
        var status = "", output: JSONValue?, error: String?, cause: String?
        switch outcome {
        case .succeeded(let value): status = "SUCCEEDED"; output = value
        case .failed(let e): status = "FAILED"; error = e.error; cause = e.cause
        case .timedOut: status = "TIMED_OUT"; error = "States.Timeout"; cause = "The execution timed out."
        case .aborted: status = "ABORTED"
        }
        let states = events.compactMap { e -> String? in
            guard e.type.hasSuffix("StateEntered") else { return nil }
            return e.details?["name"]?.stringValue
        }
        var retries: [String: Int] = [:]
        let taken = recorder.retries
        for r in taken { retries[r.state, default: 0] += 1 }
        var variables = JSONObject()
        let values = recorder.variables
        for key in values.keys.sorted() { variables[key] = values[key] }
        let end = events.last?.timestamp ?? start
        let trace = Trace.steps(events: events, retries: taken, catches: recorder.catches, choices: recorder.choices)
        let failedState = status == "SUCCEEDED" ? nil : trace.last(where: { $0.exited == false })?.name ?? trace.last?.name
        return ActualRun(status: status, output: output, error: error, cause: cause, states: states, retries: retries,
                         variables: .object(variables), history: events, virtualSeconds: Double(end - start) / 1000,
                         choices: recorder.choices, retriesTaken: taken, catches: recorder.catches, failedState: failedState,
                         trace: trace)
    }
}
