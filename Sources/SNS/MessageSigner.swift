import Foundation

/// Signs envelopes with the emulator's own RSA key (SignatureVersion 1: SHA1withRSA,
/// 2: SHA256withRSA); its certificate is served at SigningCertURL.
final class MessageSigner: Sendable {
    static let certificateName = "SimpleNotificationService-offcloud.pem"
    /// What `Signature` holds when no key could be made.
    static let unsignedPlaceholder = "EXAMPLE"

    let certificatePEM: String

    init(certificatePEM: String) {
        self.certificatePEM = certificatePEM
    }

    static func load(directory: String?) -> MessageSigner? { nil }

    func sign(_ text: String, version: String) -> String? { nil }
}
