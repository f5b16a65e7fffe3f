import Foundation
import JSON

/// One retrier's count for one error name.
struct RetryKey: Hashable {
    var retrier: Int
    var error: String
}

/// What one state produced and where to go next (nil: the graph ends).
struct StepResult {
    var output: JSONValue
    var next: Transition?
}

extension ExecutionRun {
    func runState(_ state: State, input raw: JSONValue, variables: inout [String: JSONValue], previous: inout Int,
                  mapItem: (index: Int, value: JSONValue)?, topLevel: Bool = false, resume: Checkpoint? = nil) async throws -> StepResult {
        let type = state.typeName
        let entered = clock.nowMilliseconds()
        var waitUntil = resume?.waitUntil
        if let enteredId = resume?.enteredEventId {
            // Resumed: the state was entered before the restart.
            previous = enteredId
        } else {
            previous = await log.record("\(type)StateEntered", previous: previous, details: ("stateEnteredEventDetails", [
                "name": .string(state.name), "input": .string(raw.jsonString), "inputDetails": ["truncated": false],
            ]))
            try checkSize(raw, what: "input", state: state.name)
            if state.needsDurableCheckpoint {
                // Before a side effect or a wait, the history so far (this state's entry
                // included) goes to disk with the point to resume from.
                if case .wait(let wait) = state.kind {
                    let context = self.context(stateName: state.name, enteredTime: entered, retryCount: 0, mapItem: mapItem)
                    if let effective = try? applyInputPath(state.io.inputPath, raw: raw, context: context, variables: variables) {
                        waitUntil = try? self.waitUntil(wait, scope: EvaluationScope(input: effective, context: context, variables: variables))
                    }
                }
                try await log.commit(topLevel ? Checkpoint(stateName: state.name, input: raw, variables: variables,
                                                           enteredEventId: previous, waitUntil: waitUntil) : nil)
            }
        }

        let enteredEventId = previous
        var retryCount = 0
        // AWS's "complex retry scenario": MaxAttempts is spent per error name within a retrier,
        // while the back-off grows with every retry that retrier has made.
        var retriesByRetrier: [Int: Int] = [:]
        var retriesByError: [RetryKey: Int] = [:]
        while true {
            let context = self.context(stateName: state.name, enteredTime: entered, retryCount: retryCount, mapItem: mapItem)
            do {
                var step: StepResult
                do {
                    if state.queryLanguage == .jsonata {
                        step = try await performJSONata(state, raw: raw, context: context, variables: &variables, previous: &previous,
                                                        mapItem: mapItem, waitUntil: waitUntil)
                    } else {
                        step = try await perform(state, raw: raw, context: context, variables: &variables, previous: &previous,
                                                 mapItem: mapItem, waitUntil: waitUntil)
                    }
                } catch let failure as QueryEvaluationFailure {
                    throw await evaluationFailed(failure, state: state, enteredEventId: enteredEventId, previous: &previous)
                }
                try checkSize(step.output, what: "output", state: state.name)
                if case .fail = state.kind { return step }
                previous = await log.record("\(type)StateExited", previous: previous, details: ("stateExitedEventDetails", [
                    "name": .string(state.name), "output": .string(step.output.jsonString), "outputDetails": ["truncated": false],
                ]))
                if step.next == nil { step.next = state.transition }
                return step
            } catch let error as StatesError {
                if case .fail = state.kind { throw error }
                // Retry: the first retrier whose ErrorEquals matches decides.
                if let r = state.retry.firstIndex(where: { $0.errorEquals.matches(error.error) }) {
                    let retrier = state.retry[r]
                    let key = RetryKey(retrier: r, error: error.error)
                    if retriesByError[key, default: 0] < retrier.maxAttempts {
                        retriesByError[key, default: 0] += 1
                        let attempt = retriesByRetrier[r, default: 0]
                        retriesByRetrier[r] = attempt + 1
                        retryCount += 1
                        interpreter.observer?.retried(state: state.name, retrier: r, error: error.error)
                        // The failure is in the history while the back-off runs, as on AWS.
                        try await log.commit(nil)
                        // A back-off that outlasts the machine's TimeoutSeconds ends the execution there.
                        let wake = clock.nowMilliseconds() + retrier.delay(forAttempt: attempt)
                        if let deadline, wake > deadline {
                            try await clock.sleep(untilMilliseconds: deadline)
                            throw ExecutionTimedOut()
                        }
                        try await clock.sleep(untilMilliseconds: wake)
                        continue
                    }
                }
                guard let catcher = state.catch.first(where: { $0.errorEquals.matches(error.error) }) else { throw error }
                interpreter.observer?.caught(state: state.name, catcher: state.catch.firstIndex { $0.errorEquals.matches(error.error) } ?? 0,
                                             error: error.error)
                let errorOutput: JSONValue = ["Error": .string(error.error), "Cause": .string(error.cause)]
                let output: JSONValue
                if state.queryLanguage == .jsonata {
                    do {
                        output = try catchJSONata(catcher, state: state, raw: raw, errorOutput: errorOutput, context: context,
                                                  variables: &variables)
                    } catch let failure as QueryEvaluationFailure {
                        throw await evaluationFailed(failure, state: state, enteredEventId: enteredEventId, previous: &previous)
                    }
                } else {
                    let scope = EvaluationScope(input: errorOutput, context: context, variables: variables)
                    if let assign = catcher.assign { try assignVariables(assign, scope: scope, into: &variables, state: state.name) }
                    output = try applyResultPath(catcher.resultPath, raw: raw, result: errorOutput, state: state)
                }
                previous = await log.record("\(type)StateExited", previous: previous, details: ("stateExitedEventDetails", [
                    "name": .string(state.name), "output": .string(output.jsonString), "outputDetails": ["truncated": false],
                ]))
                return StepResult(output: output, next: .next(catcher.next))
            }
        }
    }

