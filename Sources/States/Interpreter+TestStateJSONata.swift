import Foundation
import JSON

extension ExecutionRun {
    /// TestState for a JSONata state: the same evaluation as a run, reporting
    /// `afterArguments`, `result` and `variables`; an evaluation failure is a
    /// `States.QueryEvaluationError` (its cause without a run's event-id prefix).
    func testJSONata(_ state: State, graph: StateGraph, _ test: StateTest, context: JSONValue,
                     inspection start: JSONObject) async -> StateTestResult {
        var inspection = start
        var variables = test.variables
        let raw = test.input
        func name(_ transition: Transition?) -> String? {
            if case .next(let i)? = transition { return graph.states[i].name }
            return nil
        }
        do {
            do {
                let scope = EvaluationScope(input: raw, context: context, variables: variables)
                var previous = 0
                var step: StepResult
                switch state.kind {
                case .task, .parallel, .map:
                    if let arguments = state.jsonata?.arguments {
                        inspection["afterArguments"] = try arguments.evaluate(JSONataScope(scope), field: "Arguments")
                    }
                    let result: JSONValue
                    switch test.mock {
                    case .result(let value)?: result = value
                    case .error(let error)?: throw error
                    case nil:
                        var probe = state
                        probe.jsonata?.output = nil
                        probe.jsonata?.assign = nil
                        var scratch = variables
                        result = try await performJSONata(probe, raw: raw, context: context, variables: &scratch, previous: &previous,
                                                          mapItem: nil).output
                    }
                    inspection["result"] = result
                    step = try finishJSONata(state, scope: JSONataScope(scope, result: result), default: result, variables: &variables)
                case .wait:
                    // TestState does not wait: the duration is still evaluated, so its errors show.
                    if case .wait(let wait) = state.kind { _ = try waitUntil(wait, scope: scope) }
                    step = try finishJSONata(state, scope: JSONataScope(scope), default: raw, variables: &variables)
                default:
                    step = try await performJSONata(state, raw: raw, context: context, variables: &variables, previous: &previous,
                                                    mapItem: nil)
                }
                inspection["variables"] = Self.variablesJSON(variables)
                let next = step.next ?? state.transition
                return StateTestResult(status: .succeeded, output: step.output, nextState: name(next), inspection: inspection)
            } catch let failure as QueryEvaluationFailure {
                throw failure.statesError
            }
        } catch let error as StatesError {
            if case .fail = state.kind { return StateTestResult(status: .failed, error: error, inspection: inspection) }
            if let r = state.retry.firstIndex(where: { $0.errorEquals.matches(error.error) }),
               test.retrierRetryCount < state.retry[r].maxAttempts {
                var retrier = state.retry[r]
                retrier.jitterStrategy = .none
                let seconds = Int(retrier.delay(forAttempt: test.retrierRetryCount) / 1000)
                return StateTestResult(status: .retriable, error: error, inspection: inspection, retryIndex: r,
                                       retryBackoffIntervalSeconds: seconds)
            }
            if let c = state.catch.firstIndex(where: { $0.errorEquals.matches(error.error) }) {
                let errorOutput: JSONValue = ["Error": .string(error.error), "Cause": .string(error.cause)]
                do {
                    let output = try catchJSONata(state.catch[c], state: state, raw: raw, errorOutput: errorOutput, context: context,
                                                  variables: &variables)
                    inspection["variables"] = Self.variablesJSON(variables)
                    return StateTestResult(status: .caughtError, output: output, error: error,
                                           nextState: graph.states[state.catch[c].next].name, inspection: inspection, catchIndex: c)
                } catch let failure as QueryEvaluationFailure {
                    return StateTestResult(status: .failed, error: failure.statesError, inspection: inspection)
                } catch {
                    return StateTestResult(status: .failed, error: StatesError.runtime("\(error)"), inspection: inspection)
                }
            }
            return StateTestResult(status: .failed, error: error, inspection: inspection)
        } catch {
            return StateTestResult(status: .failed, error: StatesError.runtime("\(error)"), inspection: inspection)
        }
    }
}
