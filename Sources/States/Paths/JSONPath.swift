import JSON

/// A parsed Amazon States Language path: `$.a.b[0]`, `$['x']`, `$..name`, `$.items[*]`,
/// `$.items[1:3]`, `$.items[?(@.price < 10 && @.kind == 'book')]`, `$$.Execution.Id`
/// (context object) or `$myVar.field` (workflow variable).
public struct JSONPath: Sendable, Equatable, CustomStringConvertible {
    /// Which document the path starts from.
    public enum Root: Sendable, Equatable {
        /// `$`: the state's (effective) input
        case input
        /// `$$`: the context object
        case context
        /// `$name`: a workflow variable
        case variable(String)
    }

    /// The path as written.
    public var text: String
    public var root: Root
    let segments: [PathSegment]

    public var description: String { text }

    /// Parses a path. Throws `PathSyntaxError` whose message says what is wrong and where.
    public static func parse(_ text: String) throws -> JSONPath {
        var parser = JSONPathParser(text)
        let (root, segments) = try parser.parsePath()
        return JSONPath(text: text, root: root, segments: segments)
    }

    /// True for reference paths, which identify a single node: dot and bracket member
    /// access and single indices only — no wildcards, filters, slices, unions or `..`.
    /// Choice `Variable`, `ResultPath` and the `*Path` fields require one.
    public var isReferencePath: Bool { segments.allSatisfy(\.isSingular) }

    /// The path in Jayway's normalized form, `$['a']['b'][0]`, as AWS quotes it in
    /// some messages (`No results for path: $['missing']`).
    public var normalized: String {
        var out: String
        switch root {
        case .input: out = "$"
        case .context: out = "$$"
        case .variable(let name): out = "$" + name
        }
        for segment in segments { out += Self.normalized(segment) }
        return out
    }

    private static func normalized(_ segment: PathSegment) -> String {
        switch segment {
        case .member(let name): return "['\(name)']"
        case .index(let i): return "[\(i)]"
        case .wildcard: return "[*]"
        case .members(let names): return "[" + names.map { "'\($0)'" }.joined(separator: ",") + "]"
        case .indices(let indices): return "[" + indices.map(String.init).joined(separator: ",") + "]"
        case .slice(let start, let end, let step):
            let bounds = "\(start.map(String.init) ?? ""):\(end.map(String.init) ?? "")"
            return "[" + bounds + (step.map { ":\($0)" } ?? "") + "]"
        case .filter: return "[?]"
        case .descendant(let inner): return ".." + normalized(inner)
        }
    }

    public static func == (lhs: JSONPath, rhs: JSONPath) -> Bool {
        lhs.text == rhs.text && lhs.root == rhs.root && lhs.segments == rhs.segments
    }

    // MARK: - Evaluation

    /// The document this path starts from, or nil for an undefined variable.
    public func rootValue(in scope: EvaluationScope) -> JSONValue? {
        switch root {
        case .input: return scope.input
        case .context: return scope.context
        case .variable(let name): return scope.variables[name]
        }
    }

    /// Returns nil instead of throwing when nothing matches (used by IsPresent and Choice
    /// rules). Multi-node paths always return an array, `[]` when nothing matched.
    public func resolve(in scope: EvaluationScope) -> JSONValue? {
        guard let start = rootValue(in: scope) else { return nil }
        return resolve(from: start)
    }

    /// Evaluates against a document directly, as if it were the root.
    public func resolve(from document: JSONValue) -> JSONValue? {
        let matches = PathEvaluator.select(segments[...], from: [document], root: document)
        if isReferencePath { return matches.first }
        return .array(matches)
    }

    /// Evaluates against the scope. Single-node paths return the node; multi-node paths
    /// (wildcards, filters, slices, descent) return an array of matches (`[]` when none).
    /// A single-node path that matches nothing fails with `States.Runtime`, worded as AWS
    /// words it: `The JSONPath '$.missing' specified for the field 'InputPath' could not
    /// be found in the input '{"a":1}'`.
    public func evaluate(in scope: EvaluationScope, field: String) throws -> JSONValue {
        if let value = resolve(in: scope) { return value }
        let input = rootValue(in: scope)?.jsonString ?? "null"
        throw StatesError.runtime(
            "The JSONPath '\(text)' specified for the field '\(field)' could not be found in the input '\(input)'")
    }

    // MARK: - ResultPath

    /// ResultPath semantics: returns `target` with `value` placed at this reference path,
    /// creating intermediate objects as needed; `$` replaces the whole target. Fails with
    /// `States.ResultPathMatchFailure` when the path crosses a value that is not an object
    /// (or an array index that does not exist), or is not a reference path into `$`.
    public func assign(_ value: JSONValue, into target: JSONValue) throws -> JSONValue {
        guard root == .input, isReferencePath else { throw matchFailure(target) }
        return try place(value, into: target, at: segments[...], original: target)
    }

    private func place(_ value: JSONValue, into node: JSONValue?, at rest: ArraySlice<PathSegment>,
                       original: JSONValue) throws -> JSONValue {
        guard let segment = rest.first else { return value }
        switch segment {
        case .member(let name):
            var object: JSONObject
            switch node {
            case .none: object = JSONObject()
            case .object(let existing)?: object = existing
            default: throw matchFailure(original)
            }
            object[name] = try place(value, into: object[name], at: rest.dropFirst(), original: original)
            return .object(object)
        case .index(let index):
            guard case .array(var elements)? = node else { throw matchFailure(original) }
            let position = index < 0 ? elements.count + index : index
            guard elements.indices.contains(position) else { throw matchFailure(original) }
            elements[position] = try place(value, into: elements[position], at: rest.dropFirst(), original: original)
            return .array(elements)
        default:
            throw matchFailure(original)
        }
    }

    private func matchFailure(_ input: JSONValue) -> StatesError {
        .resultPathMatchFailure("Unable to apply ReferencePath \(text) to input \(input.jsonString)")
    }
}
