import Foundation
import JSON

/// One `{% … %}` expression, parsed once when the definition is, with the text AWS
/// quotes back in `States.QueryEvaluationError` causes.
public struct JSONataField: Sendable {
    public var source: String
    public var expression: JSONataExpression

    /// `{% expression %}`: the string starts with `{%` and ends with `%}`.
    public static func isExpression(_ text: String) -> Bool {
        text.count >= 4 && text.hasPrefix("{%") && text.hasSuffix("%}")
    }

    /// Parses the inside of `{% … %}`.
    public init(_ text: String) throws {
        let inner = text.dropFirst(2).dropLast(2)
        source = inner.trimmingCharacters(in: .whitespacesAndNewlines)
        expression = try JSONataExpression(source)
    }

    /// Evaluates; a JSONata error or an undefined result is a `QueryEvaluationFailure`
    /// naming `field` (`Output/v`, `Arguments/items[0]`).
    func evaluate(_ scope: JSONataScope, bindings: [String: JSONValue], field: String) throws -> JSONValue {
        try evaluate(JValue(scope.input), bindings: bindings, field: { field })
    }

    /// `input` is the state input already in the engine's form, shared by every expression
    /// of one template; `field` renders the field's name (`Output/a/b[0]`) only for an error
    /// cause — building that text for every member cost more than simple expressions.
    func evaluate(_ input: JValue, bindings: [String: JSONValue], field: () -> String) throws -> JSONValue {
        let value: JSONValue?
        do {
            value = try expression.evaluateValue(input, bindings: bindings, functions: StepFunctionsJSONata.functions)?.json
        } catch let error as JSONataError {
            throw QueryEvaluationFailure(
                "The JSONata expression '\(source)' specified for the field '\(field())' threw an error during evaluation. \(error.code): \(error.message)",
                location: field())
        } catch let error as StepFunctionsJSONata.FunctionError {
            throw QueryEvaluationFailure(
                "The JSONata expression '\(source)' specified for the field '\(field())' threw an error during evaluation. \(error.code): \(error.message)",
                location: field())
        } catch let error as QueryEvaluationFailure {
            throw error
        } catch {
            throw QueryEvaluationFailure(
                "The JSONata expression '\(source)' specified for the field '\(field())' threw an error during evaluation: \(error)",
                location: field())
        }
        guard let value else {
            throw QueryEvaluationFailure("The JSONata expression '\(source)' specified for the field '\(field())' returned nothing (undefined).",
                                         location: field())
        }
        return value
    }

    /// The cause for a value of the wrong type.
    func unexpectedType(_ value: JSONValue, expected: String, field: String) -> QueryEvaluationFailure {
        QueryEvaluationFailure("The JSONata expression '\(source)' specified for the field '\(field)' returned an unexpected result type. "
                               + "Expected '\(expected)', but was '\(value.typeName)' for value: \(value.jsonString)", location: field)
    }
}

