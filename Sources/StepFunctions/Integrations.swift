import Foundation
import JSON
import SQS
import States
import Storage
import Wire

/// Runs a Lambda function for a Task state. The Lambda service supplies one; without
/// it, Lambda tasks fail as they would against an account with no such function.
public protocol LambdaFunctionInvoker: Sendable {
    /// Invokes `function` (name or ARN) with `payload`; returns the function's result
    /// or throws a `StatesError` named after the function's error.
    func invoke(function: String, payload: JSONValue, context: RequestContext) async throws -> JSONValue
}

/// Calls an operation of any emulated service with SDK-shaped input (`dynamodb`,
/// `PutItem`, {...}); the Server layer supplies it once every service exists.
public typealias ServiceCall = @Sendable (_ service: String, _ operation: String, _ input: JSONValue) async throws -> JSONValue

/// The services a Task state can reach.
public struct Integrations: Sendable {
    public var sqs: SQSService?
    public var lambda: (any LambdaFunctionInvoker)?
    /// Every other service (DynamoDB, SNS, API Gateway's @connections, …), bound after
    /// start-up because those services are created after Step Functions.
    public let services = LockedValue<ServiceCall?>(nil)

    public init(sqs: SQSService? = nil, lambda: (any LambdaFunctionInvoker)? = nil) {
        self.sqs = sqs
        self.lambda = lambda
    }

    func invoker(for service: StepFunctionsService, region: String, account: String) -> TaskInvoker {
        ServiceTaskInvoker(integrations: self, service: service, region: region, account: account)
    }
}

/// Resolves a Task's resource ARN to a call into another emulated service.
struct ServiceTaskInvoker: TaskInvoker {
    let integrations: Integrations
    let service: StepFunctionsService
    let region: String
    let account: String

    var context: RequestContext {
        RequestContext(requestId: UUID().uuidString.lowercased(), accountId: account, region: region, host: service.advertisedHost.value)
    }

    func invoke(_ request: TaskRequest) async throws -> JSONValue {
        let arn = request.resource
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 6, parts[0] == "arn" else {
            throw StatesError.runtime("Invalid resource: \(arn)")
        }
        if parts[2] == "lambda", parts.count >= 7, parts[5] == "function" {
            return try await lambda(function: arn, payload: request.input)
        }
        guard parts[2] == "states" else { throw StatesError.runtime("Unsupported resource: \(arn)") }
        if parts[5] == "activity" {
            return try await activity(arn, request)
        }
        // arn:aws:states:::<service>:<action>[.<pattern>]  or  arn:aws:states:::aws-sdk:<service>:<action>
        let tail = Array(parts.dropFirst(5))
        var serviceName = tail.first ?? ""
        var actionPart = tail.dropFirst().joined(separator: ":")
        var sdk = false
        if serviceName == "aws-sdk" {
            sdk = true
            serviceName = tail.count > 1 ? tail[1] : ""
            actionPart = tail.dropFirst(2).joined(separator: ":")
        }
        let pattern: String?
        var action = actionPart
        if let dot = actionPart.firstIndex(of: ".") {
            action = String(actionPart[..<dot])
            pattern = String(actionPart[actionPart.index(after: dot)...])
        } else {
            pattern = nil
        }
        if pattern == "waitForTaskToken" {
            guard let token = request.taskToken else { throw StatesError.runtime("No task token for \(arn)") }
            try await service.registerToken(token, request: request, activityArn: nil)
            _ = try await call(serviceName, action, sdk: sdk, request: request, pattern: nil)
            return try await service.awaitToken(token, heartbeatSeconds: request.heartbeatSeconds)
        }
        return try await call(serviceName, action, sdk: sdk, request: request, pattern: pattern)
    }

