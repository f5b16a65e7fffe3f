import Foundation
import JSON

/// One state run in isolation, as `TestState` asks: its input, variables and context,
/// optionally a mocked task result or error, and how many retries already happened.
public struct StateTest: Sendable {
    public enum Mock: Sendable {
        case result(JSONValue)
        case error(StatesError)
    }

    public var input: JSONValue
    public var variables: [String: JSONValue]
    /// Fields merged over the context object (`$$`) the state sees.
    public var context: JSONObject
    public var mock: Mock?
    /// Retries already spent, deciding between RETRIABLE and a Catch.
    public var retrierRetryCount: Int

    public init(input: JSONValue = .object(JSONObject()), variables: [String: JSONValue] = [:], context: JSONObject = JSONObject(),
                mock: Mock? = nil, retrierRetryCount: Int = 0) {
        self.input = input
        self.variables = variables
        self.context = context
        self.mock = mock
        self.retrierRetryCount = retrierRetryCount
    }
}

/// What one state did: `TestState`'s status, output or error, next state, and the data
/// after each processing step.
public struct StateTestResult: Sendable {
    public enum Status: String, Sendable {
        case succeeded = "SUCCEEDED"
        case failed = "FAILED"
        case retriable = "RETRIABLE"
        case caughtError = "CAUGHT_ERROR"
    }

    public var status: Status
    public var output: JSONValue?
    public var error: StatesError?
    public var nextState: String?
    /// `input`, `afterInputPath`, `afterParameters`, `result`, `afterResultSelector`,
    /// `afterResultPath`, `variables`: each as the JSON value at that step.
    public var inspection: JSONObject
    public var retryIndex: Int?
    public var retryBackoffIntervalSeconds: Int?
    public var catchIndex: Int?
}

extension Interpreter {
    /// Runs the state named `stateName` once, without transitions, waits or retries.
    public func test(_ machine: StateMachine, stateName: String, _ test: StateTest, execution: ExecutionInfo) async -> StateTestResult {
        let history = InMemoryHistory()
        let run = ExecutionRun(interpreter: self, machine: machine, execution: execution,
                               log: HistoryLog(recorder: history, clock: clock))
        guard let index = machine.graph.index(of: stateName) else {
            return StateTestResult(status: .failed, error: StatesError.runtime("No state named '\(stateName)'"), inspection: JSONObject())
        }
        return await run.test(machine.graph.states[index], graph: machine.graph, test)
    }
}

