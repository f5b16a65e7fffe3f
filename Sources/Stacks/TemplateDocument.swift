import Foundation
import JSON
import Yams

/// Reads a CloudFormation or SAM template, JSON or YAML, into one JSON value. YAML's
/// short-form tags become the long form CloudFormation defines (`!Ref X` is
/// `{"Ref": "X"}`, `!GetAtt A.B` is `{"Fn::GetAtt": ["A", "B"]}`), so everything after
/// parsing sees a single shape.
public enum TemplateDocument {
    public static func parse(_ text: String) throws -> JSONValue {
        let trimmed = text.drop { $0.isWhitespace }
        if trimmed.first == "{" {
            do {
                return try JSONValue.parse(Array(text.utf8))
            } catch {
                throw TemplateError("The template is not valid JSON: \(error)")
            }
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw TemplateError("The template is not valid YAML: \(error)")
        }
        guard let node else { throw TemplateError("The template is empty.") }
        return try value(node)
    }

    static let functions: Set<String> = ["Base64", "Cidr", "FindInMap", "GetAtt", "GetAZs", "ImportValue", "Join", "Select",
                                         "Split", "Sub", "Transform", "And", "Equals", "If", "Not", "Or", "Length", "ToJsonString"]

    static func value(_ node: Node) throws -> JSONValue {
        let plain = try untagged(node)
        let tag = node.tag.description
        guard tag.hasPrefix("!") else { return plain }
        let name = String(tag.dropFirst())
        switch name {
        case "Ref":
            return ["Ref": plain]
        case "Condition":
            return ["Condition": plain]
        case "GetAtt":
            // `!GetAtt Resource.Attribute` (the attribute may itself contain dots).
            if case .string(let s) = plain, let dot = s.firstIndex(of: ".") {
                return ["Fn::GetAtt": [.string(String(s[..<dot])), .string(String(s[s.index(after: dot)...]))]]
            }
            return ["Fn::GetAtt": plain]
        default:
            guard functions.contains(name) else { throw TemplateError("Unknown YAML tag \(tag).") }
            return .object(JSONObject([.init("Fn::\(name)", plain)]))
        }
    }

    static func untagged(_ node: Node) throws -> JSONValue {
        switch node {
        case .scalar(let scalar):
            let tag = node.tag.description
            if scalar.style == .plain || tag.hasSuffix(":int") || tag.hasSuffix(":float") || tag.hasSuffix(":bool") || tag.hasSuffix(":null") {
                if tag.hasSuffix(":null") || (scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)) {
                    return .null
                }
                if tag.hasSuffix(":bool") || (scalar.style == .plain && ["true", "false", "True", "False"].contains(scalar.string)) {
                    return .bool(scalar.string.lowercased() == "true")
                }
                if scalar.style == .plain, Double(scalar.string) != nil, scalar.string.first != "+",
                   scalar.string.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" || $0 == "e" || $0 == "E" }) {
                    return .number(scalar.string)
                }
            }
            return .string(scalar.string)
        case .mapping(let mapping):
            var o = JSONObject()
            for (key, value) in mapping {
                guard let name = key.string else { throw TemplateError("A mapping key must be a string.") }
                o[name] = try self.value(value)
            }
            return .object(o)
        case .sequence(let sequence):
            return .array(try sequence.map(value))
        }
    }
}

/// A template that cannot be deployed; the message names the resource and property.
public struct TemplateError: Error, Sendable, CustomStringConvertible, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public init(resource: String, property: String? = nil, _ message: String) {
        self.message = "Resource \(resource)\(property.map { ", property \($0)" } ?? ""): \(message)"
    }
    public var description: String { message }
}
