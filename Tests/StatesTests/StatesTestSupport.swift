import JSON
import XCTest
@testable import States

// Shared helpers for the parser, Choice, data-flow, error and history suites.

/// Every diagnostic a definition produces, as `CODE location`; `[]` when it parses.
func problems(_ definition: String) -> [String] {
    problemDiagnostics(definition).map { "\($0.code) \($0.location)" }
}

func problemDiagnostics(_ definition: String) -> [Diagnostic] {
    do {
        _ = try StateMachine.parse(definition)
        return []
    } catch let error as DefinitionError {
        return error.diagnostics
    } catch {
        return [Diagnostic("UNEXPECTED", "\(error)", at: "")]
    }
}

func problemDiagnostics(_ definition: JSONValue) -> [Diagnostic] {
    do {
        _ = try StateMachine.parse(definition)
        return []
    } catch let error as DefinitionError {
        return error.diagnostics
    } catch {
        return [Diagnostic("UNEXPECTED", "\(error)", at: "")]
    }
}

/// A Task invoker driven by a closure that sees the whole request; records every request.
final class RecordingInvoker: TaskInvoker, @unchecked Sendable {
    // @unchecked: `requests` is guarded by `lock`.
    private let lock = NSLock()
    private var recorded: [TaskRequest] = []
    private let handler: @Sendable (TaskRequest) async throws -> JSONValue

    init(_ handler: @escaping @Sendable (TaskRequest) async throws -> JSONValue) { self.handler = handler }

    var requests: [TaskRequest] { lock.withLock { recorded } }

    func invoke(_ request: TaskRequest) async throws -> JSONValue {
        lock.withLock { recorded.append(request) }
        return try await handler(request)
    }
}

let testExecution = "arn:aws:states:us-east-1:000000000000:execution:m:e"
let lambdaArn = "arn:aws:lambda:us-east-1:000000000000:function:f"

func executionInfo(input: JSONValue, startTime: Int64) -> ExecutionInfo {
    ExecutionInfo(executionArn: testExecution, name: "e",
                  stateMachineArn: "arn:aws:states:us-east-1:000000000000:stateMachine:m", stateMachineName: "m",
                  roleArn: "arn:aws:iam::000000000000:role/r", startTime: startTime, input: input)
}

/// Runs a parsed machine with everything injectable; returns the outcome and the history.
func runMachine(_ machine: StateMachine, input: JSONValue = [:], invoker: TaskInvoker = MockInvoker([:]),
                clock: StatesClock = VirtualStatesClock(), checkpoint: Checkpoint? = nil, firstEventId: Int = 1,
                configure: (inout Interpreter) -> Void = { _ in }) async -> (ExecutionOutcome, [HistoryEvent]) {
    let history = InMemoryHistory()
    var interpreter = Interpreter(invoker: invoker, clock: clock)
    configure(&interpreter)
    let outcome = await interpreter.run(machine, execution: executionInfo(input: input, startTime: clock.nowMilliseconds()),
                                        history: history, resumeFrom: checkpoint, firstEventId: firstEventId)
    return (outcome, await history.events)
}

/// Parses (failing the test on a bad definition) and runs.
func execute(_ definition: String, input: JSONValue = [:], invoker: TaskInvoker = MockInvoker([:]),
             clock: StatesClock = VirtualStatesClock(), file: StaticString = #filePath, line: UInt = #line,
             configure: (inout Interpreter) -> Void = { _ in }) async throws -> (ExecutionOutcome, [HistoryEvent]) {
    let machine: StateMachine
    do {
        machine = try StateMachine.parse(definition)
    } catch {
        XCTFail("definition does not parse: \(error)", file: file, line: line)
        throw error
    }
    return await runMachine(machine, input: input, invoker: invoker, clock: clock, configure: configure)
}

/// The output of a succeeded run, or nil (with the outcome in the failure message).
func output(_ outcome: ExecutionOutcome, file: StaticString = #filePath, line: UInt = #line) -> JSONValue? {
    guard case .succeeded(let value) = outcome else {
        XCTFail("expected success, got \(outcome)", file: file, line: line)
        return nil
    }
    return value
}

func json(_ text: String) -> JSONValue { try! JSONValue.parse(text) }

extension HistoryEvent {
    /// A details member as a string, for compact assertions.
    func detail(_ key: String) -> JSONValue? { details?[key] }
}
