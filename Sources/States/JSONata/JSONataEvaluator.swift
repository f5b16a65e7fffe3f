import Foundation
import JSON

/// Evaluates a processed JSONata tree against an input. One evaluator serves one
/// `evaluate` call: it holds the host's functions, the time `$now` reports, and
/// the guards that stop runaway recursion.
final class JSONataEvaluator {
    let hostFunctions: [String: JSONataFunction]
    lazy var now: Date = Date()
    var depth = 0
    var steps = 0
    static let maxDepth = 10_000
    static let maxSteps = 20_000_000
    /// The lowest usable stack address of this thread, found when recursion first gets deep.
    private var stackFloor: UInt?

    var pendingBindings: [String: JSONValue] = [:]
    var rootFrame: JSONataFrame?
    /// The tuple stream of the path just evaluated, when a `%` outside it needs its bindings.
    var innerTuples: [Tuple]? = nil

    init(hostFunctions: [String: JSONataFunction]) {
        self.hostFunctions = hostFunctions
    }

    func evaluate(_ expr: JSONataNode, _ input: JValue?, _ env: JSONataFrame) throws -> JValue? {
        depth += 1
        steps += 1
        defer { depth -= 1 }
        if depth > 12, depth & 3 == 0 {
            if depth > Self.maxDepth || nearStackEnd() { throw JSONataError.make("U1001", expr.position) }
        }
        if steps > Self.maxSteps { throw JSONataError.make("U1002", expr.position) }

        var result: JValue?
        switch expr.kind {
        case .path: result = try evaluatePath(expr, input, env)
        case .binary: result = try evaluateBinary(expr, input, env)
        case .unary: result = try evaluateUnary(expr, input, env)
        case .name: result = Self.lookup(input, expr.value)
        case .string: result = .string(expr.value)
        case .number: result = .number(expr.number)
        case .value: result = expr.literal
        case .wildcard: result = Self.wildcard(input)
        case .descendant: result = Self.descendants(input)
        case .parent: result = expr.slot.flatMap { env.lookup($0.label) }
        case .condition:
            let condition = try evaluate(expr.condition!, input, env)
            if Self.boolean(condition) == true {
                result = try evaluate(expr.then!, input, env)
            } else if let otherwise = expr.otherwise {
                result = try evaluate(otherwise, input, env)
            }
        case .elvis:
            let value = try evaluate(expr.lhs!, input, env)
            result = Self.boolean(value) == true ? value : try evaluate(expr.rhs!, input, env)
        case .coalesce:
            let value = try evaluate(expr.lhs!, input, env)
            result = value != nil ? value : try evaluate(expr.rhs!, input, env)
        case .block:
            let frame = expr.bindsVariables ? JSONataFrame(parent: env) : env
            for e in expr.expressions { result = try evaluate(e, input, frame) }
        case .bind:
            let value = try evaluate(expr.rhs!, input, env)
            env.bind(expr.lhs!.value, value)
            result = value
        case .regex: result = .function(JFunction(.regex(expr.regex!)))
        case .function: result = try evaluateCall(expr, input, env, applyTo: nil)
        case .variable:
            result = variable(expr.value, input, env, builtin: expr.builtin)
        case .lambda: result = .function(JFunction(.lambda(expr, env, input)))
        case .partial: result = try evaluatePartial(expr, input, env)
        case .apply: result = try evaluateApply(expr, input, env)
        case .transform:
            result = .function(JFunction(.transform(expr, env)))
        case .sort, .placeholder, .op:
            throw JSONataError.make("S0206", expr.position, token: expr.value)
        }

        if let predicate = expr.predicate {
            for case .filter(let p, _) in predicate { result = try evaluateFilter(p, result, env) }
        }
        if expr.kind != .path, let group = expr.group {
            result = try evaluateGroup(group.pairs, position: group.position, values: result, env)
        }
        if case .array(var a) = result, a.sequence {
            if expr.keepArray { a.keepSingleton = true }
            if a.items.isEmpty {
                result = nil
            } else if a.items.count == 1 {
                result = a.keepSingleton ? .array(a) : a.items[0]
            } else if expr.keepArray {
                result = .array(a)
            }
        }
        return result
    }

    /// Whether less than a safe margin of this thread's stack is left, so deep
    /// recursion ends in U1001 instead of a crash, whatever the thread's stack size.
    private func nearStackEnd() -> Bool {
        if stackFloor == nil { stackFloor = JSONataStack.cachedFloor() }
        guard let floor = stackFloor else { return false }
        var marker = 0
        let here = withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
        return here < floor
    }

    func variable(_ name: String, _ input: JValue?, _ env: JSONataFrame, builtin: JFunction? = nil) -> JValue? {
        if name.isEmpty {
            if case .array(let a) = input, a.outerWrapper, let first = a.items.first { return first }
            return input
        }
        if let value = env.lookup(name) { return value }
        if !pendingBindings.isEmpty, let json = pendingBindings[name] {
            // caller's variables are converted on first use
            let value = JValue(json)
            rootFrame?.bind(name, value)
            return value
        }
        if !hostFunctions.isEmpty, let host = hostFunctions[name] { return .function(JFunction(.host(name, host))) }
        if let builtin { return .function(builtin) }
        if let builtin = JSONataLibrary.builtins[name] { return .function(JFunction(.builtin(builtin))) }
        return nil
    }