    func call(_ serviceName: String, _ action: String, sdk: Bool, request: TaskRequest, pattern: String?) async throws -> JSONValue {
        switch (serviceName, action) {
        case ("lambda", "invoke") where !sdk:
            guard let function = request.input["FunctionName"]?.stringValue else {
                throw StatesError.runtime("The field 'FunctionName' is required for lambda:invoke")
            }
            let payload = request.input["Payload"] ?? .object(JSONObject())
            let result = try await lambda(function: function, payload: payload)
            return ["ExecutedVersion": "$LATEST", "Payload": result, "StatusCode": 200]
        case ("sqs", _):
            return try await sqs(action, request.input, sdk: sdk)
        case ("states", "startExecution") where !sdk:
            return try await startExecution(request.input, pattern: pattern)
        case ("sfn", _) where sdk:
            return try await sfn(action, request.input)
        case ("dynamodb", "getItem"), ("dynamodb", "putItem"), ("dynamodb", "updateItem"), ("dynamodb", "deleteItem"):
            return try await service("dynamodb", action, request.input, errorPrefix: sdk ? "DynamoDb" : "DynamoDB")
        case ("sns", "publish") where !sdk:
            var input = request.input.objectValue ?? JSONObject()
            if let message = input["Message"], message.stringValue == nil { input["Message"] = .string(message.jsonString) }
            return try await service("sns", action, .object(input), errorPrefix: "SNS")
        case (_, _) where sdk && integrations.services.value != nil:
            return try await service(serviceName, action, request.input, errorPrefix: Self.sdkErrorPrefix(serviceName))
        default:
            throw StatesError.runtime("The resource '\(request.resource)' is not supported by Offcloud")
        }
    }

    func lambda(function: String, payload: JSONValue) async throws -> JSONValue {
        guard let lambda = integrations.lambda else {
            throw StatesError("Lambda.ResourceNotFoundException",
                              "Function not found: \(function) (Service: Lambda, Status Code: 404, Request ID: \(UUID().uuidString.lowercased()))")
        }
        return try await lambda.invoke(function: function, payload: payload, context: context)
    }

    /// `sqs:sendMessage` (optimized) and `aws-sdk:sqs:*`: the same SQS operations a client reaches.
    func sqs(_ action: String, _ input: JSONValue, sdk: Bool) async throws -> JSONValue {
        guard let sqs = integrations.sqs else { throw StatesError.runtime("SQS is not available") }
        let name = action.prefix(1).uppercased() + action.dropFirst()
        guard let operation = SQSOperation(rawValue: name) else {
            throw StatesError.runtime("The resource 'sqs:\(action)' is not supported")
        }
        var parameters = input.objectValue ?? JSONObject()
        if !sdk, let body = parameters["MessageBody"], body.stringValue == nil {
            parameters["MessageBody"] = .string(body.jsonString)
        }
        do {
            return try await sqs.invoke(operation, try ShapeReader(.object(parameters)), context)
        } catch let error as AWSServiceError {
            if sdk {
                let code = error.code.hasSuffix("Exception") ? error.code : error.code + "Exception"
                throw StatesError("Sqs.\(code)", error.message)
            }
            throw StatesError("SQS.AmazonSQSException",
                              "\(error.message) (Service: AmazonSQS; Status Code: \(error.httpStatus); Error Code: \(error.queryCode); Request ID: \(UUID().uuidString.lowercased()); Proxy: null)")
        } catch let error as ShapeError {
            throw StatesError.runtime("Invalid parameters for sqs:\(action): \(error)")
        }
    }

    /// `aws-sdk:sfn:*`: any Step Functions operation. SDK integrations spell members in
    /// PascalCase; the API's JSON uses camelCase.
    func sfn(_ action: String, _ input: JSONValue) async throws -> JSONValue {
        let name = action.prefix(1).uppercased() + action.dropFirst()
        guard let operation = SFNOperation(rawValue: name) else {
            throw StatesError.runtime("The resource 'aws-sdk:sfn:\(action)' is not supported")
        }
        do {
            let output = try await service.invoke(operation, try ShapeReader(Self.recase(input, upper: false)), context)
            return Self.recase(output, upper: true)
        } catch let error as AWSServiceError {
            let code = error.code.hasSuffix("Exception") ? error.code : error.code + "Exception"
            throw StatesError("Sfn.\(code)", error.message)
        } catch let error as ShapeError {
            throw StatesError.runtime("Invalid parameters for sfn:\(action): \(error)")
        }
    }

    /// The SDK's service names as AWS spells them in error names (`DynamoDb.ResourceNotFoundException`).
    static func sdkErrorPrefix(_ service: String) -> String {
        let known = ["dynamodb": "DynamoDb", "sns": "Sns", "sqs": "Sqs", "lambda": "Lambda", "apigatewaymanagementapi": "ApiGatewayManagementApi",
                     "apigatewayv2": "ApiGatewayV2", "dynamodbstreams": "DynamoDbStreams"]
        return known[service] ?? (service.prefix(1).uppercased() + service.dropFirst())
    }