/// A JSONata state's field (`Arguments`, `Output`, an `Assign` value, `ItemSelector`, …)
/// compiled once: `{% … %}` strings anywhere inside are expressions, every other value
/// is a literal.
public indirect enum JSONataTemplate: Sendable {
    case literal(JSONValue)
    case expression(JSONataField)
    case object([(key: String, value: JSONataTemplate)])
    case array([JSONataTemplate])

    /// Compiles `value` found at `location`, reporting expressions that do not parse.
    public static func compile(_ value: JSONValue, at location: String, diagnostics: inout Diagnostics) -> JSONataTemplate {
        switch value {
        case .string(let text) where JSONataField.isExpression(text):
            do {
                return .expression(try JSONataField(text))
            } catch let error as JSONataError {
                diagnostics.error("The JSONata expression is invalid: \(error.code): \(error.message) (position \(error.position))",
                                  at: location)
            } catch {
                diagnostics.error("The JSONata expression is invalid: \(error)", at: location)
            }
            return .literal(.null)
        case .object(let object):
            var members: [(key: String, value: JSONataTemplate)] = []
            var dynamic = false
            for m in object {
                let child = compile(m.value, at: pointer(location, m.key), diagnostics: &diagnostics)
                if case .literal = child {} else { dynamic = true }
                members.append((m.key, child))
            }
            return dynamic ? .object(members) : .literal(value)
        case .array(let items):
            let compiled = items.enumerated().map { compile($1, at: pointer(location, $0), diagnostics: &diagnostics) }
            if compiled.allSatisfy({ if case .literal = $0 { return true } else { return false } }) { return .literal(value) }
            return .array(compiled)
        default:
            return .literal(value)
        }
    }

    /// Builds the value; `field` names it in error causes as AWS does (`Output/a/b[0]`).
    public func evaluate(_ scope: JSONataScope, field: String) throws -> JSONValue {
        if case .literal(let value) = self { return value }
        return try evaluate(scope, bindings: scope.bindings, field: field)
    }

    func evaluate(_ scope: JSONataScope, bindings: [String: JSONValue], field: String) throws -> JSONValue {
        if case .literal(let value) = self { return value }
        return try evaluate(JValue(scope.input), bindings: bindings, field: { field })
    }

    func evaluate(_ input: JValue, bindings: [String: JSONValue], field: () -> String) throws -> JSONValue {
        switch self {
        case .literal(let value):
            return value
        case .expression(let e):
            return try e.evaluate(input, bindings: bindings, field: field)
        case .object(let members):
            var object = JSONObject()
            for (key, template) in members {
                object.append(key, try template.evaluate(input, bindings: bindings, field: { field() + "/" + key }))
            }
            return .object(object)
        case .array(let items):
            var out: [JSONValue] = []
            out.reserveCapacity(items.count)
            for (i, item) in items.enumerated() {
                out.append(try item.evaluate(input, bindings: bindings, field: { "\(field())[\(i)]" }))
            }
            return .array(out)
        }
    }

    /// The single expression, when the whole field is one (for type errors).
    var field: JSONataField? {
        if case .expression(let e) = self { return e }
        return nil
    }

    /// Evaluates a field that must be an integer (`Seconds`, `TimeoutSeconds`, `MaxConcurrency`, …).
    func integer(_ scope: JSONataScope, field: String) throws -> Int {
        let value = try evaluate(scope, field: field)
        if case .number(let n) = value, let i = Int(n) ?? Double(n).flatMap({ $0 == $0.rounded() && abs($0) < 1e15 ? Int($0) : nil }) {
            return i
        }
        throw self.field?.unexpectedType(value, expected: "integer", field: field)
            ?? QueryEvaluationFailure("The value of the field '\(field)' must be an integer, but was \(value.jsonString)", location: field)
    }

    /// Evaluates a field that must be a string (`Timestamp`, `Error`, `Cause`).
    func string(_ scope: JSONataScope, field: String) throws -> String {
        let value = try evaluate(scope, field: field)
        if case .string(let s) = value { return s }
        throw self.field?.unexpectedType(value, expected: "string", field: field)
            ?? QueryEvaluationFailure("The value of the field '\(field)' must be a string, but was \(value.jsonString)", location: field)
    }
}

/// What a JSONata expression sees: `$states` (input, context, and where the field has
/// them, result and errorOutput) and the workflow variables as `$name`. The expression's
/// own context (`$`) is the state input.
public struct JSONataScope: Sendable {
    public var input: JSONValue
    public var context: JSONValue
    public var variables: [String: JSONValue]
    public var result: JSONValue?
    public var errorOutput: JSONValue?

    public init(input: JSONValue, context: JSONValue, variables: [String: JSONValue], result: JSONValue? = nil,
                errorOutput: JSONValue? = nil) {
        self.input = input
        self.context = context
        self.variables = variables
        self.result = result
        self.errorOutput = errorOutput
    }

    public init(_ scope: EvaluationScope, result: JSONValue? = nil, errorOutput: JSONValue? = nil) {
        self.init(input: scope.input, context: scope.context, variables: scope.variables, result: result, errorOutput: errorOutput)
    }

    /// The bindings handed to the engine: the variables plus the reserved `states`.
    var bindings: [String: JSONValue] {
        var states = JSONObject()
        states.append("input", input)
        states.append("context", context)
        if let result { states.append("result", result) }
        if let errorOutput { states.append("errorOutput", errorOutput) }
        var b = variables
        b["states"] = .object(states)
        return b
    }
}

/// An expression failed or returned a value its field cannot take: the state fails with
/// `States.QueryEvaluationError`. Running states add AWS's prefix naming the state.
public struct QueryEvaluationFailure: Error, Sendable {
    public var cause: String
    /// The field, as AWS reports it in `EvaluationFailed` (`Output/v`).
    public var location: String

    public init(_ cause: String, location: String) {
        self.cause = cause
        self.location = location
    }

    public static let errorName = "States.QueryEvaluationError"

    public var statesError: StatesError { StatesError(Self.errorName, cause) }
}
