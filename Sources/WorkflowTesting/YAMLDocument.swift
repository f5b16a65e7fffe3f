import JSON
import Yams

/// A fixture file read as JSON, JSON or YAML alike; YAML keeps its key order.
enum FixtureDocument {
    static func parse(_ text: String, yaml: Bool) throws -> JSONValue {
        if !yaml { return try JSONValue.parse(Array(text.utf8)) }
        guard let node = try Yams.compose(yaml: text) else { throw FixtureError("The file is empty.") }
        return try value(node)
    }

    static func value(_ node: Node) throws -> JSONValue {
        switch node {
        case .scalar(let scalar):
            let tag = node.tag.description
            if scalar.style == .plain {
                if tag.hasSuffix(":null") || ["", "~", "null", "Null", "NULL"].contains(scalar.string) { return .null }
                if ["true", "false", "True", "False"].contains(scalar.string) { return .bool(scalar.string.lowercased() == "true") }
                if Double(scalar.string) != nil, scalar.string.first != "+",
                   scalar.string.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" || $0 == "e" || $0 == "E" }) {
                    return .number(scalar.string)
                }
            }
            return .string(scalar.string)
        case .mapping(let mapping):
            var o = JSONObject()
            for (key, value) in mapping {
                guard let name = key.string else { throw FixtureError("A mapping key must be a string.") }
                o[name] = try self.value(value)
            }
            return .object(o)
        case .sequence(let sequence):
            return .array(try sequence.map(value))
        }
    }
}

/// A fixture that cannot be read; the message names the file and the field.
public struct FixtureError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
