import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Signs envelopes with the emulator's own RSA key (SignatureVersion 1: SHA1withRSA,
/// 2: SHA256withRSA); its certificate is served at SigningCertURL, so clients that
/// verify SNS signatures can fetch it and check.
///
/// The key and a self-signed X.509 certificate are made once with the `openssl` CLI
/// (in the data directory, or a temporary folder shared by in-memory runs). Signing
/// calls the system's libcrypto through `dlopen`, so the build needs no OpenSSL
/// headers; with no `openssl` or libcrypto, messages carry an unsigned placeholder.
final class MessageSigner: @unchecked Sendable {
    // @unchecked: `key` is an EVP_PKEY only read after init (OpenSSL allows concurrent
    // signing with one key and a context per call); the function pointers never change.
    static let certificateName = "SimpleNotificationService-offcloud.pem"
    /// What `Signature` holds when no key could be made.
    static let unsignedPlaceholder = "EXAMPLE"

    let certificatePEM: String
    private let key: OpaquePointer
    private let crypto: Crypto
    /// One signature per message and version, shared by all its subscribers.
    private let cache = NSCache<NSString, NSString>()

    private struct Crypto {
        typealias NewMemBuf = @convention(c) (UnsafeRawPointer?, Int32) -> OpaquePointer?
        typealias ReadKey = @convention(c) (OpaquePointer?, UnsafeMutablePointer<OpaquePointer?>?, OpaquePointer?, UnsafeMutableRawPointer?) -> OpaquePointer?
        typealias Free = @convention(c) (OpaquePointer?) -> Void
        typealias FreeInt = @convention(c) (OpaquePointer?) -> Int32
        typealias NewCtx = @convention(c) () -> OpaquePointer?
        typealias Digest = @convention(c) () -> OpaquePointer?
        typealias SignInit = @convention(c) (OpaquePointer?, UnsafeMutablePointer<OpaquePointer?>?, OpaquePointer?, OpaquePointer?, OpaquePointer?) -> Int32
        typealias Sign = @convention(c) (OpaquePointer?, UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<Int>?, UnsafePointer<UInt8>?, Int) -> Int32

        var newMemBuf: NewMemBuf
        var readKey: ReadKey
        var bioFree: FreeInt
        var newCtx: NewCtx
        var freeCtx: Free
        var sha1: Digest
        var sha256: Digest
        var signInit: SignInit
        var sign: Sign

        static func load() -> Crypto? {
            guard let lib = dlopen("libcrypto.so.3", RTLD_NOW) ?? dlopen("libcrypto.so", RTLD_NOW) else { return nil }
            func symbol<T>(_ name: String, _: T.Type) -> T? {
                guard let p = dlsym(lib, name) else { return nil }
                return unsafeBitCast(p, to: T.self)
            }
            guard let a = symbol("BIO_new_mem_buf", NewMemBuf.self), let b = symbol("PEM_read_bio_PrivateKey", ReadKey.self),
                  let c = symbol("BIO_free", FreeInt.self), let d = symbol("EVP_MD_CTX_new", NewCtx.self),
                  let e = symbol("EVP_MD_CTX_free", Free.self), let f = symbol("EVP_sha1", Digest.self),
                  let g = symbol("EVP_sha256", Digest.self), let h = symbol("EVP_DigestSignInit", SignInit.self),
                  let i = symbol("EVP_DigestSign", Sign.self) else { return nil }
            return Crypto(newMemBuf: a, readKey: b, bioFree: c, newCtx: d, freeCtx: e, sha1: f, sha256: g, signInit: h, sign: i)
        }
    }

    private init(certificatePEM: String, key: OpaquePointer, crypto: Crypto) {
        self.certificatePEM = certificatePEM
        self.key = key
        self.crypto = crypto
        cache.countLimit = 10_000
    }

    /// The emulator's signer, making its key and certificate on first use.
    static func load(directory: String?) -> MessageSigner? {
        guard let crypto = Crypto.load() else { return nil }
        let folder = directory.map { URL(fileURLWithPath: $0).appendingPathComponent("sns-signing") }
            ?? URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("offcloud-sns-signing")
        let keyURL = folder.appendingPathComponent("key.pem"), certURL = folder.appendingPathComponent("certificate.pem")
        if !FileManager.default.fileExists(atPath: certURL.path) || !FileManager.default.fileExists(atPath: keyURL.path) {
            try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            // Generated beside the final files and renamed, so concurrent starts never read half a key.
            let id = UUID().uuidString
            let tmpKey = folder.appendingPathComponent("key-\(id).pem"), tmpCert = folder.appendingPathComponent("cert-\(id).pem")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            // 1024-bit: signatures here only need to verify, and signing every envelope at
            // publish rates costs a quarter of what a 2048-bit key does.
            process.arguments = ["openssl", "req", "-x509", "-newkey", "rsa:1024", "-nodes", "-keyout", tmpKey.path, "-out", tmpCert.path,
                                 "-days", "3650", "-subj", "/CN=sns.amazonaws.com"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            do { try process.run() } catch { return nil }
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { return nil }
            _ = rename(tmpKey.path, keyURL.path)
            _ = rename(tmpCert.path, certURL.path)
        }
        guard let keyPEM = try? Data(contentsOf: keyURL), let cert = try? String(contentsOf: certURL, encoding: .utf8) else { return nil }
        let key: OpaquePointer? = keyPEM.withUnsafeBytes { raw in
            guard let bio = crypto.newMemBuf(raw.baseAddress, Int32(raw.count)) else { return nil }
            defer { _ = crypto.bioFree(bio) }
            return crypto.readKey(bio, nil, nil, nil)
        }
        guard let key else { return nil }
        return MessageSigner(certificatePEM: cert, key: key, crypto: crypto)
    }

    /// Base64 of the RSA signature of `text` (SHA1 for version 1, SHA256 for 2).
    func sign(_ text: String, version: String, cacheKey: String? = nil) -> String? {
        let ck = cacheKey.map { "\(version):\($0)" as NSString }
        if let ck, let hit = cache.object(forKey: ck) { return hit as String }
        guard let ctx = crypto.newCtx() else { return nil }
        defer { crypto.freeCtx(ctx) }
        guard crypto.signInit(ctx, nil, version == "2" ? crypto.sha256() : crypto.sha1(), nil, key) == 1 else { return nil }
        var bytes = Array(text.utf8)
        var length = 0
        guard crypto.sign(ctx, nil, &length, &bytes, bytes.count) == 1, length > 0 else { return nil }
        var signature = [UInt8](repeating: 0, count: length)
        guard crypto.sign(ctx, &signature, &length, &bytes, bytes.count) == 1 else { return nil }
        let encoded = Data(signature.prefix(length)).base64EncodedString()
        if let ck { cache.setObject(encoded as NSString, forKey: ck) }
        return encoded
    }
}
