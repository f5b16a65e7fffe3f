import JSON

/// A native function callable from expressions (Step Functions adds
/// `$partition`, `$range`, `$hash`, `$random`, `$uuid`, `$parse` this way).
/// Arguments arrive as JSON (nil for an undefined argument); nil back is `undefined`.
public struct JSONataFunction: Sendable {
    let body: @Sendable (_ arguments: [JSONValue?]) throws -> JSONValue?

    public init(_ body: @escaping @Sendable (_ arguments: [JSONValue?]) throws -> JSONValue?) {
        self.body = body
    }
}

/// A function as a value inside an evaluation.
final class JFunction {
    enum Body {
        case lambda(JSONataNode, JSONataFrame, JValue?)
        case builtin(JSONataBuiltin)
        case host(String, JSONataFunction)
        /// A partial application: nil slots are the `?` placeholders.
        case partial(JFunction, [JValue??])
        case regex(JSONataRegex)
        case chain(JFunction, JFunction)
        /// `| pattern | update, delete |`: a function from an object to a modified copy.
        case transform(JSONataNode, JSONataFrame)
    }

    let body: Body
    init(_ body: Body) { self.body = body }

    /// How many arguments the function declares; higher-order functions pass only that many.
    var arity: Int {
        switch body {
        case .lambda(let node, _, _): return node.parameters.count
        case .builtin(let b): return b.signature?.parameters.count ?? 1
        case .host: return 1
        case .partial(_, let slots): return slots.filter { $0 == nil }.count
        case .regex: return 1
        case .chain: return 1
        case .transform: return 1
        }
    }
}

/// A standard-library function: its name, signature and implementation.
struct JSONataBuiltin: Sendable {
    typealias Implementation = @Sendable (_ call: JSONataCall, _ args: [JValue?]) throws -> JValue?
    let name: String
    let signature: JSONataSignature?
    let implementation: Implementation

    init(_ name: String, _ signature: String?, _ implementation: @escaping Implementation) {
        // signatures are literals in this module; a bad one is a programming error caught by the tests
        self.name = name
        self.signature = signature.map { try! JSONataSignature($0) }
        self.implementation = implementation
    }
}

/// A scope of variable bindings; lambdas capture the frame they were defined in.
final class JSONataFrame {
    private var names: [String] = []
    private var values: [JValue] = []
    let parent: JSONataFrame?

    init(parent: JSONataFrame?) { self.parent = parent }

    func bind(_ name: String, _ value: JValue?) {
        if let i = names.firstIndex(of: name) {
            if let value { values[i] = value } else { names.remove(at: i); values.remove(at: i) }
        } else if let value {
            names.append(name)
            values.append(value)
        }
    }

    func lookup(_ name: String) -> JValue? {
        var frame: JSONataFrame? = self
        while let f = frame {
            for i in f.names.indices where f.names[i] == name { return f.values[i] }
            frame = f.parent
        }
        return nil
    }
}

/// What a standard function sees of its call: the evaluator (to call back into
/// functions it was given), the context value and the calling scope.
struct JSONataCall {
    let evaluator: JSONataEvaluator
    let input: JValue?
    let environment: JSONataFrame
}