    /// The state's work and data flow, from raw input to output.
    func perform(_ state: State, raw: JSONValue, context: JSONValue, variables: inout [String: JSONValue], previous: inout Int,
                 mapItem: (index: Int, value: JSONValue)?, waitUntil resumedUntil: Int64? = nil) async throws -> StepResult {
        let effective = try applyInputPath(state.io.inputPath, raw: raw, context: context, variables: variables)
        let inputScope = EvaluationScope(input: effective, context: context, variables: variables)
        switch state.kind {
        case .pass(let pass):
            let parameters = try state.io.parameters?.evaluate(in: inputScope, field: "Parameters") ?? effective
            let result = pass.result ?? parameters
            return try finish(state, raw: raw, result: result, context: context, variables: &variables)

        case .task(let task):
            // runTask evaluates Parameters itself: `$$.Task.Token` exists only once it has made the token.
            let result = try await runTask(task, state: state, scope: inputScope, previous: &previous, mapItem: mapItem)
            let selected = try state.io.resultSelector?.evaluate(in: EvaluationScope(input: result, context: context, variables: variables),
                                                                 field: "ResultSelector") ?? result
            return try finish(state, raw: raw, result: selected, context: context, variables: &variables)

        case .choice(let choice):
            for (rule, branch) in choice.choices.enumerated() where try branch.rule.evaluate(in: inputScope) {
                interpreter.observer?.choiceTaken(state: state.name, rule: rule)
                if let assign = state.assign { try assignVariables(assign, scope: inputScope, into: &variables) }
                if let assign = branch.assign { try assignVariables(assign, scope: inputScope, into: &variables) }
                return StepResult(output: try applyOutputPath(state.io.outputPath, effective, context: context,
                                                              variables: inputScope.variables),
                                  next: .next(branch.next))
            }
            guard let defaultState = choice.defaultState else {
                throw StatesError.noChoiceMatched("No Matches!")
            }
            interpreter.observer?.choiceTaken(state: state.name, rule: nil)
            if let assign = state.assign { try assignVariables(assign, scope: inputScope, into: &variables) }
            return StepResult(output: try applyOutputPath(state.io.outputPath, effective, context: context,
                                                          variables: inputScope.variables),
                              next: .next(defaultState))

        case .wait(let wait):
            let until = try resumedUntil ?? waitUntil(wait, scope: inputScope)
            if let deadline, until > deadline {
                try await clock.sleep(untilMilliseconds: deadline)
                throw ExecutionTimedOut()
            }
            try await clock.sleep(untilMilliseconds: until)
            if let assign = state.assign { try assignVariables(assign, scope: inputScope, into: &variables) }
            return StepResult(output: try applyOutputPath(state.io.outputPath, effective, context: context,
                                                          variables: inputScope.variables), next: nil)

        case .succeed:
            return StepResult(output: try applyOutputPath(state.io.outputPath, effective, context: context, variables: variables), next: .end)

        case .fail(let fail):
            let scope = EvaluationScope(input: raw, context: context, variables: variables)
            let error = try failText(fail.error, scope: scope, field: "ErrorPath")
            let cause = try failText(fail.cause, scope: scope, field: "CausePath")
            throw StatesError(error ?? "", cause ?? "")

        case .parallel(let parallel):
            let parameters = try state.io.parameters?.evaluate(in: inputScope, field: "Parameters") ?? effective
            let result = try await runParallel(parallel, state: state, input: parameters, variables: variables, previous: &previous)
            let selected = try state.io.resultSelector?.evaluate(in: EvaluationScope(input: result, context: context, variables: variables),
                                                                 field: "ResultSelector") ?? result
            return try finish(state, raw: raw, result: selected, context: context, variables: &variables)

        case .map(let map):
            let result = try await runMap(map, state: state, input: effective, context: context, variables: variables, previous: &previous)
            let selected = try state.io.resultSelector?.evaluate(in: EvaluationScope(input: result, context: context, variables: variables),
                                                                 field: "ResultSelector") ?? result
            return try finish(state, raw: raw, result: selected, context: context, variables: &variables)
        }
    }