extension ExecutionRun {
    func test(_ state: State, graph: StateGraph, _ test: StateTest) async -> StateTestResult {
        var inspection = JSONObject()
        var variables = test.variables
        var contextObject = context(stateName: state.name, enteredTime: clock.nowMilliseconds(), retryCount: test.retrierRetryCount,
                                    mapItem: nil).objectValue ?? JSONObject()
        for m in test.context { contextObject[m.key] = m.value }
        let context = JSONValue.object(contextObject)
        let raw = test.input
        inspection["input"] = raw
        func name(_ transition: Transition?) -> String? {
            if case .next(let i)? = transition { return graph.states[i].name }
            return nil
        }
        func result(_ kind: StateKind, _ effective: JSONValue, _ scope: EvaluationScope, previous: inout Int) async throws -> JSONValue {
            if let mock = test.mock {
                switch mock {
                case .result(let value): return value
                case .error(let error): throw error
                }
            }
            switch kind {
            case .task(let task): return try await runTask(task, state: state, scope: scope, previous: &previous, mapItem: nil)
            case .parallel(let p): return try await runParallel(p, state: state, input: effective, variables: variables, previous: &previous)
            case .map(let m): return try await runMap(m, state: state, input: effective, context: context, variables: variables, previous: &previous)
            default: return effective
            }
        }
        if state.queryLanguage == .jsonata {
            return await testJSONata(state, graph: graph, test, context: context, inspection: inspection)
        }
        do {
            let effective = try applyInputPath(state.io.inputPath, raw: raw, context: context, variables: variables)
            inspection["afterInputPath"] = effective
            let scope = EvaluationScope(input: effective, context: context, variables: variables)
            var previous = 0
            switch state.kind {
            case .choice(let choice):
                for branch in choice.choices where try branch.rule.evaluate(in: scope) {
                    if let assign = state.assign { try assignVariables(assign, scope: scope, into: &variables) }
                    if let assign = branch.assign { try assignVariables(assign, scope: scope, into: &variables) }
                    inspection["variables"] = .object(JSONObject(variables.sorted { $0.key < $1.key }.map { JSONObject.Member($0.key, $0.value) }))
                    return StateTestResult(status: .succeeded, output: try applyOutputPath(state.io.outputPath, effective, context: context, variables: scope.variables),
                                           nextState: graph.states[branch.next].name, inspection: inspection)
                }
                guard let defaultState = choice.defaultState else { throw StatesError.noChoiceMatched("No Matches!") }
                if let assign = state.assign { try assignVariables(assign, scope: scope, into: &variables) }
                return StateTestResult(status: .succeeded, output: try applyOutputPath(state.io.outputPath, effective, context: context, variables: scope.variables),
                                       nextState: graph.states[defaultState].name, inspection: inspection)
            case .wait, .succeed:
                if let assign = state.assign { try assignVariables(assign, scope: scope, into: &variables) }
                let output = try applyOutputPath(state.io.outputPath, effective, context: context, variables: scope.variables)
                return StateTestResult(status: .succeeded, output: output, nextState: name(state.transition), inspection: inspection)
            case .fail(let fail):
                let failScope = EvaluationScope(input: raw, context: context, variables: variables)
                throw StatesError(try failText(fail.error, scope: failScope, field: "ErrorPath") ?? "",
                                  try failText(fail.cause, scope: failScope, field: "CausePath") ?? "")
            case .pass(let pass):
                let parameters = try state.io.parameters?.evaluate(in: scope, field: "Parameters") ?? effective
                inspection["afterParameters"] = parameters
                let value = pass.result ?? parameters
                inspection["result"] = value
                let step = try finish(state, raw: raw, result: value, context: context, variables: &variables)
                inspection["afterResultPath"] = try applyResultPath(state.io.resultPath, raw: raw, result: value, state: state)
                inspection["variables"] = Self.variablesJSON(variables)
                return StateTestResult(status: .succeeded, output: step.output, nextState: name(state.transition), inspection: inspection)
            case .task, .parallel, .map:
                var parameters = effective
                if case .map = state.kind {} else {
                    parameters = try state.io.parameters?.evaluate(in: scope, field: "Parameters") ?? effective
                    inspection["afterParameters"] = parameters
                }
                let value = try await result(state.kind, parameters, scope, previous: &previous)
                inspection["result"] = value
                let selected = try state.io.resultSelector?.evaluate(in: EvaluationScope(input: value, context: context, variables: variables),
                                                                     field: "ResultSelector") ?? value
                inspection["afterResultSelector"] = selected
                let step = try finish(state, raw: raw, result: selected, context: context, variables: &variables)
                inspection["afterResultPath"] = try applyResultPath(state.io.resultPath, raw: raw, result: selected, state: state)
                inspection["variables"] = Self.variablesJSON(variables)
                return StateTestResult(status: .succeeded, output: step.output, nextState: name(state.transition), inspection: inspection)
            }
        } catch let error as StatesError {
            if case .fail = state.kind {
                return StateTestResult(status: .failed, error: error, inspection: inspection)
            }
            if let r = state.retry.firstIndex(where: { $0.errorEquals.matches(error.error) }),
               test.retrierRetryCount < state.retry[r].maxAttempts {
                var retrier = state.retry[r]
                retrier.jitterStrategy = .none
                let seconds = Int(retrier.delay(forAttempt: test.retrierRetryCount) / 1000)
                return StateTestResult(status: .retriable, error: error, inspection: inspection, retryIndex: r,
                                       retryBackoffIntervalSeconds: seconds)
            }
            if let c = state.catch.firstIndex(where: { $0.errorEquals.matches(error.error) }) {
                let catcher = state.catch[c]
                let errorOutput: JSONValue = ["Error": .string(error.error), "Cause": .string(error.cause)]
                if let assign = catcher.assign {
                    try? assignVariables(assign, scope: EvaluationScope(input: errorOutput, context: context, variables: variables), into: &variables)
                }
                let output = (try? applyResultPath(catcher.resultPath, raw: raw, result: errorOutput, state: state)) ?? raw
                inspection["variables"] = Self.variablesJSON(variables)
                return StateTestResult(status: .caughtError, output: output, error: error, nextState: graph.states[catcher.next].name,
                                       inspection: inspection, catchIndex: c)
            }
            return StateTestResult(status: .failed, error: error, inspection: inspection)
        } catch {
            return StateTestResult(status: .failed, error: StatesError.runtime("\(error)"), inspection: inspection)
        }
    }

    static func variablesJSON(_ variables: [String: JSONValue]) -> JSONValue {
        .object(JSONObject(variables.sorted { $0.key < $1.key }.map { JSONObject.Member($0.key, $0.value) }))
    }
}
