import Foundation
import JSON

/// JSONata states: no InputPath/Parameters/ResultSelector/ResultPath/OutputPath; the state
/// sees its raw input as `$states.input`, its work's result as `$states.result`, and shapes
/// what it passes on with `Output` (default: the result, or the input for states without
/// one). `Assign` and `Output` are evaluated against the same scope, and neither takes
/// effect unless both succeed.
extension ExecutionRun {
    func performJSONata(_ state: State, raw: JSONValue, context: JSONValue, variables: inout [String: JSONValue], previous: inout Int,
                        mapItem: (index: Int, value: JSONValue)?, waitUntil resumedUntil: Int64? = nil) async throws -> StepResult {
        let scope = EvaluationScope(input: raw, context: context, variables: variables)
        switch state.kind {
        case .pass, .succeed:
            var step = try finishJSONata(state, scope: JSONataScope(scope), default: raw, variables: &variables)
            if case .succeed = state.kind { step.next = .end }
            return step

        case .task(let task):
            let result = try await runTask(task, state: state, scope: scope, previous: &previous, mapItem: mapItem)
            return try finishJSONata(state, scope: JSONataScope(scope, result: result), default: result, variables: &variables)

        case .choice(let choice):
            let jsonataScope = JSONataScope(scope)
            for (rule, branch) in choice.choices.enumerated() where try condition(branch, scope: jsonataScope) {
                interpreter.observer?.choiceTaken(state: state.name, rule: rule)
                var step = try finishJSONata(state, scope: jsonataScope, default: raw, variables: &variables,
                                             branchOutput: branch.output, branchAssign: branch.jsonataAssign)
                step.next = .next(branch.next)
                return step
            }
            guard let defaultState = choice.defaultState else {
                throw StatesError.noChoiceMatched("No Matches!")
            }
            interpreter.observer?.choiceTaken(state: state.name, rule: nil)
            var step = try finishJSONata(state, scope: jsonataScope, default: raw, variables: &variables)
            step.next = .next(defaultState)
            return step

        case .wait(let wait):
            let until = try resumedUntil ?? waitUntil(wait, scope: scope)
            if let deadline, until > deadline {
                try await clock.sleep(untilMilliseconds: deadline)
                throw ExecutionTimedOut()
            }
            try await clock.sleep(untilMilliseconds: until)
            return try finishJSONata(state, scope: JSONataScope(scope), default: raw, variables: &variables)

        case .fail(let fail):
            let error = try failText(fail.error, scope: scope, field: "Error")
            let cause = try failText(fail.cause, scope: scope, field: "Cause")
            throw StatesError(error ?? "", cause ?? "")

        case .parallel(let parallel):
            let arguments = try state.jsonata?.arguments?.evaluate(JSONataScope(scope), field: "Arguments") ?? raw
            let result = try await runParallel(parallel, state: state, input: arguments, variables: variables, previous: &previous)
            return try finishJSONata(state, scope: JSONataScope(scope, result: result), default: result, variables: &variables)

        case .map(let map):
            let result = try await runMap(map, state: state, input: raw, context: context, variables: variables, previous: &previous)
            return try finishJSONata(state, scope: JSONataScope(scope, result: result), default: result, variables: &variables)
        }
    }

    /// A JSONata Choice rule's `Condition`: it must give a boolean.
    func condition(_ branch: ChoiceBranch, scope: JSONataScope) throws -> Bool {
        guard let condition = branch.condition else { return false }
        let value = try condition.evaluate(scope, field: "Condition")
        guard case .bool(let b) = value else {
            throw condition.field?.unexpectedType(value, expected: "boolean", field: "Condition")
                ?? QueryEvaluationFailure("The value of the field 'Condition' must be a boolean", location: "Condition")
        }
        return b
    }

    /// `Output` and `Assign` (a Choice rule's own first), both against `scope`.
    func finishJSONata(_ state: State, scope: JSONataScope, default value: JSONValue, variables: inout [String: JSONValue],
                       branchOutput: JSONataTemplate? = nil, branchAssign: JSONataTemplate? = nil) throws -> StepResult {
        var assigned = variables
        if let assign = state.jsonata?.assign { try assignJSONata(assign, scope: scope, into: &assigned, state: state) }
        if let assign = branchAssign { try assignJSONata(assign, scope: scope, into: &assigned, state: state) }
        let output: JSONValue
        if let template = branchOutput ?? state.jsonata?.output {
            output = try template.evaluate(scope, field: "Output")
        } else {
            output = value
        }
        variables = assigned
        return StepResult(output: output, next: nil)
    }

    /// Evaluates a JSONata `Assign` object and sets its members together.
    func assignJSONata(_ template: JSONataTemplate, scope: JSONataScope, into variables: inout [String: JSONValue], state: State) throws {
        guard case .object(let values) = try template.evaluate(scope, field: "Assign") else { return }
        try Self.checkAssignedSize(values, state: state.name)
        for m in values { variables[m.key] = m.value }
    }

    /// Step Functions' quota for one `Assign` (both languages): 256 KiB of values.
    static func checkAssignedSize(_ values: JSONObject, state: String) throws {
        var size = 0
        for m in values { size += m.key.utf8.count + m.value.serialized().count }
        if size > 262_144 {
            throw StatesError.dataLimitExceeded(
                "The state '\(state)' assigned variables with a total size exceeding the maximum number of bytes service limit of 256 KiB.")
        }
    }

    /// A JSONata catcher: `Output` (default: the error output) and `Assign`, with
    /// `$states.input` the state's input and `$states.errorOutput` the error.
    func catchJSONata(_ catcher: Catcher, state: State, raw: JSONValue, errorOutput: JSONValue, context: JSONValue,
                      variables: inout [String: JSONValue]) throws -> JSONValue {
        let scope = JSONataScope(input: raw, context: context, variables: variables, errorOutput: errorOutput)
        var assigned = variables
        if let assign = catcher.jsonataAssign { try assignJSONata(assign, scope: scope, into: &assigned, state: state) }
        let output = try catcher.output?.evaluate(scope, field: "Output") ?? errorOutput
        variables = assigned
        return output
    }

    /// A failed evaluation as the execution reports it: an `EvaluationFailed` event and
    /// the cause prefixed with the state and the event that entered it.
    func evaluationFailed(_ failure: QueryEvaluationFailure, state: State, enteredEventId: Int, previous: inout Int) async -> StatesError {
        previous = await log.record("EvaluationFailed", previous: previous, details: ("evaluationFailedEventDetails", [
            "error": .string(QueryEvaluationFailure.errorName), "cause": .string(failure.cause),
            "location": .string(failure.location), "state": .string(state.name),
        ]))
        return StatesError(QueryEvaluationFailure.errorName,
                           "An error occurred while executing the state '\(state.name)' (entered at the event id #\(enteredEventId)). \(failure.cause)")
    }
}
