import Foundation
import JSON
import Lambda
import States

/// Answers Task states mocked with `{"handler": "Name"}` by calling the registered
/// Swift handler: `lambda:invoke` tasks pass their `Payload` and get the result back
/// wrapped as Lambda returns it; other resources pass their parameters as they are.
struct HandlerInvoker: TaskInvoker {
    let handlers: LambdaHandlers
    /// State name → handler name and environment.
    let routes: [String: (name: String, environment: [String: String])]

    func invoke(_ request: TaskRequest) async throws -> JSONValue {
        guard let route = routes[request.stateName] else {
            throw StatesError("States.TaskFailed", "No mocked response for state \(request.stateName) (\(request.resource)).")
        }
        guard let handler = handlers.handler(named: route.name) else {
            throw StatesError("States.TaskFailed", "No Swift handler is registered as '\(route.name)' (state \(request.stateName)).")
        }
        let lambdaInvoke = request.resource.hasPrefix("arn:aws:states:::lambda:invoke")
        let event = lambdaInvoke ? (request.input["Payload"] ?? .object(JSONObject())) : request.input
        let context = LambdaContext(requestID: "test-\(request.stateName)", functionName: route.name,
                                    invokedFunctionARN: "arn:aws:lambda:us-east-1:000000000000:function:\(route.name)",
                                    deadline: Date().addingTimeInterval(900), environment: route.environment)
        do {
            let result = try await handler(event, context)
            guard lambdaInvoke else { return result }
            return ["ExecutedVersion": "$LATEST", "Payload": result, "SdkHttpMetadata": ["HttpStatusCode": 200], "StatusCode": 200]
        } catch let error as LambdaFunctionError {
            let document: JSONValue = ["errorMessage": .string(error.errorMessage), "errorType": .string(error.errorType)]
            throw StatesError(error.errorType, document.jsonString)
        } catch let error as StatesError {
            throw error
        } catch {
            throw StatesError(String(describing: type(of: error)), String(describing: error))
        }
    }
}
