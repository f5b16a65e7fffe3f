import JSON
import XCTest
@testable import States

/// Answers Task states from a table; records what it was asked.
final class MockInvoker: TaskInvoker, @unchecked Sendable {
    private let lock = NSLock()
    private var handlers: [String: @Sendable (JSONValue) throws -> JSONValue]
    private(set) var calls: [String] = []

    init(_ handlers: [String: @Sendable (JSONValue) throws -> JSONValue]) { self.handlers = handlers }

    func invoke(_ request: TaskRequest) async throws -> JSONValue {
        let handler = lock.withLock { () -> (@Sendable (JSONValue) throws -> JSONValue)? in
            calls.append(request.resource)
            return handlers[request.resource]
        }
        guard let handler else { throw StatesError.taskFailed("no handler for \(request.resource)") }
        return try handler(request.input)
    }
}

func runDefinition(_ definition: String, input: JSONValue = [:], invoker: TaskInvoker = MockInvoker([:]),
         clock: VirtualStatesClock = VirtualStatesClock()) async throws -> (ExecutionOutcome, [HistoryEvent]) {
    let machine = try StateMachine.parse(definition)
    let history = InMemoryHistory()
    let info = ExecutionInfo(executionArn: "arn:aws:states:us-east-1:000000000000:execution:m:e", name: "e",
                             stateMachineArn: "arn:aws:states:us-east-1:000000000000:stateMachine:m", stateMachineName: "m",
                             roleArn: "arn:aws:iam::000000000000:role/r", startTime: clock.nowMilliseconds(), input: input)
    let outcome = await Interpreter(invoker: invoker, clock: clock).run(machine, execution: info, history: history)
    return (outcome, await history.events)
}

final class InterpreterSmokeTests: XCTestCase {
    func testPassChainAppliesParametersResultPathAndOutputPath() async throws {
        let (outcome, events) = try await runDefinition("""
            {"StartAt":"A","States":{
              "A":{"Type":"Pass","Parameters":{"doubled.$":"States.MathAdd($.n, $.n)","fixed":1},"ResultPath":"$.a","Next":"B"},
              "B":{"Type":"Pass","Result":{"x":true},"ResultPath":"$.b","OutputPath":"$.a","End":true}}}
            """, input: ["n": 21])
        XCTAssertEqual(outcome, .succeeded(["doubled": 42, "fixed": 1]))
        XCTAssertEqual(events.map(\.type), ["ExecutionStarted", "PassStateEntered", "PassStateExited", "PassStateEntered",
                                            "PassStateExited", "ExecutionSucceeded"])
        XCTAssertEqual(events.map(\.previousEventId), [0, 1, 2, 3, 4, 5])
    }

    func testTaskRetriesOnTheVirtualClockThenCatches() async throws {
        let invoker = MockInvoker(["arn:aws:lambda:us-east-1:000000000000:function:flaky": { _ in throw StatesError("Boom", "nope") }])
        let clock = VirtualStatesClock()
        let start = clock.nowMilliseconds()
        let (outcome, events) = try await runDefinition("""
            {"StartAt":"T","States":{
              "T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:000000000000:function:flaky",
                   "Retry":[{"ErrorEquals":["Boom"],"IntervalSeconds":10,"MaxAttempts":2,"BackoffRate":3}],
                   "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.error","Next":"Done"}],"End":true},
              "Done":{"Type":"Succeed"}}}
            """, input: ["k": "v"], invoker: invoker, clock: clock)
        XCTAssertEqual(outcome, .succeeded(["k": "v", "error": ["Error": "Boom", "Cause": "nope"]]))
        XCTAssertEqual(invoker.calls.count, 3)
        XCTAssertEqual(clock.nowMilliseconds() - start, 40_000, "10 s, then 30 s of back-off, without real waiting")
        XCTAssertEqual(events.filter { $0.type == "LambdaFunctionFailed" }.count, 3)
    }

    func testChoiceWaitAndFail() async throws {
        let clock = VirtualStatesClock()
        let (outcome, events) = try await runDefinition("""
            {"StartAt":"C","States":{
              "C":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericGreaterThan":10,"Next":"W"}],"Default":"F"},
              "W":{"Type":"Wait","Seconds":86400,"Next":"F"},
              "F":{"Type":"Fail","Error":"Custom","Cause":"done"}}}
            """, input: ["n": 11], clock: clock)
        XCTAssertEqual(outcome, .failed(StatesError("Custom", "done")))
        XCTAssertEqual(events.last?.type, "ExecutionFailed")
        XCTAssertTrue(events.contains { $0.type == "WaitStateExited" })
    }

    func testParallelAndMapCollectResultsInOrder() async throws {
        let (outcome, _) = try await runDefinition("""
            {"StartAt":"P","States":{
              "P":{"Type":"Parallel","Branches":[
                  {"StartAt":"A","States":{"A":{"Type":"Pass","Result":"a","End":true}}},
                  {"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":2,
                      "ItemSelector":{"i.$":"$$.Map.Item.Index","v.$":"$$.Map.Item.Value"},
                      "ItemProcessor":{"StartAt":"X","States":{"X":{"Type":"Pass","End":true}}},"End":true}}}],
                "End":true}}}
            """, input: ["items": [10, 20, 30]])
        XCTAssertEqual(outcome, .succeeded(["a", [["i": 0, "v": 10], ["i": 1, "v": 20], ["i": 2, "v": 30]]]))
    }

    func testVariablesAssignedAndReadBack() async throws {
        let (outcome, _) = try await runDefinition("""
            {"StartAt":"A","States":{
              "A":{"Type":"Pass","Assign":{"total.$":"$.n","label":"fixed"},"Next":"B"},
              "B":{"Type":"Pass","Parameters":{"t.$":"$total","l.$":"$label"},"End":true}}}
            """, input: ["n": 7])
        XCTAssertEqual(outcome, .succeeded(["t": 7, "l": "fixed"]))
    }

    func testInvalidDefinitionReportsEveryProblemWithItsLocation() {
        XCTAssertThrowsError(try StateMachine.parse("""
            {"StartAt":"A","States":{
              "A":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:1:function:f","Next":"Nowhere",
                   "Retry":[{"ErrorEquals":["States.ALL"],"BackoffRate":0.5}]},
              "B":{"Type":"Pass","End":true}}}
            """)) { error in
            let diagnostics = (error as? DefinitionError)?.diagnostics ?? []
            let described = diagnostics.map { "\($0.code) \($0.location)" }
            XCTAssertTrue(described.contains("MISSING_TRANSITION_TARGET /States/A/Next"), "\(described)")
            XCTAssertTrue(described.contains("SCHEMA_VALIDATION_FAILED /States/A/Retry/0/BackoffRate"), "\(described)")
        }
    }
}
