import Foundation

/// One problem found in a state machine definition, located by JSON Pointer, as
/// `ValidateStateMachineDefinition` reports it (`SCHEMA_VALIDATION_FAILED` at
/// `/States/Pay/Retry/0/BackoffRate`).
public struct Diagnostic: Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable { case error = "ERROR", warning = "WARNING" }

    public var severity: Severity
    public var code: String
    public var message: String
    /// JSON Pointer into the definition: `/States/Pay/Retry/0`.
    public var location: String

    public init(_ code: String, _ message: String, at location: String, severity: Severity = .error) {
        self.severity = severity
        self.code = code
        self.message = message
        self.location = location
    }

    public var description: String { "\(code): \(message) at \(location.isEmpty ? "/" : location)" }

    public static let schemaValidationFailed = "SCHEMA_VALIDATION_FAILED"
    public static let missingTransitionTarget = "MISSING_TRANSITION_TARGET"
    public static let invalidJSONDescription = "INVALID_JSON_DESCRIPTION"
}

/// Gathers every problem of one parse, so a definition is reported whole rather than
/// one error per attempt.
public struct Diagnostics: Sendable {
    public private(set) var items: [Diagnostic] = []
    public init() {}

    public mutating func error(_ message: String, at location: String, code: String = Diagnostic.schemaValidationFailed) {
        items.append(Diagnostic(code, message, at: location))
    }

    public mutating func append(_ diagnostic: Diagnostic) { items.append(diagnostic) }

    public var hasErrors: Bool { items.contains { $0.severity == .error } }
}

/// Escapes one JSON Pointer token (RFC 6901): `~` → `~0`, `/` → `~1`.
public func pointer(_ base: String, _ token: String) -> String {
    base + "/" + token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
}

public func pointer(_ base: String, _ index: Int) -> String { base + "/" + String(index) }