    /// An operation of another emulated service. Its errors become States errors named
    /// `<Service>.<Code>Exception`, as Catch and Retry see them on AWS.
    func service(_ serviceName: String, _ action: String, _ input: JSONValue, errorPrefix: String) async throws -> JSONValue {
        guard let call = integrations.services.value else {
            throw StatesError.runtime("The resource '\(serviceName):\(action)' is not supported by Offcloud")
        }
        let operation = action.prefix(1).uppercased() + action.dropFirst()
        // SDK integrations spell members in PascalCase; camelCase APIs get them re-cased.
        let camelCase: Set<String> = ["apigatewayv2"]
        let request = camelCase.contains(serviceName) ? Self.recase(input, upper: false) : input
        do {
            let output = try await call(serviceName, operation, request)
            return camelCase.contains(serviceName) ? Self.recase(output, upper: true) : output
        } catch let error as AWSServiceError {
            let code = error.code.hasSuffix("Exception") ? error.code : error.code + "Exception"
            throw StatesError("\(errorPrefix).\(code)", error.message)
        } catch let error as ShapeError {
            throw StatesError.runtime("Invalid parameters for \(serviceName):\(action): \(error)")
        } catch let error as StatesError {
            throw error
        } catch {
            throw StatesError("States.TaskFailed", "\(serviceName):\(action) failed: \(error)")
        }
    }

    /// Member names with their first letter upper- or lower-cased, all the way down.
    static func recase(_ value: JSONValue, upper: Bool) -> JSONValue {
        switch value {
        case .object(let o):
            return .object(JSONObject(o.members.map { m in
                let key = (upper ? m.key.prefix(1).uppercased() : m.key.prefix(1).lowercased()) + m.key.dropFirst()
                return JSONObject.Member(key, recase(m.value, upper: upper))
            }))
        case .array(let items): return .array(items.map { recase($0, upper: upper) })
        default: return value
        }
    }

    /// `states:startExecution`, request-response or `.sync` / `.sync:2`.
    func startExecution(_ input: JSONValue, pattern: String?) async throws -> JSONValue {
        guard let machineArn = input["StateMachineArn"]?.stringValue else {
            throw StatesError.runtime("The field 'StateMachineArn' is required for states:startExecution")
        }
        var request = JSONObject(["stateMachineArn": .string(machineArn)])
        if let name = input["Name"]?.stringValue { request["name"] = .string(name) }
        if let value = input["Input"] { request["input"] = .string(value.stringValue ?? value.jsonString) }
        do {
            let started = try await service.invoke(.startExecution, try ShapeReader(.object(request)), context)
            guard let executionArn = started["executionArn"]?.stringValue else { throw StatesError.runtime("StartExecution failed") }
            guard pattern == "sync" || pattern == "sync:2" else {
                return ["ExecutionArn": .string(executionArn), "StartDate": started["startDate"] ?? .null]
            }
            _ = await service.runner.outcome(of: executionArn)
            let described = try await service.invoke(.describeExecution, try ShapeReader(["executionArn": .string(executionArn)]), context)
            let status = described["status"]?.stringValue ?? "FAILED"
            if status != "SUCCEEDED" {
                throw StatesError("States.TaskFailed", "Execution \(executionArn) ended \(status): \(described["error"]?.stringValue ?? "")")
            }
            var o = JSONObject()
            for m in described.objectValue ?? JSONObject() {
                let key = m.key.prefix(1).uppercased() + m.key.dropFirst()
                if pattern == "sync:2", key == "Output" || key == "Input", let text = m.value.stringValue,
                   let parsed = try? JSONValue.parse(Array(text.utf8)) {
                    o[key] = parsed
                } else {
                    o[key] = m.value
                }
            }
            return .object(o)
        } catch let error as SFNError {
            throw StatesError("StepFunctions.\(error.code.hasSuffix("Exception") ? error.code : error.code + "Exception")", error.message)
        }
    }

    /// An activity task waits in its queue for a worker, then for the worker's answer.
    func activity(_ arn: String, _ request: TaskRequest) async throws -> JSONValue {
        let token = request.taskToken ?? UUID().uuidString
        try await service.registerToken(token, request: request, activityArn: arn)
        await service.activities.schedule(arn, ActivityQueues.Pending(token: token, input: request.input.jsonString,
                                                                      started: request.activityStarted))
        return try await service.awaitToken(token, heartbeatSeconds: request.heartbeatSeconds)
    }
}