    // MARK: - Function calls

    func evaluateCall(_ expr: JSONataNode, _ input: JValue?, _ env: JSONataFrame, applyTo: JValue??) throws -> JValue? {
        let procedure = expr.procedure!
        let proc = try evaluate(procedure, input, env)
        let name = procedure.kind == .path ? procedure.steps.first?.value : procedure.value
        if proc == nil, procedure.kind == .path, let first = procedure.steps.first, env.lookup(first.value) != nil {
            throw JSONataError.make("T1005", expr.position, token: first.value)
        }
        var args: [JValue?] = []
        args.reserveCapacity(expr.arguments.count + 1)
        if let applyTo { args.append(applyTo) }
        for argument in expr.arguments { args.append(try evaluate(argument, input, env)) }
        guard case .function(let function) = proc else {
            throw JSONataError.make("T1006", expr.position, token: name)
        }
        do {
            return try apply(function, args, input, env)
        } catch let fault as JSONataFault {
            throw fault.error(position: expr.position, token: name)
        }
    }

    func apply(_ function: JFunction, _ args: [JValue?], _ input: JValue?, _ env: JSONataFrame) throws -> JValue? {
        switch function.body {
        case .lambda(let node, let closure, let captured):
            let validated = try node.signature?.validate(args, context: input) ?? args
            let frame = JSONataFrame(parent: closure)
            for (i, name) in node.parameters.enumerated() { frame.bind(name, i < validated.count ? validated[i] : nil) }
            return try evaluate(node.body!, captured, frame)
        case .builtin(let builtin):
            do {
                let validated = try builtin.signature?.validate(args, context: input) ?? args
                return try builtin.implementation(JSONataCall(evaluator: self, input: input, environment: env), validated)
            } catch var fault as JSONataFault {
                if fault.token == nil { fault.token = builtin.name }
                throw fault
            }
        case .host(_, let host):
            let result = try host.body(args.map { $0?.json })
            return result.map(JValue.init)
        case .partial(let base, let slots):
            var full: [JValue?] = []
            var next = 0
            for slot in slots {
                if let bound = slot {
                    full.append(bound)
                } else {
                    full.append(next < args.count ? args[next] : nil)
                    next += 1
                }
            }
            return try apply(base, full, input, env)
        case .regex(let regex):
            guard case .string(let s)? = args.first else { return nil }
            guard let m = regex.matches(in: s, limit: 1).first else { return nil }
            return Self.matchObject(m)
        case .transform(let node, let closure):
            guard let value = args.first ?? nil else { return nil }
            return try transform(node, value, closure)
        case .chain(let first, let second):
            let intermediate = try apply(first, args, input, env)
            return try apply(second, [intermediate], input, env)
        }
    }

    static func matchObject(_ m: JSONataRegex.Match) -> JValue {
        .object(JObject(keys: ["match", "start", "end", "groups"],
                        values: [.string(m.match), .number(Double(m.start)), .number(Double(m.end)),
                                 .plainArray(m.groups.map { .string($0) })]))
    }

    /// Calls a function value with up to three arguments, trimmed to its arity
    /// (how `$map`, `$filter`, `$sort` and friends call back).
    func callback(_ function: JFunction, _ args: [JValue?], _ input: JValue? = nil) throws -> JValue? {
        let arity = function.arity
        let trimmed = args.count > arity ? Array(args.prefix(max(arity, 1))) : args
        return try apply(function, trimmed, input, JSONataFrame(parent: nil))
    }

    private func evaluatePartial(_ expr: JSONataNode, _ input: JValue?, _ env: JSONataFrame) throws -> JValue? {
        var slots: [JValue??] = []
        for argument in expr.arguments {
            if argument.kind == .placeholder { slots.append(nil) } else { slots.append(.some(try evaluate(argument, input, env))) }
        }
        let procedure = expr.procedure!
        let proc = try evaluate(procedure, input, env)
        if proc == nil, procedure.kind == .path, let first = procedure.steps.first, env.lookup(first.value) != nil {
            throw JSONataError.make("T1007", expr.position, token: first.value)
        }
        guard case .function(let function) = proc else {
            throw JSONataError.make("T1008", expr.position, token: procedure.value)
        }
        return .function(JFunction(.partial(function, slots)))
    }

    private func evaluateApply(_ expr: JSONataNode, _ input: JValue?, _ env: JSONataFrame) throws -> JValue? {
        let lhs = try evaluate(expr.lhs!, input, env)
        let rhs = expr.rhs!
        if rhs.kind == .function {
            return try evaluateCall(rhs, input, env, applyTo: .some(lhs))
        }
        let function = try evaluate(rhs, input, env)
        guard case .function(let f) = function else {
            throw JSONataError.make("T2006", expr.position, value: function)
        }
        if case .function(let g) = lhs {
            return .function(JFunction(.chain(g, f)))
        }
        do {
            return try apply(f, [lhs], nil, env)
        } catch let fault as JSONataFault {
            throw fault.error(position: expr.position, token: rhs.value)
        }
    }
}
