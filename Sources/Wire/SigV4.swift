import Digest

/// The parts of a SigV4 `Authorization` header (or presigned query) the emulator
/// uses: the credential scope names account (via the access key), region and
/// service; the rest is needed only to verify the signature.
public struct SigV4Authorization: Sendable, Equatable {
    public var accessKeyId: String
    public var date: String
    public var region: String
    public var service: String
    public var signedHeaders: [String]
    public var signature: String

    /// Parses `AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/sqs/aws4_request, SignedHeaders=host;x-amz-date, Signature=…`.
    public init?(header: String) {
        guard header.hasPrefix("AWS4-HMAC-SHA256") else { return nil }
        var credential: String?, signed: String?, signature: String?
        for part in header.dropFirst("AWS4-HMAC-SHA256".count).split(separator: ",") {
            let trimmed = part.drop(while: { $0 == " " })
            guard let eq = trimmed.firstIndex(of: "=") else { continue }
            let name = trimmed[..<eq], value = String(trimmed[trimmed.index(after: eq)...])
            switch name {
            case "Credential": credential = value
            case "SignedHeaders": signed = value
            case "Signature": signature = value
            default: break
            }
        }
        guard let credential else { return nil }
        self.init(credential: credential, signedHeaders: signed ?? "", signature: signature ?? "")
    }

    public init?(credential: String, signedHeaders: String, signature: String) {
        let scope = credential.split(separator: "/", omittingEmptySubsequences: false)
        guard scope.count == 5, scope[4] == "aws4_request", !scope[0].isEmpty else { return nil }
        accessKeyId = String(scope[0])
        date = String(scope[1])
        region = String(scope[2])
        service = String(scope[3])
        self.signedHeaders = signedHeaders.split(separator: ";").map(String.init)
        self.signature = signature
    }

    public var scope: String { "\(date)/\(region)/\(service)/aws4_request" }
}

/// Verifies SigV4 signatures against known secrets (strict mode).
public enum SigV4Verifier {
    public enum Failure: Error, Equatable {
        case unknownAccessKey
        case missingDate
        case mismatch
    }

    public static func verify(_ request: WireRequest, authorization auth: SigV4Authorization, secret: String) throws {
        guard let amzDate = request.headers["x-amz-date"] ?? queryValue(request.query, "X-Amz-Date") else { throw Failure.missingDate }
        let payloadHash = request.headers["x-amz-content-sha256"] ?? SHA256.hash(request.body).hexString
        let canonicalHeaders = auth.signedHeaders.map { name -> String in
            let values = request.headers.entries.filter { $0.name.caseInsensitiveEquals(name) }.map { collapse($0.value) }
            return "\(name):\(values.joined(separator: ","))\n"
        }.joined()
        let canonical = [
            request.method,
            canonicalURI(request.path),
            canonicalQuery(request.query),
            canonicalHeaders,
            auth.signedHeaders.joined(separator: ";"),
            payloadHash,
        ].joined(separator: "\n")
        let stringToSign = "AWS4-HMAC-SHA256\n\(amzDate)\n\(auth.scope)\n\(SHA256.hash(canonical.utf8).hexString)"
        var key = HMAC.sha256(key: Array("AWS4\(secret)".utf8), message: Array(auth.date.utf8))
        key = HMAC.sha256(key: key, message: Array(auth.region.utf8))
        key = HMAC.sha256(key: key, message: Array(auth.service.utf8))
        key = HMAC.sha256(key: key, message: Array("aws4_request".utf8))
        let expected = HMAC.sha256(key: key, message: Array(stringToSign.utf8)).hexString
        guard constantTimeEquals(expected, auth.signature.lowercased()) else { throw Failure.mismatch }
    }

    static func collapse(_ value: String) -> String {
        value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }

    /// Non-S3 services sign the path URI-encoded once more (so `%` becomes `%25`).
    static func canonicalURI(_ path: String) -> String {
        path.isEmpty ? "/" : uriEncode(path, keepSlash: true)
    }

    static func canonicalQuery(_ query: String) -> String {
        guard !query.isEmpty else { return "" }
        let pairs = query.split(separator: "&").compactMap { part -> (String, String)? in
            let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let k = FormDecoding.decodePathSegment(kv[0]) ?? String(kv[0])
            if k == "X-Amz-Signature" { return nil }
            let v = kv.count > 1 ? (FormDecoding.decodePathSegment(kv[1]) ?? String(kv[1])) : ""
            return (uriEncode(k, keepSlash: false), uriEncode(v, keepSlash: false))
        }
        return pairs.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    static func uriEncode(_ s: String, keepSlash: Bool) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            case UInt8(ascii: "/") where keepSlash:
                out.append("/")
            default:
                out += "%" + String(b, radix: 16, uppercase: true).leftPadded(2)
            }
        }
        return out
    }

    public static func queryValue(_ query: String, _ name: String) -> String? {
        for part in query.split(separator: "&") {
            let kv = part.split(separator: "=", maxSplits: 1)
            if kv.count == 2, kv[0] == name { return FormDecoding.decodePathSegment(kv[1]) }
        }
        return nil
    }

    static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<x.count { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
