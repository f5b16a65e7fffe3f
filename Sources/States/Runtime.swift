import Foundation
import JSON

/// Where the interpreter reads time and waits. A virtual clock makes a `Wait` of a
/// day (or a retry back-off) take no real time.
public protocol StatesClock: Sendable {
    func nowMilliseconds() -> Int64
    /// Suspends until the clock reads `milliseconds` (at once for a virtual clock, which jumps there).
    func sleep(untilMilliseconds milliseconds: Int64) async throws
    /// False for a virtual clock: there, racing a task against a timer is meaningless.
    var isReal: Bool { get }
}

public struct SystemStatesClock: StatesClock {
    public init() {}
    public func nowMilliseconds() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }
    public func sleep(untilMilliseconds milliseconds: Int64) async throws {
        let delay = milliseconds - nowMilliseconds()
        if delay > 0 { try await Task.sleep(nanoseconds: UInt64(delay) * 1_000_000) }
    }
    public var isReal: Bool { true }
}

/// A clock that only moves when something waits on it: `sleep` jumps forward.
public final class VirtualStatesClock: StatesClock, @unchecked Sendable {
    // @unchecked: `now` is guarded by `lock`.
    private let lock = NSLock()
    private var now: Int64

    public init(startMilliseconds: Int64 = 1_767_225_600_000) { now = startMilliseconds }
    public func nowMilliseconds() -> Int64 { lock.withLock { now } }
    public func sleep(untilMilliseconds milliseconds: Int64) async throws {
        try Task.checkCancellation()
        lock.withLock { now = max(now, milliseconds) }
    }
    public func advance(milliseconds: Int64) { lock.withLock { now += milliseconds } }
    public var isReal: Bool { false }
}

/// A Task state's call to the outside world.
public struct TaskRequest: Sendable {
    public var resource: String
    /// The effective parameters (after InputPath and Parameters).
    public var input: JSONValue
    public var stateName: String
    /// The context object (`$$`), including `Task.Token` for `.waitForTaskToken`.
    public var context: JSONValue
    public var timeoutSeconds: Int?
    public var heartbeatSeconds: Int?
    /// Set when the resource ends in `.waitForTaskToken`.
    public var taskToken: String?
    /// For activities: called when a worker takes the task (`ActivityStarted`).
    public var activityStarted: (@Sendable (_ workerName: String?) async -> Void)?

    public init(resource: String, input: JSONValue, stateName: String, context: JSONValue, timeoutSeconds: Int? = nil,
                heartbeatSeconds: Int? = nil, taskToken: String? = nil,
                activityStarted: (@Sendable (_ workerName: String?) async -> Void)? = nil) {
        self.resource = resource
        self.input = input
        self.stateName = stateName
        self.context = context
        self.timeoutSeconds = timeoutSeconds
        self.heartbeatSeconds = heartbeatSeconds
        self.taskToken = taskToken
        self.activityStarted = activityStarted
    }
}

/// Runs Task resources. The StepFunctions service supplies one that reaches Lambda,
/// SQS, DynamoDB and the rest; tests supply mocks. Failures are `StatesError`s.
public protocol TaskInvoker: Sendable {
    func invoke(_ request: TaskRequest) async throws -> JSONValue
}

/// Identity of the execution being run, for the context object.
public struct ExecutionInfo: Sendable {
    public var executionArn: String
    public var name: String
    public var stateMachineArn: String
    public var stateMachineName: String
    public var roleArn: String
    public var startTime: Int64
    public var input: JSONValue
    public var redriveCount: Int

    public init(executionArn: String, name: String, stateMachineArn: String, stateMachineName: String, roleArn: String,
                startTime: Int64, input: JSONValue, redriveCount: Int = 0) {
        self.executionArn = executionArn
        self.name = name
        self.stateMachineArn = stateMachineArn
        self.stateMachineName = stateMachineName
        self.roleArn = roleArn
        self.startTime = startTime
        self.input = input
        self.redriveCount = redriveCount
    }
}

/// How an execution ended.
public enum ExecutionOutcome: Sendable, Equatable {
    case succeeded(JSONValue)
    case failed(StatesError)
    case timedOut
    case aborted
}

/// Where a resumed execution picks up: a top-level state with its input and variables.
public struct Checkpoint: Sendable, Equatable {
    public var stateName: String
    public var input: JSONValue
    public var variables: [String: JSONValue]
    /// The id of the state's `…StateEntered` event when that is already in the history:
    /// a resumed run continues the state instead of entering it again.
    public var enteredEventId: Int?
    /// For a Wait state: when the wait ends, so a resumed wait lasts only what remains.
    public var waitUntil: Int64?

    public init(stateName: String, input: JSONValue, variables: [String: JSONValue], enteredEventId: Int? = nil,
                waitUntil: Int64? = nil) {
        self.stateName = stateName
        self.input = input
        self.variables = variables
        self.enteredEventId = enteredEventId
        self.waitUntil = waitUntil
    }
}

/// Runs a DISTRIBUTED Map state as a Map Run of child executions. The StepFunctions
/// service supplies one; without it, a distributed Map runs its iterations inline.
public protocol DistributedMapRunner: Sendable {
    /// The items an `ItemReader` names.
    func readItems(_ reader: JSONValue, scope: EvaluationScope) async throws -> [JSONValue]
    /// Creates the Map Run and starts its child executions; returns the Map Run ARN.
    func startMapRun(_ request: MapRunRequest) async throws -> String
    /// Waits for the Map Run; returns the children's outputs in item order.
    func awaitMapRun(_ mapRunArn: String) async throws -> [JSONValue]
}

/// One distributed Map state's work: a child execution per input.
public struct MapRunRequest: Sendable {
    public var execution: ExecutionInfo
    public var stateName: String
    public var label: String?
    /// The item processor's definition: what each child execution runs.
    public var definition: JSONValue
    public var executionType: String
    public var inputs: [JSONValue]
    /// 0 means no limit.
    public var maxConcurrency: Int
    public var toleratedFailureCount: Int?
    public var toleratedFailurePercentage: Int?
}
