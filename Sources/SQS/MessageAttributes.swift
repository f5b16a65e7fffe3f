import Digest
import Foundation
import JSON
import Wire

/// One message attribute as sent: `DataType` plus a string or binary value.
struct MessageAttributeValue: Sendable, Equatable {
    var dataType: String
    var stringValue: String?
    /// Base64 text, as both JSON and query clients send and expect it.
    var binaryValue: String?
    var binaryBytes: [UInt8]?
    var stringListValues: [String]?
    var binaryListValues: [String]?

    var json: JSONValue {
        var o = JSONObject()
        if let stringValue { o["StringValue"] = .string(stringValue) }
        if let binaryValue { o["BinaryValue"] = .string(binaryValue) }
        if let stringListValues { o["StringListValues"] = .array(stringListValues.map { .string($0) }) }
        if let binaryListValues { o["BinaryListValues"] = .array(binaryListValues.map { .string($0) }) }
        o["DataType"] = .string(dataType)
        return .object(o)
    }

    /// Bytes counted against `MaximumMessageSize`.
    var size: Int {
        dataType.utf8.count + (stringValue?.utf8.count ?? 0) + (binaryBytes?.count ?? 0)
    }
}

/// Named message attributes in the order the client sent them.
struct MessageAttributes: Sendable, Equatable {
    var entries: [(name: String, value: MessageAttributeValue)] = []

    static func == (a: MessageAttributes, b: MessageAttributes) -> Bool {
        a.entries.map(\.name) == b.entries.map(\.name) && a.entries.map(\.value) == b.entries.map(\.value)
    }

    var isEmpty: Bool { entries.isEmpty }

    var size: Int { entries.reduce(0) { $0 + $1.name.utf8.count + $1.value.size } }

    /// Parses and validates `MessageAttributes` (or `MessageSystemAttributes`) of a send.
    static func read(_ reader: ShapeReader, member: String, system: Bool = false) throws -> MessageAttributes {
        guard let map = try reader.structureMap(member) else { return MessageAttributes() }
        if map.count > 10 {
            throw SQSError.invalidParameterValue("Number of message attributes [\(map.count)] exceeds the allowed maximum [10].")
        }
        var result = MessageAttributes()
        for (name, value) in map {
            if system {
                guard name == "AWSTraceHeader" else {
                    throw SQSError.invalidParameterValue("Message system attribute name '\(name)' is invalid.")
                }
            } else {
                try validateName(name)
            }
            result.entries.append((name: name, value: try readValue(value, name: name)))
        }
        return result
    }

    static func readValue(_ r: ShapeReader, name: String) throws -> MessageAttributeValue {
        guard let dataType = try r.string("DataType"), !dataType.isEmpty else {
            throw SQSError.invalidParameterValue("The message attribute '\(name)' must contain non-empty message attribute type.")
        }
        let base = dataType.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        guard dataType.utf8.count <= 256 else {
            throw SQSError.invalidParameterValue("Message attribute type can be at most 256 characters.")
        }
        var value = MessageAttributeValue(dataType: dataType)
        value.stringListValues = try r.stringList("StringListValues").flatMap { $0.isEmpty ? nil : $0 }
        value.binaryListValues = try r.stringList("BinaryListValues").flatMap { $0.isEmpty ? nil : $0 }
        switch base {
        case "String", "Number":
            guard let s = try r.string("StringValue") else {
                throw SQSError.invalidParameterValue("The message attribute '\(name)' with type '\(base)' must use field 'String'.")
            }
            guard !s.isEmpty else {
                throw SQSError.invalidParameterValue("Message (user) attribute '\(name)' must contain a non-empty value of type '\(base)'.")
            }
            guard SQSLimits.isValidMessageText(s) else { throw SQSError.invalidMessageContents() }
            if base == "Number" {
                guard Self.isNumber(s) else {
                    throw SQSError.invalidParameterValue("Can't cast the value of message (user) attribute '\(name)' to a number.")
                }
            }
            value.stringValue = s
        case "Binary":
            guard let b = try r.string("BinaryValue") else {
                throw SQSError.invalidParameterValue("The message attribute '\(name)' with type 'Binary' must use field 'Binary'.")
            }
            guard !b.isEmpty else {
                throw SQSError.invalidParameterValue("Message (user) attribute '\(name)' must contain a non-empty value of type 'Binary'.")
            }
            guard let bytes = Data(base64Encoded: b) else {
                throw SQSError.invalidParameterValue("The message attribute '\(name)' has an invalid binary value.")
            }
            value.binaryValue = b
            value.binaryBytes = [UInt8](bytes)
        default:
            throw SQSError.invalidParameterValue("The type of message (user) attribute '\(name)' is invalid. You must use only the following supported type prefixes: Binary, Number, String.")
        }
        return value
    }

