import Wire

/// An API Gateway v2 error: its shape name, status and message.
public struct APIGatewayError: AWSServiceError, Equatable {
    public var code: String
    public var queryCode: String { code }
    public var httpStatus: Int
    public var message: String
    public var isSenderFault: Bool { httpStatus < 500 }

    public init(_ code: String, _ message: String, status: Int) {
        self.code = code
        self.message = message
        self.httpStatus = status
    }

    static func notFound(_ kind: String, _ id: String) -> APIGatewayError {
        APIGatewayError("NotFoundException", "Invalid \(kind) identifier specified \(id)", status: 404)
    }
    static func badRequest(_ message: String) -> APIGatewayError { APIGatewayError("BadRequestException", message, status: 400) }
    static func conflict(_ message: String) -> APIGatewayError { APIGatewayError("ConflictException", message, status: 409) }
}