    /// Assign, then ResultPath, then OutputPath. New values take effect when the state is
    /// done: OutputPath, like Assign itself, still reads the variables as they were on entry.
    /// The assignments are kept only if ResultPath and OutputPath succeed too: a state that
    /// fails (and is caught) assigns nothing.
    func finish(_ state: State, raw: JSONValue, result: JSONValue, context: JSONValue,
                variables: inout [String: JSONValue]) throws -> StepResult {
        var assigned = variables
        if let assign = state.assign {
            try assignVariables(assign, scope: EvaluationScope(input: result, context: context, variables: variables), into: &assigned,
                                state: state.name)
        }
        let combined = try applyResultPath(state.io.resultPath, raw: raw, result: result, state: state)
        let output = try applyOutputPath(state.io.outputPath, combined, context: context, variables: variables)
        variables = assigned
        return StepResult(output: output, next: nil)
    }

    func failText(_ text: FailState.Text?, scope: EvaluationScope, field: String) throws -> String? {
        switch text {
        case nil: return nil
        case .literal(let s)?: return s
        case .path(let p)?:
            let v = try p.evaluate(in: scope, field: field)
            guard case .string(let s) = v else {
                throw StatesError.runtime("The value at the path '\(p.text)' for the field '\(field)' must be a string, but was \(v.jsonString)")
            }
            return s
        case .intrinsic(let call)?:
            let v = try call.evaluate(in: scope)
            guard case .string(let s) = v else {
                throw StatesError.runtime("The intrinsic function for the field '\(field)' must return a string, but returned \(v.jsonString)")
            }
            return s
        case .expression(let template)?:
            return try template.string(JSONataScope(scope), field: field)
        }
    }

