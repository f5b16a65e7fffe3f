import Foundation
import JSON

/// Answers Task states from mocked responses by state name, counting each state's
/// invocations (retries and Map iterations included); states without a mock go to
/// `fallback`, or fail when there is none. One instance per execution.
public final class MockingTaskInvoker: TaskInvoker, @unchecked Sendable {
    // @unchecked: `invocations` is guarded by `lock`; the rest is immutable.
    private let lock = NSLock()
    private var invocations: [String: Int] = [:]
    let mocks: [String: MockedResponses]
    let fallback: (any TaskInvoker)?

    public init(mocks: [String: MockedResponses], fallback: (any TaskInvoker)? = nil) {
        self.mocks = mocks
        self.fallback = fallback
    }

    public func invoke(_ request: TaskRequest) async throws -> JSONValue {
        guard let mocked = mocks[request.stateName] else {
            if let fallback { return try await fallback.invoke(request) }
            throw StatesError("States.TaskFailed", "No mocked response for state \(request.stateName) (\(request.resource)).")
        }
        let n = lock.withLock {
            let n = invocations[request.stateName, default: 0]
            invocations[request.stateName] = n + 1
            return n
        }
        switch mocked.response(forInvocation: n) {
        case .returns(let value)?: return value
        case .throwing(let error, let cause)?: throw StatesError(error, cause)
        case nil: throw StatesError("States.TaskFailed", "No mocked response for invocation \(n) of state \(request.stateName).")
        }
    }
}
