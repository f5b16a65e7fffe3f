import JSON
import Yams

/// YAML read into the same JSON value JSON files become, keeping key order: plain
/// scalars that YAML types (null, booleans, numbers) become those JSON values, every
/// other scalar a string. A tagged node (`!Ref x`) is handed to `tagged` with its
/// untagged value, so a format with its own tags (CloudFormation) can rewrite it.
public enum YAMLDocument {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public static func parse(_ text: String,
                             tagged: (_ tag: String, _ value: JSONValue) throws -> JSONValue = { _, value in value }) throws -> JSONValue {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw Failure(description: "\(error)")
        }
        guard let node else { throw Failure(description: "The document is empty.") }
        return try value(node, tagged: tagged)
    }

    static func value(_ node: Node, tagged: (String, JSONValue) throws -> JSONValue) throws -> JSONValue {
        let plain: JSONValue
        switch node {
        case .scalar(let scalar):
            plain = self.scalar(scalar, tag: node.tag.description)
        case .mapping(let mapping):
            var o = JSONObject()
            for (key, value) in mapping {
                guard let name = key.string else { throw Failure(description: "A mapping key must be a string.") }
                o[name] = try self.value(value, tagged: tagged)
            }
            plain = .object(o)
        case .sequence(let sequence):
            plain = .array(try sequence.map { try value($0, tagged: tagged) })
        }
        let tag = node.tag.description
        return tag.hasPrefix("!") ? try tagged(tag, plain) : plain
    }

    static func scalar(_ scalar: Node.Scalar, tag: String) -> JSONValue {
        let text = scalar.string
        let typed = scalar.style == .plain || tag.hasSuffix(":int") || tag.hasSuffix(":float") || tag.hasSuffix(":bool") || tag.hasSuffix(":null")
        guard typed else { return .string(text) }
        if tag.hasSuffix(":null") || (scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(text)) { return .null }
        if tag.hasSuffix(":bool") || (scalar.style == .plain && ["true", "false", "True", "False"].contains(text)) {
            return .bool(text.lowercased() == "true")
        }
        if scalar.style == .plain, Double(text) != nil, text.first != "+",
           text.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" || $0 == "e" || $0 == "E" }) {
            return .number(text)
        }
        return .string(text)
    }
}
