import JSON

// The first decoding stage: is every JSON value of the type the AttributeValue shape
// declares? DynamoDB's JSON layer answers a mismatch with a SerializationException
// worded after the JSON token it met and the Java type it wanted, e.g.
// `NUMBER_VALUE cannot be converted to String` (moto, tests/test_dynamodb/
// exceptions/test_dynamodb_exceptions.py::test_put_item__string_as_integer_value;
// localstack issue #9412) and `Start of structure or map found where not expected`
// (same moto test). The remaining wordings follow the table dynoxide keeps from its
// conformance runs against AWS (src/server/serialization_checks.rs, serde_errors.rs).
// Base64 failures use the texts dynalite recorded from AWS (validations/index.js).

extension AttributeValue {
    /// Checks one attribute value's wire shape and returns its nesting depth (1 for a
    /// scalar). Throws the SerializationException AWS gives for a mistyped member.
    @discardableResult
    public static func checkWireShape(_ json: JSONValue) throws -> Int {
        try WireShape.attributeValue(json, depth: 1)
    }

    /// Checks an item's (or key's) wire shape; returns the deepest nesting found.
    @discardableResult
    public static func checkItemWireShape(_ json: JSONValue) throws -> Int {
        try WireShape.attributeMap(json, depth: 1)
    }
}

enum WireShape {
    static let attributeValueClass = "com.amazonaws.dynamodb.v20120810.AttributeValue"

    /// A JSON value that should be an AttributeValue structure.
    static func attributeValue(_ json: JSONValue, depth: Int) throws -> Int {
        switch json {
        case .null:
            return depth
        case .array:
            throw DynamoDBError.serialization("Unrecognized collection type class \(attributeValueClass)")
        case .object(let object):
            var deepest = depth
            for member in object.members where !member.value.isNull {
                switch member.key {
                case "S", "N":
                    try expectString(member.value)
                case "B":
                    try expectBlob(member.value)
                case "BOOL", "NULL":
                    try expectBoolean(member.value)
                case "SS", "NS":
                    for element in try expectList(member.value) where !element.isNull { try expectString(element) }
                case "BS":
                    for element in try expectList(member.value) where !element.isNull { try expectBlob(element) }
                case "L":
                    for element in try expectList(member.value) {
                        deepest = max(deepest, try attributeValue(element, depth: depth + 1))
                    }
                case "M":
                    deepest = max(deepest, try attributeMap(member.value, depth: depth + 1))
                default:
                    continue  // unknown members are ignored, as AWS's JSON layer does
                }
            }
            return deepest
        default:
            throw DynamoDBError.serialization("Unexpected value type in payload")
        }
    }

    /// A JSON object of names to AttributeValues (an item, a key, an `M`).
    static func attributeMap(_ json: JSONValue, depth: Int) throws -> Int {
        switch json {
        case .object(let object):
            var deepest = depth
            for member in object.members {
                deepest = max(deepest, try attributeValue(member.value, depth: depth))
            }
            return deepest
        case .array:
            throw DynamoDBError.serialization("Unrecognized collection type java.util.Map<java.lang.String, \(attributeValueClass)>")
        default:
            throw DynamoDBError.serialization("Unexpected field type")
        }
    }

    static func expectList(_ json: JSONValue) throws -> [JSONValue] {
        switch json {
        case .array(let elements): return elements
        case .object: throw DynamoDBError.serialization("Start of structure or map found where not expected")
        default: throw DynamoDBError.serialization("Unexpected field type")
        }
    }

    static func expectString(_ json: JSONValue) throws {
        if case .string = json { return }
        throw scalarMismatch(json, javaType: "String", javaClass: "java.lang.String")
    }

    /// A blob is base64 text; its bytes must decode strictly.
    static func expectBlob(_ json: JSONValue) throws {
        guard case .string(let text) = json else {
            throw scalarMismatch(json, javaType: "ByteBuffer", javaClass: "java.nio.ByteBuffer")
        }
        if let problem = Base64Blob.problem(text) {
            throw DynamoDBError.serialization("'\(text)' can not be converted to a Blob: \(problem)")
        }
    }

    static func expectBoolean(_ json: JSONValue) throws {
        switch json {
        case .bool: return
        case .string: throw DynamoDBError.serialization("Unexpected token received from parser")
        default: throw scalarMismatch(json, javaType: "Boolean", javaClass: "java.lang.Boolean")
        }
    }

