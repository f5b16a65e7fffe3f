import Digest
import Foundation
import JSON

extension IntrinsicEvaluator {
    /// `States.Base64Encode(string)`: the UTF-8 bytes, standard alphabet, padded.
    func base64Encode() throws -> JSONValue {
        let value = try boundedString(0)
        return .string(Data(value.utf8).base64EncodedString())
    }

    /// `States.Base64Decode(base64)`: decodes to UTF-8 text. Lenient like AWS's decoder:
    /// characters outside the alphabet (spaces, line breaks, stray padding) are skipped
    /// and missing padding is tolerated.
    func base64Decode() throws -> JSONValue {
        let value = try boundedString(0)
        let bytes = Self.lenientBase64Decode(value)
        return .string(String(decoding: bytes, as: UTF8.self))
    }

    static func lenientBase64Decode(_ text: String) -> [UInt8] {
        var sextets: [UInt8] = []
        sextets.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): sextets.append(byte - UInt8(ascii: "A"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): sextets.append(byte - UInt8(ascii: "a") + 26)
            case UInt8(ascii: "0")...UInt8(ascii: "9"): sextets.append(byte - UInt8(ascii: "0") + 52)
            case UInt8(ascii: "+"), UInt8(ascii: "-"): sextets.append(62)
            case UInt8(ascii: "/"), UInt8(ascii: "_"): sextets.append(63)
            default: continue
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(sextets.count * 3 / 4)
        var index = 0
        while index + 4 <= sextets.count {
            let n = UInt32(sextets[index]) << 18 | UInt32(sextets[index + 1]) << 12
                | UInt32(sextets[index + 2]) << 6 | UInt32(sextets[index + 3])
            out.append(UInt8(truncatingIfNeeded: n >> 16))
            out.append(UInt8(truncatingIfNeeded: n >> 8))
            out.append(UInt8(truncatingIfNeeded: n))
            index += 4
        }
        let remaining = sextets.count - index
        if remaining >= 2 {
            let n = UInt32(sextets[index]) << 18 | UInt32(sextets[index + 1]) << 12
                | (remaining == 3 ? UInt32(sextets[index + 2]) << 6 : 0)
            out.append(UInt8(truncatingIfNeeded: n >> 16))
            if remaining == 3 { out.append(UInt8(truncatingIfNeeded: n >> 8)) }
        }
        return out
    }

    /// `States.Hash(data, algorithm)`: lowercase hex of MD5, SHA-1, SHA-256, SHA-384 or
    /// SHA-512 over the UTF-8 text (a non-string value is hashed as its JSON text, as AWS
    /// does). The text may be at most 10,000 characters.
    func hash() throws -> JSONValue {
        let data: String
        if case .string(let text) = arguments[0] { data = text } else { data = arguments[0].jsonString }
        guard data.utf16.count <= Self.maxStringLength else { throw invalidArguments() }
        let bytes = Array(data.utf8)
        let digest: [UInt8]
        switch try string(1) {
        case "MD5": digest = MD5.hash(bytes)
        case "SHA-1": digest = SHA1.hash(bytes)
        case "SHA-256": digest = SHA256.hash(bytes)
        case "SHA-384": digest = SHA384.hash(bytes)
        case "SHA-512": digest = SHA512.hash(bytes)
        default: throw invalidArguments()
        }
        return .string(digest.hexString)
    }
}