    func waitUntil(_ wait: WaitState, scope: EvaluationScope) throws -> Int64 {
        let now = clock.nowMilliseconds()
        switch wait.duration {
        case .seconds(let s):
            return now + Int64(s) * 1000
        case .timestamp(let t):
            return Timestamp(t)?.milliseconds ?? now
        case .secondsPath(let p):
            let v = try p.evaluate(in: scope, field: "SecondsPath")
            guard case .number(let n) = v, let s = Int(n), s >= 0 else {
                throw StatesError.runtime("The SecondsPath parameter does not reference a valid non-negative integer value: \(v.jsonString)")
            }
            return now + Int64(s) * 1000
        case .timestampPath(let p):
            let v = try p.evaluate(in: scope, field: "TimestampPath")
            guard case .string(let s) = v, let t = Timestamp(s) else {
                throw StatesError.runtime("The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: \(v.jsonString)")
            }
            return t.milliseconds
        case .secondsExpression(let template):
            let s = try template.integer(JSONataScope(scope), field: "Seconds")
            guard s >= 0 else {
                throw QueryEvaluationFailure("The value of the field 'Seconds' must be a non-negative integer, but was \(s)", location: "Seconds")
            }
            return now + Int64(s) * 1000
        case .timestampExpression(let template):
            let text = try template.string(JSONataScope(scope), field: "Timestamp")
            guard let t = Timestamp(text) else {
                throw QueryEvaluationFailure("The value of the field 'Timestamp' must be a valid ISO-8601 extended offset date-time format string, but was \(JSONValue.string(text).jsonString)", location: "Timestamp")
            }
            return t.milliseconds
        }
    }

    // MARK: data flow

    func applyInputPath(_ field: DataFlow.PathField, raw: JSONValue, context: JSONValue, variables: [String: JSONValue]) throws -> JSONValue {
        switch field {
        case .discard: return .object(JSONObject())
        case .path(let p):
            if p == JSONPath.identity { return raw }
            return try p.evaluate(in: EvaluationScope(input: raw, context: context, variables: variables), field: "InputPath")
        }
    }

    func applyOutputPath(_ field: DataFlow.PathField, _ value: JSONValue, context: JSONValue, variables: [String: JSONValue]) throws -> JSONValue {
        switch field {
        case .discard: return .object(JSONObject())
        case .path(let p):
            if p == JSONPath.identity { return value }
            return try p.evaluate(in: EvaluationScope(input: value, context: context, variables: variables), field: "OutputPath")
        }
    }

    func applyResultPath(_ field: DataFlow.PathField, raw: JSONValue, result: JSONValue, state: State) throws -> JSONValue {
        switch field {
        case .discard: return raw
        case .path(let p):
            if p == JSONPath.identity { return result }
            return try p.assign(result, into: raw)
        }
    }

    /// Evaluates every `Assign` value against the same scope, then sets them together.
    func assignVariables(_ template: PayloadTemplate, scope: EvaluationScope, into variables: inout [String: JSONValue],
                         state: String = "") throws {
        guard case .object(let values) = try template.evaluate(in: scope, field: "Assign") else { return }
        try Self.checkAssignedSize(values, state: state)
        for m in values { variables[m.key] = m.value }
    }
}

extension Retrier {
    /// IntervalSeconds × BackoffRate^attempt, capped by MaxDelaySeconds; FULL jitter
    /// picks uniformly below that.
    func delay(forAttempt attempt: Int) -> Int64 {
        var seconds = Double(intervalSeconds) * pow(backoffRate, Double(attempt))
        if let cap = maxDelaySeconds { seconds = min(seconds, Double(cap)) }
        seconds = min(seconds, 31_622_400)
        if jitterStrategy == .full { seconds = StatesRandomness.double(in: 0...seconds) }
        return Int64(seconds * 1000)
    }
}
