/// Key values as byte strings whose order is DynamoDB's key order, so that SQLite's
/// BLOB comparison (memcmp, then the shorter first) sorts keys as DynamoDB does.
///
/// - `S`: the UTF-8 bytes. DynamoDB orders strings by their UTF-8 bytes.
/// - `B`: the bytes themselves, compared unsigned.
/// - `N`: numeric order:
///   ```
///   zero      0x02
///   positive  0x03, magnitude + 130, pair₁, pair₂, …
///   negative  0x01, 125 - magnitude, ~(pair₁+1), ~(pair₂+1), …, 0xFF
///   ```
///   where `magnitude` is the power of ten of the first significant digit
///   (−130…125, so one byte) and the pairs are the significant digits two to a byte
///   (`15` → 15, a lone last digit `7` → 70). With no trailing zeros, a shorter
///   positive digit string that is a prefix of a longer one is the smaller number,
///   which is exactly how memcmp treats a prefix. Negatives invert every byte so
///   larger magnitudes sort first; their pairs are stored +1 before inverting so
///   no digit byte is 0xFF, and the 0xFF terminator makes `-1` sort after `-1.01`.
public enum KeyEncoding {
    public struct DecodingError: Error, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// The sortable bytes of a key value, or nil for a type that cannot be a key.
    public static func encode(_ value: AttributeValue) -> [UInt8]? {
        switch value {
        case .s(let s): return Array(s.utf8)
        case .b(let b): return b
        case .n(let n): return encode(n)
        default: return nil
        }
    }

    public static func encode(_ number: DynamoNumber) -> [UInt8] {
        guard !number.isZero else { return [0x02] }
        var pairs: [UInt8] = []
        pairs.reserveCapacity((number.digits.count + 1) / 2)
        var i = 0
        while i < number.digits.count {
            let low = i + 1 < number.digits.count ? number.digits[i + 1] : 0
            pairs.append(number.digits[i] * 10 + low)
            i += 2
        }
        if number.negative {
            return [0x01, UInt8(125 - number.magnitude)] + pairs.map { ~($0 + 1) } + [0xFF]
        }
        return [0x03, UInt8(number.magnitude + 130)] + pairs
    }

    /// Reads bytes from `encode` back as a value of the key's declared type (`S`, `N`, `B`).
    public static func decode(_ bytes: [UInt8], type: String) throws -> AttributeValue {
        switch type {
        case "S":
            let s = String(decoding: bytes, as: UTF8.self)
            guard s.utf8.elementsEqual(bytes) else {
                throw DecodingError(description: "string key is not valid UTF-8")
            }
            return .s(s)
        case "B":
            return .b(bytes)
        case "N":
            return .n(try decodeNumber(bytes))
        default:
            throw DecodingError(description: "\(type) is not a key type")
        }
    }

    public static func decodeNumber(_ bytes: [UInt8]) throws -> DynamoNumber {
        guard let sign = bytes.first else { throw DecodingError(description: "empty number key") }
        if sign == 0x02 && bytes.count == 1 { return .zero }
        guard bytes.count >= 3, sign == 0x01 || sign == 0x03 else {
            throw DecodingError(description: "malformed number key")
        }
        let negative = sign == 0x01
        let magnitude = negative ? 125 - Int(bytes[1]) : Int(bytes[1]) - 130
        var body = bytes[2...]
        if negative {
            guard body.last == 0xFF else { throw DecodingError(description: "unterminated negative number key") }
            body = body.dropLast()
        }
        var digits: [UInt8] = []
        for byte in body {
            let pair = negative ? (~byte) &- 1 : byte
            guard pair < 100 else { throw DecodingError(description: "malformed number key") }
            digits.append(pair / 10)
            digits.append(pair % 10)
        }
        while digits.last == 0 { digits.removeLast() }
        guard let first = digits.first, first != 0 else { throw DecodingError(description: "malformed number key") }
        return DynamoNumber(negative: negative, digits: digits, exponent: magnitude - (digits.count - 1))
    }
}

// MARK: - Key validation

extension KeyEncoding {
    public enum Role: Sendable {
        case partition
        case sort
    }

    /// Largest partition key value, in bytes (UTF-8 or raw).
    public static let maximumPartitionKeyBytes = 2048
    /// Largest sort key value, in bytes.
    public static let maximumSortKeyBytes = 1024

    /// Checks a table key attribute's value against its declared type (`S`, `N` or
    /// `B`), in DynamoDB's order: type, emptiness, size. Messages as AWS words them
    /// (moto tests/test_dynamodb/exceptions/test_key_length_exceptions.py — note the
    /// missing space in "limit of2048"; dynamodb-conformance
    /// tests/tier3/error-messages/putItem.test.ts for the empty binary key).
    public static func validate(_ value: AttributeValue, name: String, type: String, role: Role) throws {
        guard value.typeName == type else {
            throw DynamoDBError.validation("One or more parameter values were invalid: Type mismatch for key \(name) expected: \(type) actual: \(value.typeName)")
        }
        let size: Int
        switch value {
        case .s(let s):
            guard !s.isEmpty else {
                throw DynamoDBError.validation("One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: \(name)")
            }
            size = s.utf8.count
        case .b(let b):
            guard !b.isEmpty else {
                throw DynamoDBError.validation("One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty binary value. Key: \(name)")
            }
            size = b.count
        default:
            size = ItemSize.of(value)
        }
        switch role {
        case .partition where size > maximumPartitionKeyBytes:
            throw DynamoDBError.validation("One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes")
        case .sort where size > maximumSortKeyBytes:
            throw DynamoDBError.validation("One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes")
        default:
            return
        }
    }
}
