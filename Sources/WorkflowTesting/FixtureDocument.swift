import JSON
import YAML

/// A fixture file read as JSON, JSON or YAML alike; YAML keeps its key order.
enum FixtureDocument {
    static func parse(_ text: String, yaml: Bool) throws -> JSONValue {
        if !yaml { return try JSONValue.parse(Array(text.utf8)) }
        do {
            return try YAMLDocument.parse(text)
        } catch let error as YAMLDocument.Failure {
            throw FixtureError("\(error)")
        }
    }
}

/// A fixture that cannot be read; the message names the file and the field.
public struct FixtureError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
