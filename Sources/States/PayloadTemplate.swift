import JSON

/// A `Parameters`, `ResultSelector`, `ItemSelector` or `Assign` value compiled once:
/// keys ending in `.$` become paths or intrinsic calls evaluated at run time; every
/// other value is copied as written.
public indirect enum PayloadTemplate: Sendable {
    case literal(JSONValue)
    case path(JSONPath)
    case intrinsic(IntrinsicCall)
    case object([(key: String, value: PayloadTemplate)])
    case array([PayloadTemplate])

    /// Compiles `value` found at `location`, reporting bad paths and calls.
    public static func compile(_ value: JSONValue, at location: String, diagnostics: inout Diagnostics) -> PayloadTemplate {
        switch value {
        case .object(let object):
            var members: [(key: String, value: PayloadTemplate)] = []
            var dynamic = false
            for m in object {
                let here = pointer(location, m.key)
                if m.key.hasSuffix(".$") {
                    dynamic = true
                    let key = String(m.key.dropLast(2))
                    guard case .string(let expression) = m.value else {
                        diagnostics.error("The value of the field '\(m.key)' must be a string path or intrinsic function", at: here)
                        continue
                    }
                    members.append((key, compileExpression(expression, at: here, diagnostics: &diagnostics)))
                } else {
                    let child = compile(m.value, at: here, diagnostics: &diagnostics)
                    if case .literal = child {} else { dynamic = true }
                    members.append((m.key, child))
                }
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

    /// A `.$` value: an intrinsic call, or a path (`$…`, `$$…`, `$variable…`).
    static func compileExpression(_ text: String, at location: String, diagnostics: inout Diagnostics) -> PayloadTemplate {
        if isIntrinsicCall(text) {
            do {
                return .intrinsic(try IntrinsicCall.parse(text))
            } catch {
                diagnostics.error("The value for the field '\(location.split(separator: "/").last ?? "")' must be a valid JSONPath or a valid intrinsic function call: \(error)", at: location)
                return .literal(.null)
            }
        }
        do {
            return .path(try JSONPath.parse(text))
        } catch {
            diagnostics.error("The value for the field '\(location.split(separator: "/").last ?? "")' must be a valid JSONPath or a valid intrinsic function call", at: location)
            return .literal(.null)
        }
    }

    /// Builds the payload. A path that matches nothing fails the state with
    /// `States.Runtime`, as on AWS.
    public func evaluate(in scope: EvaluationScope, field: String) throws -> JSONValue {
        switch self {
        case .literal(let value):
            return value
        case .path(let path):
            return try path.evaluate(in: scope, field: field)
        case .intrinsic(let call):
            return try call.evaluate(in: scope)
        case .object(let members):
            var object = JSONObject()
            for (key, template) in members { object[key] = try template.evaluate(in: scope, field: key + ".$") }
            return .object(object)
        case .array(let items):
            return .array(try items.map { try $0.evaluate(in: scope, field: field) })
        }
    }
}
