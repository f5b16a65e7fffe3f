import Foundation
import JSON
import States

/// Collects what the interpreter tells its observer during one test's run.
final class RunRecorder: ExecutionObserver, @unchecked Sendable {
    // @unchecked: every member is guarded by `lock`.
    private let lock = NSLock()
    private var _choices: [ChoiceTaken] = []
    private var _retries: [BranchTaken] = []
    private var _catches: [BranchTaken] = []
    private var _variables: [String: JSONValue] = [:]

    func choiceTaken(state: String, rule: Int?) { lock.withLock { _choices.append(ChoiceTaken(state: state, rule: rule)) } }
    func retried(state: String, retrier: Int, error: String) {
        lock.withLock { _retries.append(BranchTaken(state: state, index: retrier, error: error)) }
    }
    func caught(state: String, catcher: Int, error: String) {
        lock.withLock { _catches.append(BranchTaken(state: state, index: catcher, error: error)) }
    }
    func variablesChanged(_ variables: [String: JSONValue]) { lock.withLock { _variables = variables } }

    var choices: [ChoiceTaken] { lock.withLock { _choices } }
    var retries: [BranchTaken] { lock.withLock { _retries } }
    var catches: [BranchTaken] { lock.withLock { _catches } }
    var variables: [String: JSONValue] { lock.withLock { _variables } }
}

/// A Choice decision: the rule's index, or nil for `Default`.
public struct ChoiceTaken: Sendable, Hashable {
    public var state: String
    public var rule: Int?
}

/// A Retry or Catch entry that took an error.
public struct BranchTaken: Sendable, Hashable {
    public var state: String
    public var index: Int
    public var error: String
}
