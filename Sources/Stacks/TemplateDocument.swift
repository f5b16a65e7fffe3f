import Foundation
import JSON
import YAML

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
        do {
            return try YAMLDocument.parse(text) { tag, value in try tagged(tag, value) }
        } catch let error as YAMLDocument.Failure {
            throw TemplateError("The template is not valid YAML: \(error)")
        }
    }

    static let functions: Set<String> = ["Base64", "Cidr", "FindInMap", "GetAtt", "GetAZs", "ImportValue", "Join", "Select",
                                         "Split", "Sub", "Transform", "And", "Equals", "If", "Not", "Or", "Length", "ToJsonString"]

    /// CloudFormation's short-form tags, in their long form.
    static func tagged(_ tag: String, _ plain: JSONValue) throws -> JSONValue {
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
