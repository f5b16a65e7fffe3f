import Foundation
import JSON
import States

/// One state on the path a run took, with what happened inside it.
public struct TraceStep: Sendable {
    public var name: String
    public var type: String
    public var retries: Int = 0
    /// The error a Catch took, if one did.
    public var caught: String?
    /// The Choice rule taken (`nil` rule: Default).
    public var choice: ChoiceTaken?
    /// Virtual milliseconds spent in the state (waits and retry back-offs).
    public var elapsed: Int64 = 0
    public var exited = false
}

enum Trace {
    /// The path from the history, annotated from the observer's records (each used once,
    /// in order, for the state it names).
    static func steps(events: [HistoryEvent], retries: [BranchTaken], catches: [BranchTaken], choices: [ChoiceTaken]) -> [TraceStep] {
        var steps: [TraceStep] = []
        var open: [String: (index: Int, entered: Int64)] = [:]
        var retryQueue = retries, catchQueue = catches, choiceQueue = choices
        for e in events {
            if e.type.hasSuffix("StateEntered"), let name = e.details?["name"]?.stringValue {
                open[name] = (steps.count, e.timestamp)
                steps.append(TraceStep(name: name, type: String(e.type.dropLast("StateEntered".count))))
            } else if e.type.hasSuffix("StateExited"), let name = e.details?["name"]?.stringValue, let o = open.removeValue(forKey: name) {
                var step = steps[o.index]
                step.exited = true
                step.elapsed = e.timestamp - o.entered
                while let i = retryQueue.firstIndex(where: { $0.state == name }) {
                    retryQueue.remove(at: i)
                    step.retries += 1
                }
                if let i = catchQueue.firstIndex(where: { $0.state == name }) { step.caught = catchQueue.remove(at: i).error }
                if step.type == "Choice", let i = choiceQueue.firstIndex(where: { $0.state == name }) { step.choice = choiceQueue.remove(at: i) }
                steps[o.index] = step
            }
        }
        // States still open when the execution ended: they failed there.
        for (name, o) in open {
            while let i = retryQueue.firstIndex(where: { $0.state == name }) {
                retryQueue.remove(at: i)
                steps[o.index].retries += 1
            }
            if let last = events.last { steps[o.index].elapsed = last.timestamp - o.entered }
        }
        return steps
    }

    /// `A → B ↻2 → C !PaymentDeclined → D (+7d) → End`.
    static func render(_ steps: [TraceStep], actual: ActualRun) -> String {
        var parts = steps.map { step -> String in
            var text = step.name
            if step.retries > 0 { text += " ↻\(step.retries)" }
            if let caught = step.caught { text += " !\(caught)" }
            if let choice = step.choice { text += choice.rule.map { " [rule \($0)]" } ?? " [Default]" }
            if step.elapsed >= 1000 { text += " (+\(duration(step.elapsed)))" }
            if !step.exited && actual.status != "SUCCEEDED" { text += " ✗" }
            return text
        }
        switch actual.status {
        case "SUCCEEDED": parts.append("✓ SUCCEEDED")
        case "FAILED": parts.append("✗ FAILED \(actual.error ?? "")")
        default: parts.append("✗ \(actual.status)")
        }
        return parts.joined(separator: " → ")
    }

    /// `4.5s`, `2m30s`, `7d`.
    static func duration(_ milliseconds: Int64) -> String {
        let seconds = Double(milliseconds) / 1000
        if seconds < 60 {
            var text = String(format: "%.3f", seconds)
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
            return text + "s"
        }
        var rest = Int(seconds)
        var text = ""
        for (unit, size) in [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)] where rest >= size {
            text += "\(rest / size)\(unit)"
            rest %= size
        }
        return text
    }
}
