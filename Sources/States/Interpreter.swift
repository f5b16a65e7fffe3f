import Foundation
import JSON

/// Runs a `StateMachine` the way Step Functions does: each state's data flow in AWS's
/// order, Retry and Catch, Parallel branches and Map iterations concurrently, history
/// events with AWS's types and details, time from an injected clock.
public struct Interpreter: Sendable {
    public var invoker: TaskInvoker
    public var clock: StatesClock
    /// Step Functions' payload quota: 256 KiB of state input or output.
    public var maxPayloadBytes = 262_144
    /// Bounds a run that would otherwise loop forever through Pass/Choice states.
    public var maxTransitions = 1_000_000
    /// Runs DISTRIBUTED Map states as Map Runs; nil runs them inline.
    public var mapRunner: (any DistributedMapRunner)?
    /// Told which Choice rules, retriers and catchers a run took; nil for none.
    public var observer: (any ExecutionObserver)?

    public init(invoker: TaskInvoker, clock: StatesClock = SystemStatesClock()) {
        self.invoker = invoker
        self.clock = clock
    }

    /// Runs an execution to its end (or from a checkpoint, after a restart), recording
    /// its history. Cancelling the calling task stops it as `StopExecution` does.
    public func run(_ machine: StateMachine, execution: ExecutionInfo, history: HistoryRecorder,
                    resumeFrom checkpoint: Checkpoint? = nil, firstEventId: Int = 1) async -> ExecutionOutcome {
        let log = HistoryLog(recorder: history, clock: clock, startingAt: firstEventId)
        let run = ExecutionRun(interpreter: self, machine: machine, execution: execution, log: log)
        var previous = 0
        if checkpoint == nil {
            previous = await log.record("ExecutionStarted", previous: 0, details: ("executionStartedEventDetails", [
                "input": .string(execution.input.jsonString), "inputDetails": ["truncated": false],
                "roleArn": .string(execution.roleArn),
            ]))
        } else {
            previous = firstEventId - 1
        }
        let variables = checkpoint?.variables ?? [:]
        let startIndex = checkpoint.flatMap { machine.graph.index(of: $0.stateName) } ?? machine.graph.startAt
        let first = previous
        do {
            let (output, last) = try await run.runWithDeadline {
                var scoped = variables
                var previous = first
                let output = try await run.runGraph(machine.graph, from: startIndex, input: checkpoint?.input ?? execution.input,
                                                    variables: &scoped, previous: &previous, topLevel: true, mapItem: nil,
                                                    resume: checkpoint)
                return (output, previous)
            }
            previous = last
            await log.record("ExecutionSucceeded", previous: previous, details: ("executionSucceededEventDetails", [
                "output": .string(output.jsonString), "outputDetails": ["truncated": false],
            ]))
            try? await log.commit(nil)
            return .succeeded(output)
        } catch let error as StatesError {
            previous = await log.lastId
            await log.record("ExecutionFailed", previous: previous, details: ("executionFailedEventDetails", [
                "error": .string(error.error), "cause": .string(error.cause),
            ]))
            try? await log.commit(run.lastTopLevelState.value)
            return .failed(error)
        } catch is ExecutionTimedOut {
            previous = await log.lastId
            await log.record("ExecutionTimedOut", previous: previous, details: ("executionTimedOutEventDetails", [
                "error": "States.Timeout", "cause": "The execution timed out.",
            ]))
            try? await log.commit(run.lastTopLevelState.value)
            return .timedOut
        } catch {
            previous = await log.lastId
            await log.record("ExecutionAborted", previous: previous, details: ("executionAbortedEventDetails", [:]))
            try? await log.commit(run.lastTopLevelState.value)
            return .aborted
        }
    }
}

struct ExecutionTimedOut: Error {}

/// An event id set from another task (the worker's ActivityStarted).
final class CheckpointEventBox: @unchecked Sendable {
    // @unchecked: `stored` is guarded by `lock`.
    private let lock = NSLock()
    private var stored: Int?
    var value: Int? {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}

/// A checkpoint shared between the tasks of one run.
final class CheckpointBox: @unchecked Sendable {
    // @unchecked: `stored` is guarded by `lock`.
    private let lock = NSLock()
    private var stored: Checkpoint?
    var value: Checkpoint? {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}

/// The state of one run: shared by every branch and iteration of an execution.
final class ExecutionRun: Sendable {
    let interpreter: Interpreter
    let machine: StateMachine
    let execution: ExecutionInfo
    let log: HistoryLog
    let deadline: Int64?
    /// The top-level state running now, with its input and variables: where a redrive
    /// of a failed, timed-out or stopped execution starts again.
    let lastTopLevelState = CheckpointBox()

