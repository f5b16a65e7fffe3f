import JSON

/// Evaluates a WebSocket API's RouteSelectionExpression against a message:
/// `$request.body.action`, or a template such as `${request.body.service}/${request.body.action}`.
/// nil when the message lacks what the expression names, so the `$default` route applies.
enum RouteSelection {
    static func routeKey(_ expression: String, body: JSONValue?) -> String? {
        if expression.hasPrefix("$request.") {
            return value(String(expression.dropFirst(9)), body: body)
        }
        guard expression.contains("${") else { return expression }
        var result = ""
        var rest = Substring(expression)
        while let open = rest.range(of: "${") {
            result += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else { return nil }
            let name = rest[open.upperBound..<close]
            guard name.hasPrefix("request."), let v = value(String(name.dropFirst(8)), body: body) else { return nil }
            result += v
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    /// `body.a.b` inside the JSON body; strings as they are, other values as JSON.
    static func value(_ path: String, body: JSONValue?) -> String? {
        var parts = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.first == "body", var current = body else { return nil }
        parts.removeFirst()
        for part in parts {
            guard let next = current.objectValue?[part] else { return nil }
            current = next
        }
        switch current {
        case .string(let s): return s
        case .null, .object, .array: return nil
        default: return current.jsonString
        }
    }
}
