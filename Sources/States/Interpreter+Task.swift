import Foundation
import JSON

/// How a Task resource ARN appears in history: `resourceType` and `resource`.
struct TaskResource {
    enum Kind { case lambdaFunction, activity, integration }
    var kind: Kind
    var resourceType: String
    var resource: String
    var waitForTaskToken: Bool

    init(_ arn: String) {
        waitForTaskToken = arn.hasSuffix(".waitForTaskToken")
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        if parts.count >= 7, parts[2] == "lambda", parts[5] == "function" {
            kind = .lambdaFunction
            resourceType = "lambda"
            resource = arn
        } else if parts.count >= 7, parts[2] == "states", parts[5] == "activity" {
            kind = .activity
            resourceType = "activity"
            resource = arn
        } else if parts.count >= 7, parts[2] == "states", parts[5] == "aws-sdk" {
            kind = .integration
            resourceType = "aws-sdk:\(parts[6])"
            resource = parts.dropFirst(7).joined(separator: ":")
        } else if parts.count >= 7, parts[2] == "states" {
            kind = .integration
            resourceType = parts[5]
            resource = parts.dropFirst(6).joined(separator: ":")
        } else {
            kind = .integration
            resourceType = parts.count > 2 ? parts[2] : "unknown"
            resource = arn
        }
    }
}

extension ExecutionRun {
    /// Runs a Task state's resource on `scope.input` (the effective input, before Parameters).
    func runTask(_ task: TaskState, state: State, scope: EvaluationScope, previous: inout Int,
                 mapItem: (index: Int, value: JSONValue)?) async throws -> JSONValue {
        let resource = TaskResource(task.resource)
        let timeout = try integer(task.timeoutSeconds, scope: scope, field: "TimeoutSecondsPath")
        let heartbeat = try integer(task.heartbeatSeconds, scope: scope, field: "HeartbeatSecondsPath")
        let token = resource.waitForTaskToken ? TaskToken.make() : nil
        var context = scope.context
        if let token, case .object(var o) = context {
            o["Task"] = ["Token": .string(token)]
            context = .object(o)
        }
        // Parameters (or Arguments) may reference $$.Task.Token only for .waitForTaskToken resources.
        let effectiveParameters: JSONValue
        if state.queryLanguage == .jsonata {
            effectiveParameters = try state.jsonata?.arguments?.evaluate(
                JSONataScope(input: scope.input, context: context, variables: scope.variables), field: "Arguments") ?? scope.input
        } else {
            effectiveParameters = try state.io.parameters?.evaluate(
                in: EvaluationScope(input: scope.input, context: context, variables: scope.variables), field: "Parameters") ?? scope.input
        }

        switch resource.kind {
        case .lambdaFunction:
            var details: JSONObject = ["resource": .string(task.resource), "input": .string(effectiveParameters.jsonString),
                                       "inputDetails": ["truncated": false]]
            if let timeout { details["timeoutInSeconds"] = .integer(timeout) }
            previous = await log.record("LambdaFunctionScheduled", previous: previous, details: ("lambdaFunctionScheduledEventDetails", details))
            previous = await log.record("LambdaFunctionStarted", previous: previous)
        case .activity:
            var details: JSONObject = ["resource": .string(task.resource), "input": .string(effectiveParameters.jsonString),
                                       "inputDetails": ["truncated": false]]
            if let timeout { details["timeoutInSeconds"] = .integer(timeout) }
            if let heartbeat { details["heartbeatInSeconds"] = .integer(heartbeat) }
            previous = await log.record("ActivityScheduled", previous: previous, details: ("activityScheduledEventDetails", details))
        case .integration:
            var details: JSONObject = ["resourceType": .string(resource.resourceType), "resource": .string(resource.resource),
                                       "region": .string(region), "parameters": .string(effectiveParameters.jsonString)]
            if let timeout { details["timeoutInSeconds"] = .integer(timeout) }
            if let heartbeat { details["heartbeatInSeconds"] = .integer(heartbeat) }
            previous = await log.record("TaskScheduled", previous: previous, details: ("taskScheduledEventDetails", details))
            previous = await log.record("TaskStarted", previous: previous, details: ("taskStartedEventDetails", [
                "resourceType": .string(resource.resourceType), "resource": .string(resource.resource),
            ]))
        }

        // An activity's ActivityStarted comes from the worker's side, while the task waits.
        let startedEvent = CheckpointEventBox()
        var activityStarted: (@Sendable (String?) async -> Void)?
        if case .activity = resource.kind {
            let log = self.log, scheduled = previous
            activityStarted = { workerName in
                var details = JSONObject()
                if let workerName { details["workerName"] = .string(workerName) }
                startedEvent.value = await log.record("ActivityStarted", previous: scheduled,
                                                      details: ("activityStartedEventDetails", details))
            }
        }
        let request = TaskRequest(resource: task.resource, input: effectiveParameters, stateName: state.name, context: context,
                                  timeoutSeconds: timeout, heartbeatSeconds: heartbeat, taskToken: token,
                                  activityStarted: activityStarted)
        do {
            let output = try await invokeWithTimeout(request, timeout: timeout)
            if let started = startedEvent.value { previous = started }
            switch resource.kind {
            case .lambdaFunction:
                previous = await log.record("LambdaFunctionSucceeded", previous: previous, details: ("lambdaFunctionSucceededEventDetails", [
                    "output": .string(output.jsonString), "outputDetails": ["truncated": false],
                ]))
            case .activity:
                previous = await log.record("ActivitySucceeded", previous: previous, details: ("activitySucceededEventDetails", [
                    "output": .string(output.jsonString), "outputDetails": ["truncated": false],
                ]))
            case .integration:
                previous = await log.record("TaskSucceeded", previous: previous, details: ("taskSucceededEventDetails", [
                    "resourceType": .string(resource.resourceType), "resource": .string(resource.resource),
                    "output": .string(output.jsonString), "outputDetails": ["truncated": false],
                ]))
            }
            return output
        } catch let error as StatesError {
            if let started = startedEvent.value { previous = started }
            let timedOut = error.error == "States.Timeout" || error.error == "States.HeartbeatTimeout"
            switch resource.kind {
            case .lambdaFunction:
                previous = await log.record(timedOut ? "LambdaFunctionTimedOut" : "LambdaFunctionFailed", previous: previous,
                                            details: (timedOut ? "lambdaFunctionTimedOutEventDetails" : "lambdaFunctionFailedEventDetails",
                                                      ["error": .string(error.error), "cause": .string(error.cause)]))
            case .activity:
                previous = await log.record(timedOut ? "ActivityTimedOut" : "ActivityFailed", previous: previous,
                                            details: (timedOut ? "activityTimedOutEventDetails" : "activityFailedEventDetails",
                                                      ["error": .string(error.error), "cause": .string(error.cause)]))
            case .integration:
                previous = await log.record(timedOut ? "TaskTimedOut" : "TaskFailed", previous: previous,
                                            details: (timedOut ? "taskTimedOutEventDetails" : "taskFailedEventDetails", [
                                                "resourceType": .string(resource.resourceType), "resource": .string(resource.resource),
                                                "error": .string(error.error), "cause": .string(error.cause),
                                            ]))
            }
            throw error
        }
    }