    init(interpreter: Interpreter, machine: StateMachine, execution: ExecutionInfo, log: HistoryLog) {
        self.interpreter = interpreter
        self.machine = machine
        self.execution = execution
        self.log = log
        deadline = machine.timeoutSeconds.map { execution.startTime + Int64($0) * 1000 }
    }

    var clock: StatesClock { interpreter.clock }

    /// Runs `body`; with a real clock and a machine `TimeoutSeconds`, the execution times
    /// out at the deadline even in the middle of a long task.
    func runWithDeadline<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        guard let deadline, clock.isReal else { return try await body() }
        let clock = self.clock
        return try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await clock.sleep(untilMilliseconds: deadline)
                throw ExecutionTimedOut()
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }

    /// Runs states from `index` until one ends the graph; returns the graph's output.
    func runGraph(_ graph: StateGraph, from index: Int? = nil, input: JSONValue, variables: inout [String: JSONValue],
                  previous: inout Int, topLevel: Bool, mapItem: (index: Int, value: JSONValue)?,
                  resume: Checkpoint? = nil) async throws -> JSONValue {
        var current = index ?? graph.startAt
        var data = input
        var resuming = resume
        for _ in 0..<interpreter.maxTransitions {
            try Task.checkCancellation()
            if let deadline, clock.nowMilliseconds() >= deadline { throw ExecutionTimedOut() }
            let state = graph.states[current]
            if topLevel {
                lastTopLevelState.value = Checkpoint(stateName: state.name, input: data, variables: variables)
            }
            let step = try await runState(state, input: data, variables: &variables, previous: &previous, mapItem: mapItem,
                                          topLevel: topLevel, resume: resuming)
            resuming = nil
            if topLevel { interpreter.observer?.variablesChanged(variables) }
            data = step.output
            switch step.next {
            case .next(let n)?: current = n
            case .end?, nil: return data
            }
        }
        throw StatesError.runtime("The execution exceeded \(interpreter.maxTransitions) state transitions.")
    }

    /// The context object (`$$`) as a state sees it.
    func context(stateName: String, enteredTime: Int64, retryCount: Int, taskToken: String? = nil,
                 mapItem: (index: Int, value: JSONValue)?) -> JSONValue {
        var context = JSONObject()
        context.append("Execution", [
            "Id": .string(execution.executionArn), "Input": execution.input, "Name": .string(execution.name),
            "RoleArn": .string(execution.roleArn), "StartTime": .string(Timestamp.format(milliseconds: execution.startTime)),
            "RedriveCount": .integer(execution.redriveCount),
        ])
        context.append("State", [
            "EnteredTime": .string(Timestamp.format(milliseconds: enteredTime)), "Name": .string(stateName),
            "RetryCount": .integer(retryCount),
        ])
        context.append("StateMachine", ["Id": .string(execution.stateMachineArn), "Name": .string(execution.stateMachineName)])
        if let taskToken { context.append("Task", ["Token": .string(taskToken)]) }
        if let mapItem { context.append("Map", ["Item": ["Index": .integer(mapItem.index), "Value": mapItem.value]]) }
        return .object(context)
    }

    func checkSize(_ value: JSONValue, what: String, state: String) throws {
        let size = value.serialized().count
        if size > interpreter.maxPayloadBytes {
            throw StatesError.dataLimitExceeded(
                "The state/task '\(state)' returned a result with a size exceeding the maximum number of bytes service limit.")
        }
        _ = what
    }
}

extension State {
    /// Tasks and Waits touch the outside world or take time: their checkpoint must be on
    /// disk first. Pure states (Pass, Choice) are replayed after a crash instead.
    var needsDurableCheckpoint: Bool {
        switch kind {
        case .task, .wait, .parallel, .map: return true
        case .pass, .choice, .succeed, .fail: return false
        }
    }
}
