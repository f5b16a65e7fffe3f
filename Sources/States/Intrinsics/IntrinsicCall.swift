import JSON

/// An intrinsic call that does not parse, named at validation time: unknown function,
/// wrong number of arguments, bad literal or path, unbalanced parentheses.
public struct IntrinsicSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// One argument of an intrinsic call, as written.
public enum IntrinsicArgument: Sendable, Equatable {
    /// A number, `true`, `false` or `null`.
    case literal(JSONValue)
    /// A single-quoted string: its value, and its text between the quotes with escapes
    /// intact (`States.Format` needs to tell `\{` from `{`).
    case string(String, escaped: String)
    /// `$.x`, `$$.y`, `$var`
    case path(JSONPath)
    /// A nested intrinsic.
    case call(IntrinsicCall)
}

/// A parsed intrinsic function call such as `States.Format('Hello {}', $.name)`.
public struct IntrinsicCall: Sendable, Equatable, CustomStringConvertible {
    /// The call as written (trimmed).
    public var text: String
    public var function: IntrinsicFunction
    public var arguments: [IntrinsicArgument]

    public var description: String { text }

    /// Parses a call, including nested calls, string literals with the escapes `\'` `\{`
    /// `\}` `\\`, numbers, `true`/`false`/`null` and paths. Throws `IntrinsicSyntaxError`
    /// for unknown functions, wrong argument counts and bad syntax.
    public static func parse(_ text: String) throws -> IntrinsicCall {
        var parser = IntrinsicParser(text)
        return try parser.parseDocument()
    }

    /// Evaluates the call. Bad argument values fail with `States.IntrinsicFailure`
    /// ("Invalid arguments in States.ArrayRange"); a path argument that matches nothing
    /// fails with `States.Runtime`, naming `field` as the field being evaluated.
    public func evaluate(in scope: EvaluationScope, field: String) throws -> JSONValue {
        var values: [JSONValue] = []
        values.reserveCapacity(arguments.count)
        for argument in arguments {
            switch argument {
            case .literal(let value): values.append(value)
            case .string(let value, _): values.append(.string(value))
            case .path(let path): values.append(try path.evaluate(in: scope, field: field))
            case .call(let call): values.append(try call.evaluate(in: scope, field: field))
            }
        }
        var escapedTemplate: String?
        if function == .format, case .string(_, let escaped)? = arguments.first { escapedTemplate = escaped }
        return try IntrinsicEvaluator(function: function, arguments: values, escapedTemplate: escapedTemplate).run()
    }

    /// Evaluates the call; path failures name the function itself as the field.
    public func evaluate(in scope: EvaluationScope) throws -> JSONValue {
        try evaluate(in: scope, field: function.rawValue)
    }
}

/// Is this string value an intrinsic call (starts with `States.` and has parentheses)?
/// Says nothing about whether it parses; `IntrinsicCall.parse` decides that.
public func isIntrinsicCall(_ text: String) -> Bool {
    let trimmed = trimmedIntrinsicText(text)
    return trimmed.hasPrefix("States.") && trimmed.contains("(") && trimmed.hasSuffix(")")
}

private func trimmedIntrinsicText(_ text: String) -> Substring {
    let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
    guard let first = text.firstIndex(where: { !isSpace($0) }), let last = text.lastIndex(where: { !isSpace($0) }) else {
        return text[text.endIndex...]
    }
    return text[first...last]
}
