import JSON

/// Watches the decisions of a run that its history does not record: which Choice rule
/// matched, which Retry and Catch entry took an error, and the variables after each
/// top-level state. `offcloud test` uses it for retry counts, final variables and
/// coverage. Calls may come from concurrent Parallel branches and Map iterations.
public protocol ExecutionObserver: Sendable {
    /// A Choice state chose rule `rule` (its index in `Choices`), or `Default` when nil.
    func choiceTaken(state: String, rule: Int?)
    /// A state's error matched retrier `retrier`, which will run the state again.
    func retried(state: String, retrier: Int, error: String)
    /// A state's error was caught by catcher `catcher`.
    func caught(state: String, catcher: Int, error: String)
    /// The execution's variables after a top-level state.
    func variablesChanged(_ variables: [String: JSONValue])
}

extension ExecutionObserver {
    public func choiceTaken(state: String, rule: Int?) {}
    public func retried(state: String, retrier: Int, error: String) {}
    public func caught(state: String, catcher: Int, error: String) {}
    public func variablesChanged(_ variables: [String: JSONValue]) {}
}
