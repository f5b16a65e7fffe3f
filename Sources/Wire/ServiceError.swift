/// The error most services answer with: a shape name that is also its query code, an
/// HTTP status and AWS's message; the client's fault below 500. `Service` only gives
/// each service's errors (and their factory functions) a type of their own.
public struct ServiceError<Service: ServiceErrorDomain>: AWSServiceError, Equatable, CustomStringConvertible {
    public var code: String
    public var queryCode: String { code }
    public var httpStatus: Int
    public var message: String
    public var isSenderFault: Bool { httpStatus < 500 }

    public init(_ code: String, _ message: String, status: Int = 400) {
        self.code = code
        self.message = message
        self.httpStatus = status
    }

    public var description: String { "\(code): \(message)" }
}

/// Marks the service a `ServiceError` belongs to (`ServiceError<LambdaErrors>`).
public protocol ServiceErrorDomain: Sendable {}