    var region: String {
        let parts = execution.executionArn.split(separator: ":")
        return parts.count > 3 ? String(parts[3]) : "us-east-1"
    }

    func integer(_ field: IntegerField?, scope: EvaluationScope, field name: String) throws -> Int? {
        switch field {
        case nil: return nil
        case .value(let v)?: return v
        case .path(let p)?:
            let v = try p.evaluate(in: scope, field: name)
            guard case .number(let n) = v, let i = Int(n), i >= 0 else {
                throw StatesError.runtime("The value for the field '\(name)' must be a non-negative integer, but was \(v.jsonString)")
            }
            return i
        case .expression(let template)?:
            // A JSONata field is named without its `Path` suffix: `TimeoutSeconds`, `MaxConcurrency`.
            let field = name.hasSuffix("Path") ? String(name.dropLast(4)) : name
            let i = try template.integer(JSONataScope(scope), field: field)
            guard i >= 0 else {
                throw QueryEvaluationFailure("The value of the field '\(field)' must be a non-negative integer, but was \(i)", location: field)
            }
            return i
        }
    }

    /// Runs the task; with a real clock and `TimeoutSeconds`, a task that takes longer
    /// fails with `States.Timeout`.
    func invokeWithTimeout(_ request: TaskRequest, timeout: Int?) async throws -> JSONValue {
        let invoker = interpreter.invoker
        guard let timeout, clock.isReal else { return try await invoker.invoke(request) }
        let clock = self.clock
        let deadline = clock.nowMilliseconds() + Int64(timeout) * 1000
        return try await withThrowingTaskGroup(of: JSONValue.self) { group in
            group.addTask { try await invoker.invoke(request) }
            group.addTask {
                try await clock.sleep(untilMilliseconds: deadline)
                throw StatesError.timeout("Task timed out after \(timeout) seconds.")
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }
}

/// Task tokens: random, unguessable, opaque.
enum TaskToken {
    static func make() -> String {
        var bytes = [UInt8](repeating: 0, count: 48)
        var g = SystemRandomNumberGenerator()
        for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255, using: &g) }
        return Data(bytes).base64EncodedString()
    }
}
