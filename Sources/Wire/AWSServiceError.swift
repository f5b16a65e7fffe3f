import JSON

/// An error a client sees as an AWS error response. Each service has its own type
/// with static factories; only the Wire layer turns one into bytes.
public protocol AWSServiceError: Error, Sendable {
    /// The error's shape name in the service model (`QueueDoesNotExist`), used as
    /// `__type` in JSON protocols.
    var code: String { get }
    /// The code query-protocol clients know (`AWS.SimpleQueueService.NonExistentQueue`);
    /// sent in `x-amzn-query-error` by query-compatible JSON services.
    var queryCode: String { get }
    var httpStatus: Int { get }
    var message: String { get }
    /// `Sender` for the client's fault, `Receiver` for ours.
    var isSenderFault: Bool { get }
    /// Members beyond the message that the error shape carries (DynamoDB's
    /// `CancellationReasons`, a failed condition's `Item`), for JSON protocols.
    var extraMembers: JSONObject? { get }
}

extension AWSServiceError {
    public var extraMembers: JSONObject? { nil }
}

/// Errors every AWS protocol shares, raised before a request reaches a service.
public struct CommonError: AWSServiceError, CustomStringConvertible {
    public var code: String
    public var queryCode: String
    public var httpStatus: Int
    public var message: String
    public var isSenderFault: Bool

    public init(code: String, queryCode: String? = nil, httpStatus: Int = 400, message: String, isSenderFault: Bool = true) {
        self.code = code
        self.queryCode = queryCode ?? code
        self.httpStatus = httpStatus
        self.message = message
        self.isSenderFault = isSenderFault
    }

    public var description: String { "\(code): \(message)" }

    public static func unknownOperation(_ target: String) -> CommonError {
        CommonError(code: "UnknownOperationException", message: "Unknown operation \(target)")
    }
    public static func invalidAction(_ action: String) -> CommonError {
        CommonError(code: "InvalidAction", message: "The action \(action) is not valid for this endpoint.")
    }
    public static func missingAction() -> CommonError {
        CommonError(code: "MissingAction", message: "Missing Action")
    }
    public static func serialization(_ message: String) -> CommonError {
        CommonError(code: "SerializationException", message: message)
    }
    public static func malformedQueryString(_ message: String) -> CommonError {
        CommonError(code: "MalformedQueryString", message: message)
    }
    public static func unsupportedMediaType(_ type: String) -> CommonError {
        CommonError(code: "UnsupportedMediaTypeException", httpStatus: 415, message: "Unsupported Media Type: \(type)")
    }
    public static func requestTooLarge(limit: Int) -> CommonError {
        CommonError(code: "RequestEntityTooLarge", httpStatus: 413, message: "Request body is larger than \(limit) bytes.")
    }
    public static func internalFailure() -> CommonError {
        CommonError(code: "InternalFailure", httpStatus: 500,
                    message: "The request processing has failed because of an unknown error, exception or failure.",
                    isSenderFault: false)
    }
    public static func incompleteSignature(_ message: String) -> CommonError {
        CommonError(code: "IncompleteSignature", message: message)
    }
    public static func missingAuthenticationToken() -> CommonError {
        CommonError(code: "MissingAuthenticationToken", httpStatus: 403, message: "Request is missing Authentication Token")
    }
    public static func signatureDoesNotMatch() -> CommonError {
        CommonError(code: "SignatureDoesNotMatch", httpStatus: 403,
                    message: "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.")
    }
    public static func invalidClientTokenId() -> CommonError {
        CommonError(code: "InvalidClientTokenId", httpStatus: 403,
                    message: "The security token included in the request is invalid.")
    }
}
