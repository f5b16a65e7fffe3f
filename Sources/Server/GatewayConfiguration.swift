/// How requests are attributed and checked.
public struct GatewayConfiguration: Sendable {
    /// The account used when the access key id is not itself a 12-digit account id.
    public var defaultAccountId: String
    public var defaultRegion: String
    /// Strict mode: reject requests whose SigV4 signature does not verify against
    /// `credentials` (access key id → secret).
    public var verifySignatures: Bool
    public var credentials: [String: String]

    public init(defaultAccountId: String = "000000000000", defaultRegion: String = "us-east-1",
                verifySignatures: Bool = false, credentials: [String: String] = [:]) {
        self.defaultAccountId = defaultAccountId
        self.defaultRegion = defaultRegion
        self.verifySignatures = verifySignatures
        self.credentials = credentials
    }
}