    /// A scalar member given the wrong JSON token.
    static func scalarMismatch(_ json: JSONValue, javaType: String, javaClass: String) -> DynamoDBError {
        switch json {
        case .array: return .serialization("Unrecognized collection type class \(javaClass)")
        case .object: return .serialization("Start of structure or map found where not expected")
        case .bool(let b): return .serialization("\(b ? "TRUE_VALUE" : "FALSE_VALUE") cannot be converted to \(javaType)")
        case .number(let text):
            let decimal = text.contains { $0 == "." || $0 == "e" || $0 == "E" }
            return .serialization("\(decimal ? "DECIMAL_VALUE" : "NUMBER_VALUE") cannot be converted to \(javaType)")
        case .string: return .serialization("STRING_VALUE cannot be converted to \(javaType)")
        case .null: return .serialization("Unexpected field type")
        }
    }
}

/// Strict base64 (standard alphabet, padded, canonical) as DynamoDB reads a blob.
enum Base64Blob {
    /// Why `text` is not acceptable base64, in AWS's words; nil when it is.
    static func problem(_ text: String) -> String? {
        let length = text.utf16.count  // Java's String.length, as AWS counts
        if length % 4 != 0 {
            return "Base64 encoded length is expected a multiple of 4 bytes but found: \(length)"
        }
        let scalars = Array(text.unicodeScalars)
        for (i, scalar) in scalars.enumerated() {
            if scalar == "=" {
                if i + 1 < scalars.count, scalars[i + 1] != "=" { return "Invalid Base64 character: '='" }
                continue
            }
            guard scalar.isASCII, value(UInt8(scalar.value)) != nil else {
                return "Invalid Base64 character: '\(scalar)'"
            }
        }
        if decode(text) == nil { return "Invalid last non-pad Base64 character dectected" }
        return nil
    }

    /// The decoded bytes, or nil unless `text` is canonical padded base64.
    static func decode(_ text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 4 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count / 4 * 3)
        var i = 0
        while i < chars.count {
            let last = i + 4 == chars.count
            let pads = chars[i..<i + 4].reversed().prefix { $0 == UInt8(ascii: "=") }.count
            guard pads == 0 || (last && pads <= 2) else { return nil }
            var group: UInt32 = 0
            for k in 0..<4 {
                let c = chars[i + k]
                let v: UInt8
                if k >= 4 - pads {
                    v = 0
                } else {
                    guard let decoded = value(c) else { return nil }
                    v = decoded
                }
                group = group << 6 | UInt32(v)
            }
            let b0 = UInt8(group >> 16 & 0xFF), b1 = UInt8(group >> 8 & 0xFF), b2 = UInt8(group & 0xFF)
            switch pads {
            case 0: out += [b0, b1, b2]
            case 1:
                guard b2 == 0 else { return nil }  // leftover bits must be zero
                out += [b0, b1]
            default:
                guard b1 == 0, b2 == 0 else { return nil }
                out.append(b0)
            }
            i += 4
        }
        return out
    }

    static func value(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return c - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return c - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"): return 62
        case UInt8(ascii: "/"): return 63
        default: return nil
        }
    }
}

// MARK: - Errors

extension DynamoDBError {
    /// AWS's JSON layer rejecting a mistyped member (`com.amazon.coral.service#SerializationException`).
    public static func serialization(_ message: String) -> DynamoDBError {
        DynamoDBError("SerializationException", message)
    }

    static var emptyAttributeValue: DynamoDBError {
        .validation("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes")
    }

    static var moreThanOneDatatype: DynamoDBError {
        .validation("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes")
    }

    /// Wording captured against AWS by dynamodb-conformance (tests/tier3/limits/nestingDepth.test.ts).
    public static var nestingTooDeep: DynamoDBError {
        .validation("Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit")
    }

    /// A number that fails to parse or leaves DynamoDB's range.
    public static func number(_ failure: DynamoNumber.Failure, text: String,
                              style: AttributeValue.MessageStyle = .current) -> DynamoDBError {
        switch failure {
        case .notANumber:
            if text.isEmpty && style == .legacy {
                return .validation("The parameter cannot be converted to a numeric value")
            }
            return .validation("The parameter cannot be converted to a numeric value: \(text)")
        case .overflow:
            return .validation("Number overflow. Attempting to store a number with magnitude larger than supported range")
        case .underflow:
            return .validation("Number underflow. Attempting to store a number with magnitude smaller than supported range")
        case .tooManyDigits:
            return .validation("Attempting to store more than 38 significant digits in a Number")
        }
    }
}
