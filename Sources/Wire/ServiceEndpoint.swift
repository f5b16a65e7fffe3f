import JSON

/// What a service engine offers the network edge: how its requests are recognised
/// and how each named operation runs. The engine keeps its own operation enum; this
/// is the one place a wire name becomes that enum.
public struct ServiceEndpoint: Sendable {
    /// The SigV4 signing name (`sqs`).
    public var signingName: String
    /// `X-Amz-Target` prefix for awsJson requests (`AmazonSQS`).
    public var jsonTargetPrefix: String?
    /// `application/x-amz-json-1.0` or `-1.1`.
    public var jsonContentType: String
    /// Prefix of `__type` in JSON errors (`com.amazonaws.sqs#`).
    public var jsonErrorTypePrefix: String
    /// `Version` parameter of query requests (`2012-11-05`).
    public var queryVersion: String?
    public var xmlNamespace: String
    /// awsQueryCompatible services add `x-amzn-query-error` to JSON errors.
    public var queryCompatible: Bool
    /// restJson1 bindings, for services addressed by method and path.
    public var restRoutes: [RestJSONRoute]
    /// DynamoDB answers with an `x-amz-crc32` checksum of the body, which SDKs verify.
    public var addsCRC32 = false
    /// The error a restJson1 service answers for a body that is not JSON (each service
    /// names it its own way); nil keeps `SerializationException`.
    public var malformedBody: (@Sendable (String) -> any AWSServiceError)?
    public var operation: @Sendable (String) -> ServiceOperation?

    public init(signingName: String, jsonTargetPrefix: String?, jsonContentType: String = "application/x-amz-json-1.0",
                jsonErrorTypePrefix: String, queryVersion: String?, xmlNamespace: String, queryCompatible: Bool,
                restRoutes: [RestJSONRoute] = [], operation: @escaping @Sendable (String) -> ServiceOperation?) {
        self.signingName = signingName
        self.jsonTargetPrefix = jsonTargetPrefix
        self.jsonContentType = jsonContentType
        self.jsonErrorTypePrefix = jsonErrorTypePrefix
        self.queryVersion = queryVersion
        self.xmlNamespace = xmlNamespace
        self.queryCompatible = queryCompatible
        self.restRoutes = restRoutes
        self.operation = operation
    }
}

/// One operation of a service, callable with a decoded request object.
public struct ServiceOperation: Sendable {
    public typealias Invoke = @Sendable (_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue
    public var name: String
    public var query: QueryOperationSchema
    public var invoke: Invoke

    public init(name: String, query: QueryOperationSchema, invoke: @escaping Invoke) {
        self.name = name
        self.query = query
        self.invoke = invoke
    }
}

/// A response plus the unexpected error behind it, if any, for the edge to log.
public struct WireOutcome: Sendable {
    public var response: WireResponse
    public var unexpected: (any Error)?
    public init(_ response: WireResponse, unexpected: (any Error)? = nil) {
        self.response = response
        self.unexpected = unexpected
    }
}
