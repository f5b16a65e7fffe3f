import JSON

/// A runtime error as Step Functions names it: an error name (`States.Runtime`,
/// `States.TaskFailed`, a task's own error) and a human-readable cause. This is what
/// Retry and Catch match on and what a failed execution reports.
public struct StatesError: Error, Sendable, Equatable, CustomStringConvertible {
    public var error: String
    public var cause: String

    public init(_ error: String, _ cause: String) {
        self.error = error
        self.cause = cause
    }

    public var description: String { "\(error): \(cause)" }

    public static func runtime(_ cause: String) -> StatesError { StatesError("States.Runtime", cause) }
    public static func intrinsicFailure(_ cause: String) -> StatesError { StatesError("States.IntrinsicFailure", cause) }
    public static func parameterPathFailure(_ cause: String) -> StatesError { StatesError("States.ParameterPathFailure", cause) }
    public static func resultPathMatchFailure(_ cause: String) -> StatesError { StatesError("States.ResultPathMatchFailure", cause) }
    public static func noChoiceMatched(_ cause: String) -> StatesError { StatesError("States.NoChoiceMatched", cause) }
    public static func taskFailed(_ cause: String) -> StatesError { StatesError("States.TaskFailed", cause) }
    public static func timeout(_ cause: String) -> StatesError { StatesError("States.Timeout", cause) }
    public static func heartbeatTimeout(_ cause: String) -> StatesError { StatesError("States.HeartbeatTimeout", cause) }
    public static func dataLimitExceeded(_ cause: String) -> StatesError { StatesError("States.DataLimitExceeded", cause) }
    public static func branchFailed(_ cause: String) -> StatesError { StatesError("States.BranchFailed", cause) }
}

/// What a path, intrinsic function or Choice rule can see while a state runs:
/// the state's (effective) input as `$`, the context object as `$$`, and the
/// workflow variables in scope as `$name`.
public struct EvaluationScope: Sendable {
    public var input: JSONValue
    public var context: JSONValue
    public var variables: [String: JSONValue]

    public init(input: JSONValue, context: JSONValue = .object(JSONObject()), variables: [String: JSONValue] = [:]) {
        self.input = input
        self.context = context
        self.variables = variables
    }
}