    /// Names: up to 256 of A-Z a-z 0-9 _ - . ; no leading, trailing or doubled period;
    /// not starting with the reserved `AWS.` or `Amazon.` prefixes.
    static func validateName(_ name: String) throws {
        let allowed = name.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x2D || b == 0x2E
        }
        let lower = name.lowercased()
        guard !name.isEmpty, name.utf8.count <= 256, allowed, !name.hasPrefix("."), !name.hasSuffix("."),
              !name.contains(".."), !lower.hasPrefix("aws."), !lower.hasPrefix("amazon.")
        else {
            throw SQSError.invalidParameterValue("Message (user) attribute name '\(name)' is invalid. The attribute name can contain A-Z, a-z, 0-9, underscore (_), hyphen (-), and period (.) characters.")
        }
    }

    static func isNumber(_ s: String) -> Bool {
        guard !s.isEmpty, s.utf8.count <= 200, let d = Double(s), d.isFinite else { return false }
        return true
    }

    /// The MD5 AWS computes over attributes: sorted by name, each field length-prefixed
    /// (4-byte big-endian), with a transport byte (1 string, 2 binary, 3 string list,
    /// 4 binary list) before the value.
    var md5: String? {
        guard !entries.isEmpty else { return nil }
        var hasher = MD5Hasher()
        func field(_ bytes: some Collection<UInt8>) {
            let n = UInt32(bytes.count)
            hasher.update([UInt8(n >> 24), UInt8((n >> 16) & 0xFF), UInt8((n >> 8) & 0xFF), UInt8(n & 0xFF)])
            hasher.update(bytes)
        }
        for (name, value) in entries.sorted(by: { Array($0.name.utf16).lexicographicallyPrecedes(Array($1.name.utf16)) }) {
            field(name.utf8)
            field(value.dataType.utf8)
            if let s = value.stringValue {
                hasher.update([1])
                field(s.utf8)
            } else if let b = value.binaryBytes {
                hasher.update([2])
                field(b)
            } else if let list = value.stringListValues {
                hasher.update([3])
                for s in list { field(s.utf8) }
            } else if let list = value.binaryListValues {
                hasher.update([4])
                for s in list { field([UInt8](Data(base64Encoded: s) ?? Data())) }
            }
        }
        return hasher.finalize().hexString
    }

    var json: JSONValue {
        var o = JSONObject()
        for (name, value) in entries { o.append(name, value.json) }
        return .object(o)
    }

    /// Restores attributes stored by `json`.
    static func decode(_ text: String?) -> MessageAttributes {
        guard let text, case .object(let o)? = try? JSONValue.parse(text) else { return MessageAttributes() }
        var result = MessageAttributes()
        for m in o {
            guard case .object(let v) = m.value, case .string(let type)? = v["DataType"] else { continue }
            var value = MessageAttributeValue(dataType: type)
            value.stringValue = v["StringValue"]?.stringValue
            if let b = v["BinaryValue"]?.stringValue {
                value.binaryValue = b
                value.binaryBytes = Data(base64Encoded: b).map { [UInt8]($0) }
            }
            value.stringListValues = v["StringListValues"]?.arrayValue?.compactMap(\.stringValue)
            value.binaryListValues = v["BinaryListValues"]?.arrayValue?.compactMap(\.stringValue)
            result.entries.append((name: m.key, value: value))
        }
        return result
    }

    /// The attributes a `ReceiveMessage` asked for: `All`, `.*`, exact names, or
    /// prefixes written `prefix.*`.
    func selecting(_ names: [String]) -> MessageAttributes {
        guard !names.isEmpty else { return MessageAttributes() }
        if names.contains("All") || names.contains(".*") { return self }
        var result = MessageAttributes()
        for entry in entries {
            let wanted = names.contains { pattern in
                if pattern.hasSuffix(".*") { return entry.name.hasPrefix(String(pattern.dropLast(1))) }
                return pattern == entry.name
            }
            if wanted { result.entries.append(entry) }
        }
        return result
    }
}
