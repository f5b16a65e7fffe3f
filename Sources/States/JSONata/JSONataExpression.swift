import Foundation
import JSON

/// A JSONata expression, parsed once and evaluated many times.
public struct JSONataExpression: Sendable {
    let root: JSONataNode
    public let source: String

    /// Parses `source`; throws a `JSONataError` (codes S0xxx) with the position of the problem.
    public init(_ source: String) throws {
        self.source = source
        root = try JSONataParser.parse(source)
    }

    /// Evaluates against `input`; nil means JSONata's `undefined`. `bindings` are
    /// variables named without the `$` ("states" is `$states`), `functions` are
    /// native functions callable as `$name(…)`.
    public func evaluate(_ input: JSONValue?, bindings: [String: JSONValue] = [:],
                         functions: [String: JSONataFunction] = [:]) throws -> JSONValue? {
        try evaluateValue(input.map(JValue.init), bindings: bindings, functions: functions)?.json
    }

    func evaluateValue(_ input: JValue?, bindings: [String: JSONValue] = [:],
                       functions: [String: JSONataFunction] = [:], now: Date? = nil) throws -> JValue? {
        let evaluator = JSONataEvaluator(hostFunctions: functions)
        if let now { evaluator.now = now }
        evaluator.pendingBindings = bindings
        return try evaluator.run(root, input, bindings: [:])
    }
}

extension JSONataEvaluator {
    /// Evaluates a whole expression: binds `$$` and the caller's variables, wraps an
    /// input array so that paths treat it as one value, and names any stray error.
    func run(_ root: JSONataNode, _ input: JValue?, bindings: [String: JValue]) throws -> JValue? {
        var value = input
        if case .array(var a)? = input, !a.sequence {
            a = JArray([.array(a)], sequence: true)
            a.outerWrapper = true
            value = .array(a)
        }
        let frame = JSONataFrame(parent: nil)
        frame.bind("$", value)
        rootFrame = frame
        for (name, bound) in bindings { frame.bind(name, bound) }
        do {
            let result = try evaluate(root, value, frame)
            if case .array(var a)? = result, a.sequence || a.outerWrapper {
                a.sequence = false
                a.outerWrapper = false
                return .array(a)
            }
            return result
        } catch let fault as JSONataFault {
            throw fault.error(position: root.position, token: nil)
        }
    }
}
