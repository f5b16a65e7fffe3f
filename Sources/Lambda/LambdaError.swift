import Wire

/// A Lambda API error: its shape name (sent in `x-amzn-ErrorType`), status and message.
public struct LambdaError: AWSServiceError, Equatable, CustomStringConvertible {
    public var code: String
    public var queryCode: String { code }
    public var httpStatus: Int
    public var message: String
    public var isSenderFault: Bool { httpStatus < 500 }

    init(_ code: String, _ message: String, status: Int = 400) {
        self.code = code
        self.message = message
        self.httpStatus = status
    }

    public var description: String { "\(code): \(message)" }

    static func functionNotFound(_ arn: String) -> LambdaError {
        LambdaError("ResourceNotFoundException", "Function not found: \(arn)", status: 404)
    }
    static func resourceNotFound(_ message: String) -> LambdaError { LambdaError("ResourceNotFoundException", message, status: 404) }
    static func conflict(_ message: String) -> LambdaError { LambdaError("ResourceConflictException", message, status: 409) }
    static func invalidParameter(_ message: String) -> LambdaError { LambdaError("InvalidParameterValueException", message) }
    static func validation(_ message: String) -> LambdaError { LambdaError("ValidationException", message) }
    static func invalidRequestContent(_ message: String) -> LambdaError { LambdaError("InvalidRequestContentException", message) }
}
