import Foundation
import JSON
import Lambda
import States
import StepFunctions
import Wire

/// Lets Step Functions Task states run Lambda functions: a function error becomes a
/// States error named after the function's `errorType`, with the error document as
/// its cause, exactly as `Catch` and `Retry` see it on AWS.
struct LambdaStatesInvoker: LambdaFunctionInvoker {
    let lambda: LambdaService

    func invoke(function: String, payload: JSONValue, context: RequestContext) async throws -> JSONValue {
        let result: InvocationResult
        do {
            result = try await lambda.invoke(function: function, payload: payload, context: context)
        } catch let error as any AWSServiceError {
            throw StatesError("Lambda.\(error.code)",
                              "\(error.message) (Service: Lambda, Status Code: \(error.httpStatus), Request ID: \(context.requestId))")
        }
        if let error = result.error {
            // A failed run's payload is already Lambda's error document.
            throw StatesError(error.errorType, result.payload.jsonString)
        }
        return result.payload
    }
}

/// The in-process client handlers receive: it calls an operation of any emulated
/// service directly through its endpoint, with the same input shapes an SDK sends.
struct GatewayAWS: InProcessAWS {
    let services: [ServiceEndpoint]
    let accountId: String
    let region: String
    /// The Host requests appear to arrive on (queue URLs and API endpoints are built from it).
    var host = "localhost"
    /// Handlers see a service's refusal as `LambdaFunctionError(code, message)`: matchable
    /// by AWS's error code without importing the service, and, left uncaught, the function
    /// fails with that code as its errorType, as an AWS SDK exception would.
    var errorsAsFunctionErrors = false

    func call(service: String, operation: String, input: JSONValue) async throws -> JSONValue {
        // boto3's client names: `dynamodbstreams`, `stepfunctions` and `apigatewaymanagementapi` sign as
        // `dynamodb`, `states` and `execute-api`.
        let signingName = ["stepfunctions": "states", "dynamodbstreams": "dynamodb", "apigatewaymanagementapi": "execute-api",
                           "apigatewayv2": "apigateway"][service]
            ?? service
        let candidates = services.filter { $0.signingName == signingName }
            .filter { service != "dynamodbstreams" || $0.jsonTargetPrefix?.hasPrefix("DynamoDBStreams") == true }
        guard let op = candidates.lazy.compactMap({ $0.operation(operation) }).first else {
            throw LambdaFunctionError("UnknownOperationException", "\(service) has no operation \(operation)")
        }
        let context = RequestContext(requestId: UUID().uuidString.lowercased(), accountId: accountId, region: region,
                                     host: host)
        guard errorsAsFunctionErrors else { return try await op.invoke(try ShapeReader(input), context) }
        do {
            return try await op.invoke(try ShapeReader(input), context)
        } catch let error as any AWSServiceError {
            throw LambdaFunctionError(error.code, error.message)
        } catch let error as ShapeError {
            throw LambdaFunctionError("ValidationException", "\(service) \(operation): \(error)")
        }
    }
}
