import Wire

/// A Lambda API error: its shape name (sent in `x-amzn-ErrorType`), status and message.
public typealias LambdaError = ServiceError<LambdaErrors>

public enum LambdaErrors: ServiceErrorDomain {}

extension ServiceError where Service == LambdaErrors {
    static func functionNotFound(_ arn: String) -> LambdaError {
        LambdaError("ResourceNotFoundException", "Function not found: \(arn)", status: 404)
    }
    static func resourceNotFound(_ message: String) -> LambdaError { LambdaError("ResourceNotFoundException", message, status: 404) }
    static func conflict(_ message: String) -> LambdaError { LambdaError("ResourceConflictException", message, status: 409) }
    static func invalidParameter(_ message: String) -> LambdaError { LambdaError("InvalidParameterValueException", message) }
    static func validation(_ message: String) -> LambdaError { LambdaError("ValidationException", message) }
    static func invalidRequestContent(_ message: String) -> LambdaError { LambdaError("InvalidRequestContentException", message) }
}
