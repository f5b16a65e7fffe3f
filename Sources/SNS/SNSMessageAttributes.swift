import Foundation
import JSON
import Wire

/// One message attribute of a Publish: its data type (`String`, `Number`, `Binary`,
/// `String.Array`, or one of those with a custom suffix) and value. Binary values
/// stay base64 text, as clients send them and as envelopes carry them.
struct SNSAttribute: Sendable, Equatable {
    var dataType: String
    var value: String

    var isBinary: Bool { dataType == "Binary" || dataType.hasPrefix("Binary.") }

    var json: JSONValue { ["DataType": .string(dataType), "Value": .string(value)] }

    init(dataType: String, value: String) {
        self.dataType = dataType
        self.value = value
    }

    init?(json: JSONValue) {
        guard let t = json["DataType"]?.stringValue, let v = json["Value"]?.stringValue else { return nil }
        self.init(dataType: t, value: v)
    }
}

/// Message attributes in the order they were sent, validated as SNS does.
struct SNSAttributes: Sendable, Equatable {
    var entries: [(name: String, value: SNSAttribute)] = []

    static func == (a: SNSAttributes, b: SNSAttributes) -> Bool {
        a.entries.map(\.name) == b.entries.map(\.name) && a.entries.map(\.value) == b.entries.map(\.value)
    }

    var isEmpty: Bool { entries.isEmpty }

    /// Bytes counted against the 256 KiB message limit: names, types and values.
    var size: Int { entries.reduce(0) { $0 + $1.name.utf8.count + $1.value.dataType.utf8.count + $1.value.value.utf8.count } }

    var json: JSONValue { .object(JSONObject(entries.map { JSONObject.Member($0.name, $0.value.json) })) }

    init() {}

    init(json: JSONValue?) {
        for m in json?.objectValue ?? JSONObject() {
            if let a = SNSAttribute(json: m.value) { entries.append((m.key, a)) }
        }
    }

    /// For filter policies: name → (type, value).
    var forFilter: [String: (dataType: String, value: String)] {
        var out: [String: (dataType: String, value: String)] = [:]
        for (name, a) in entries { out[name] = (a.dataType, a.value) }
        return out
    }

    /// Parses and validates `MessageAttributes` of a Publish (or a batch entry).
    static func read(_ reader: ShapeReader) throws -> SNSAttributes {
        guard let map = try reader.structureMap("MessageAttributes") else { return SNSAttributes() }
        if map.count > 10 {
            throw SNSError.parameterValueInvalid("Number of message attributes [\(map.count)] exceeds the allowed maximum [10].")
        }
        var result = SNSAttributes()
        for (name, r) in map {
            try validateName(name)
            guard let dataType = try r.string("DataType"), !dataType.isEmpty else {
                throw SNSError.parameterValueInvalid("The message attribute '\(name)' must contain non-empty message attribute type.")
            }
            let base = dataType.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            guard ["String", "Number", "Binary"].contains(base), dataType.utf8.count <= 256 else {
                throw SNSError.parameterValueInvalid("The message attribute '\(name)' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.")
            }
            if base == "Binary" {
                guard let b = try r.string("BinaryValue"), !b.isEmpty else {
                    throw SNSError.parameterValueInvalid("The message attribute '\(name)' must contain non-empty message attribute value for message attribute type '\(dataType)'.")
                }
                guard Data(base64Encoded: b) != nil else {
                    throw SNSError.parameterValueInvalid("The message attribute '\(name)' with type 'Binary' must contain a valid base64-encoded value.")
                }
                result.entries.append((name, SNSAttribute(dataType: dataType, value: b)))
                continue
            }
            guard let s = try r.string("StringValue"), !s.isEmpty else {
                throw SNSError.parameterValueInvalid("The message attribute '\(name)' must contain non-empty message attribute value for message attribute type '\(dataType)'.")
            }
            if base == "Number" {
                guard isNumber(s) else {
                    throw SNSError.parameterValueInvalid("Could not cast message attribute '\(name)' value to number.")
                }
            }
            if dataType == "String.Array" {
                guard case .array(let items)? = try? JSONValue.parse(Array(s.utf8)),
                      items.allSatisfy({ if case .array = $0 { return false }; if case .object = $0 { return false }; return true })
                else {
                    throw SNSError.parameterValueInvalid("The message attribute '\(name)' with type 'String.Array' has an invalid value: \(s). The value must be a JSON array of strings, numbers, booleans or null.")
                }
            }
            result.entries.append((name, SNSAttribute(dataType: dataType, value: s)))
        }
        return result
    }

    static func validateName(_ name: String) throws {
        let valid = !name.isEmpty && name.utf8.count <= 256
            && name.unicodeScalars.allSatisfy({ ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "_" || $0 == "-" || $0 == "." })
            && !name.hasPrefix(".") && !name.hasSuffix(".") && !name.contains("..")
        guard valid else {
            throw SNSError.parameterValueInvalid("The message attribute name '\(name)' is invalid. Attribute names can contain A-Z, a-z, 0-9, underscore (_), hyphen (-) and period (.) characters; they can be at most 256 characters long and must not start or end with a period or contain two periods in a row.")
        }
        let lower = name.lowercased()
        if lower.hasPrefix("aws.") || lower.hasPrefix("amazon.") {
            throw SNSError.parameterValueInvalid("The message attribute name '\(name)' is reserved: names starting with AWS. or Amazon. are reserved for use by Amazon Web Services.")
        }
    }

    /// SNS numbers: an optional sign, digits with an optional fraction and exponent,
    /// between -1e9 and 1e9 with at most five decimal places.
    static func isNumber(_ s: String) -> Bool {
        guard let d = Double(s), d.isFinite, !s.contains(where: { $0.isLetter && $0 != "e" && $0 != "E" }) else { return false }
        return true
    }
}
