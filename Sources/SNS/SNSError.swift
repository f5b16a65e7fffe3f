import Wire

/// An SNS error: the query code clients see in `<Code>` (botocore maps it to the
/// model's exception shape), AWS's HTTP status, and AWS's own wording.
public struct SNSError: AWSServiceError, Equatable, CustomStringConvertible {
    public var code: String
    public var queryCode: String { code }
    public var httpStatus: Int
    public var message: String
    public var isSenderFault: Bool

    init(_ code: String, status: Int = 400, _ message: String, sender: Bool = true) {
        self.code = code
        self.httpStatus = status
        self.message = message
        self.isSenderFault = sender
    }

    public var description: String { "\(code): \(message)" }

    /// `InvalidParameter`: "Invalid parameter: <what>".
    static func invalidParameter(_ what: String) -> SNSError {
        SNSError("InvalidParameter", "Invalid parameter: \(what)")
    }
    /// `InvalidParameter` with a message of AWS's that does not start with "Invalid parameter".
    static func invalidParameterMessage(_ message: String) -> SNSError {
        SNSError("InvalidParameter", message)
    }
    /// `ParameterValueInvalid` (the model's InvalidParameterValueException).
    static func parameterValueInvalid(_ message: String) -> SNSError {
        SNSError("ParameterValueInvalid", message)
    }
    static func topicNotFound() -> SNSError { SNSError("NotFound", status: 404, "Topic does not exist") }
    static func subscriptionNotFound() -> SNSError { SNSError("NotFound", status: 404, "Subscription does not exist") }
    static func endpointNotFound() -> SNSError { SNSError("NotFound", status: 404, "Endpoint does not exist") }
    static func resourceNotFound() -> SNSError { SNSError("ResourceNotFound", status: 404, "Resource does not exist") }
    static func authorizationError(_ message: String) -> SNSError { SNSError("AuthorizationError", status: 403, message) }
    static func tagLimitExceeded() -> SNSError {
        SNSError("TagLimitExceeded", "Could not complete request: tag quota of per resource exceeded")
    }
    static func emptyBatch() -> SNSError {
        SNSError("EmptyBatchRequest", "The batch request doesn't contain any entries.")
    }
    static func tooManyEntries() -> SNSError {
        SNSError("TooManyEntriesInBatchRequest", "The batch request contains more entries than permissible.")
    }
    static func batchIdsNotDistinct() -> SNSError {
        SNSError("BatchEntryIdsNotDistinct", "Two or more batch entries in the request have the same Id.")
    }
    static func invalidBatchEntryId() -> SNSError {
        SNSError("InvalidBatchEntryId", "The Id of a batch entry in a batch request doesn't abide by the specification.")
    }
    static func batchTooLong() -> SNSError {
        SNSError("BatchRequestTooLong", "The length of all the messages put together is more than the limit.")
    }
    static func validation(_ message: String) -> SNSError { SNSError("ValidationException", message) }
    static func internalError() -> SNSError {
        SNSError("InternalError", status: 500, "Internal Error", sender: false)
    }

    /// A request member missing or of the wrong type, as SNS reports it.
    static func from(_ error: ShapeError) -> SNSError {
        switch error {
        case .missing:
            return .invalidParameter(error.memberName)
        case .typeMismatch:
            return .invalidParameter(error.memberName)
        }
    }
}
