import Foundation
import JSON

extension IntrinsicEvaluator {
    /// `States.StringSplit(string, delimiters)`: every character of `delimiters` separates
    /// tokens and empty tokens are dropped, as AWS does (`'a,,b'` → `["a","b"]`).
    func stringSplit() throws -> JSONValue {
        let text = try string(0)
        let delimiters = Set(try string(1).unicodeScalars)
        var tokens: [JSONValue] = []
        var token = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if delimiters.contains(scalar) {
                if !token.isEmpty { tokens.append(.string(String(token))) }
                token = String.UnicodeScalarView()
            } else {
                token.append(scalar)
            }
        }
        if !token.isEmpty { tokens.append(.string(String(token))) }
        return .array(tokens)
    }

    /// `States.Format(template, args…)`: each `{}` takes the next argument; `\{`, `\}`,
    /// `\'` and `\\` are literal characters. The argument count must match the number of
    /// placeholders, and a brace that is not part of `{}` is an error.
    func format() throws -> JSONValue {
        guard case .string(let value) = arguments[0] else { throw invalidArguments() }
        let template = escapedTemplate ?? value
        var out = ""
        var next = 1
        var scalars = template.unicodeScalars[...]
        while let c = scalars.popFirst() {
            switch c {
            case "\\":
                if let escaped = scalars.first, escaped == "{" || escaped == "}" || escaped == "'" || escaped == "\\" {
                    scalars.removeFirst()
                    out.unicodeScalars.append(escaped)
                } else {
                    out.unicodeScalars.append(c)
                }
            case "{":
                guard scalars.popFirst() == "}", next < arguments.count else { throw invalidArguments() }
                out += Self.interpolation(arguments[next])
                next += 1
            case "}":
                throw invalidArguments()
            default:
                out.unicodeScalars.append(c)
            }
        }
        guard next == arguments.count else { throw invalidArguments() }
        return .string(out)
    }

    /// How a value reads inside a formatted string: strings bare, everything else as JSON.
    static func interpolation(_ value: JSONValue) -> String {
        if case .string(let text) = value { return text }
        return value.jsonString
    }

    /// A random (version 4) UUID in lowercase, as Step Functions returns them.
    static func randomUUIDv4() -> String {
        StatesRandomness.uuid()
    }
}
