/// Who is asking and where: resolved once per request from the SigV4 credential
/// scope and the Host header, then handed to the service.
public struct RequestContext: Sendable {
    public var requestId: String
    public var accountId: String
    public var region: String
    /// The Host header as the client sent it (`127.0.0.1:4566`), so URLs we return
    /// point back at the address the client used.
    public var host: String
    public var accessKeyId: String?
    public var wireProtocol: WireProtocol

    public init(requestId: String, accountId: String, region: String, host: String,
                accessKeyId: String? = nil, wireProtocol: WireProtocol = .json) {
        self.requestId = requestId
        self.accountId = accountId
        self.region = region
        self.host = host
        self.accessKeyId = accessKeyId
        self.wireProtocol = wireProtocol
    }
}

public enum WireProtocol: Sendable {
    case json
    case query
    case restJSON
}
