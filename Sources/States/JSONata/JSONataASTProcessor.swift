/// The second parsing pass: dotted chains become `path` nodes with steps,
/// `[…]` becomes filter stages, `{…}` after a step becomes a grouping, `^(…)`
/// a sort step, `@`/`#` mark tuple steps, and every `%` is tied to the step
/// whose context it names.
struct JSONataASTProcessor {
    private var ancestorLabel = 0
    private var ancestorIndex = 0
    private var ancestry: [JSONataNode] = []

    mutating func process(_ expr: JSONataNode) throws -> JSONataNode {
        var result: JSONataNode
        switch expr.kind {
        case .binary:
            result = try processBinary(expr)
        case .unary:
            result = JSONataNode(.unary, expr.value, position: expr.position)
            if expr.value == "[" {
                for item in expr.expressions {
                    let value = try process(item)
                    pushAncestry(result, value)
                    result.expressions.append(value)
                }
            } else if expr.value == "{" {
                for (k, v) in expr.pairs {
                    let key = try process(k)
                    pushAncestry(result, key)
                    let value = try process(v)
                    pushAncestry(result, value)
                    result.pairs.append((key, value))
                }
            } else {
                let operand = try process(expr.expression!)
                if expr.value == "-", operand.kind == .number {
                    result = operand
                    result.number = -result.number
                } else {
                    result.expression = operand
                    pushAncestry(result, operand)
                }
            }
        case .function, .partial:
            result = JSONataNode(expr.kind, expr.value, position: expr.position)
            for argument in expr.arguments {
                let processed = try process(argument)
                pushAncestry(result, processed)
                result.arguments.append(processed)
            }
            result.procedure = try process(expr.procedure!)
        case .lambda:
            result = JSONataNode(.lambda, expr.value, position: expr.position)
            result.parameters = expr.parameters
            result.signature = expr.signature
            result.body = try process(expr.body!)
        case .condition:
            result = JSONataNode(.condition, expr.value, position: expr.position)
            result.condition = try process(expr.condition!)
            pushAncestry(result, result.condition!)
            result.then = try process(expr.then!)
            pushAncestry(result, result.then!)
            if let otherwise = expr.otherwise {
                result.otherwise = try process(otherwise)
                pushAncestry(result, result.otherwise!)
            }
        case .elvis, .coalesce:
            result = JSONataNode(expr.kind, expr.value, position: expr.position)
            result.lhs = try process(expr.lhs!)
            result.rhs = try process(expr.rhs!)
            pushAncestry(result, result.lhs!)
            pushAncestry(result, result.rhs!)
        case .transform:
            result = JSONataNode(.transform, expr.value, position: expr.position)
            result.expression = try process(expr.expression!)
            result.update = try process(expr.update!)
            if let delete = expr.delete { result.delete = try process(delete) }
        case .block:
            result = JSONataNode(.block, expr.value, position: expr.position)
            for item in expr.expressions {
                let part = try process(item)
                pushAncestry(result, part)
                if part.consArray || (part.kind == .path && part.steps.first?.consArray == true) {
                    result.consArray = true
                }
                result.expressions.append(part)
            }
            result.bindsVariables = result.expressions.contains(where: Self.mayBind)
        case .name:
            result = JSONataNode(.path, "", position: expr.position)
            result.steps = [expr]
            if expr.keepArray { result.keepSingletonArray = true }
        case .parent:
            result = JSONataNode(.parent, "%", position: expr.position)
            result.slot = .init(label: "!\(ancestorLabel)", level: 1, index: ancestorIndex)
            ancestorLabel += 1
            ancestorIndex += 1
            ancestry.append(result)
        case .variable:
            result = expr
            if let builtin = JSONataLibrary.builtins[expr.value] { result.builtin = JFunction(.builtin(builtin)) }
        case .string, .number, .value, .wildcard, .descendant, .regex, .placeholder:
            result = expr
        case .op:
            throw JSONataError.make("S0201", expr.position, token: expr.value)
        case .path, .bind, .apply, .sort:
            result = expr
        }
        if expr.keepArray { result.keepArray = true }
        return result
    }

    private mutating func processBinary(_ expr: JSONataNode) throws -> JSONataNode {
        let result: JSONataNode
        switch expr.value {
        case ".":
            let lstep = try process(expr.lhs!)
            if lstep.kind == .path {
                result = lstep
            } else {
                result = JSONataNode(.path, "", position: expr.position)
                result.steps = [lstep]
            }
            if lstep.kind == .parent, let slot = lstep.slot { result.seekingParent = [slot] }
            let rest = try process(expr.rhs!)
            if rest.kind == .path {
                result.steps.append(contentsOf: rest.steps)
            } else {
                if let predicate = rest.predicate {
                    rest.stages = predicate
                    rest.predicate = nil
                }
                result.steps.append(rest)
            }
            for step in result.steps {
                if step.kind == .number || step.kind == .value {
                    let literal: JValue = step.kind == .number ? .number(step.number) : (step.literal ?? .null)
                    throw JSONataError.make("S0213", step.position, token: step.value, value: literal)
                }
                if step.kind == .string { step.kind = .name }
            }
            if result.steps.contains(where: { $0.keepArray }) { result.keepSingletonArray = true }
            if let first = result.steps.first, first.kind == .unary, first.value == "[" { first.consArray = true }
            if let last = result.steps.last, last.kind == .unary, last.value == "[" { last.consArray = true }
            try resolveAncestry(result)
        case "[":
            result = try process(expr.lhs!)
            var step = result
            var isStages = false
            if result.kind == .path, let last = result.steps.last {
                step = last
                isStages = true
            }
            if step.group != nil { throw JSONataError.make("S0209", expr.position) }
            let predicate = try process(expr.rhs!)
            if let seeking = predicate.seekingParent {
                for slot in seeking {
                    if slot.level == 1 { _ = try seekParent(step, slot) } else { slot.level -= 1 }
                }
                pushAncestry(step, predicate)
            }
            let stage = JSONataNode.Stage.filter(predicate, position: expr.position)
            if isStages { step.stages = (step.stages ?? []) + [stage] } else { step.predicate = (step.predicate ?? []) + [stage] }
        case "{":
            result = try process(expr.lhs!)
            if result.group != nil { throw JSONataError.make("S0210", expr.position) }
            var pairs: [(JSONataNode, JSONataNode)] = []
            for (k, v) in expr.pairs { pairs.append((try process(k), try process(v))) }
            result.group = (pairs, expr.position)
        case "^":
            var lhs = try process(expr.lhs!)
            if lhs.kind != .path {
                let path = JSONataNode(.path, "", position: expr.position)
                path.steps = [lhs]
                lhs = path
            }
            let sortStep = JSONataNode(.sort, "^", position: expr.position)
            for term in expr.terms {
                let expression = try process(term.expression)
                pushAncestry(sortStep, expression)
                sortStep.terms.append(.init(descending: term.descending, expression: expression))
            }
            lhs.steps.append(sortStep)
            try resolveAncestry(lhs)
            result = lhs
        case ":=":
            result = JSONataNode(.bind, ":=", position: expr.position)
            result.lhs = try process(expr.lhs!)
            result.rhs = try process(expr.rhs!)
            pushAncestry(result, result.rhs!)
        case "@":
            result = try process(expr.lhs!)
            var step = result
            if result.kind == .path, let last = result.steps.last { step = last }
            if step.stages != nil || step.predicate != nil { throw JSONataError.make("S0215", expr.position) }
            if step.kind == .sort { throw JSONataError.make("S0216", expr.position) }
            if expr.keepArray { step.keepArray = true }
            step.focus = expr.rhs!.value
            step.tuple = true
        case "#":
            var lhs = try process(expr.lhs!)
            var step = lhs
            if lhs.kind == .path, let last = lhs.steps.last {
                step = last
            } else {
                let path = JSONataNode(.path, "", position: expr.position)
                path.steps = [lhs]
                lhs = path
                if let predicate = step.predicate {
                    step.stages = predicate
                    step.predicate = nil
                }
            }
            if step.stages == nil {
                step.indexVariable = expr.rhs!.value
            } else {
                step.stages!.append(.index(expr.rhs!.value))
            }
            step.tuple = true
            result = lhs
        case "~>":
            result = JSONataNode(.apply, "~>", position: expr.position)
            result.lhs = try process(expr.lhs!)
            result.rhs = try process(expr.rhs!)
            result.keepArray = result.lhs!.keepArray || result.rhs!.keepArray
        default:
            result = JSONataNode(.binary, expr.value, position: expr.position)
            result.lhs = try process(expr.lhs!)
            result.rhs = try process(expr.rhs!)
            pushAncestry(result, result.lhs!)
            pushAncestry(result, result.rhs!)
        }
        return result
    }

    /// Whether evaluating `node` may bind a variable in the enclosing scope (`:=` outside
    /// any nested block or lambda, or `$eval`, which can bind anything).
    static func mayBind(_ node: JSONataNode) -> Bool {
        switch node.kind {
        case .bind: return true
        case .block, .lambda: return false
        case .variable: return node.value == "eval"
        default: break
        }
        var children: [JSONataNode] = []
        for n in [node.lhs, node.rhs, node.expression, node.condition, node.then, node.otherwise, node.procedure,
                  node.body, node.update, node.delete] { if let n { children.append(n) } }
        children += node.expressions + node.steps + node.arguments + node.terms.map(\.expression)
        children += node.pairs.flatMap { [$0.0, $0.1] }
        if let group = node.group { children += group.pairs.flatMap { [$0.0, $0.1] } }
        for stages in [node.stages, node.predicate] {
            for case .filter(let p, _) in stages ?? [] { children.append(p) }
        }
        return children.contains(where: mayBind)
    }

    private func seekParent(_ node: JSONataNode, _ slotIn: JSONataNode.Slot) throws -> JSONataNode.Slot {
        var slot = slotIn
        switch node.kind {
        case .name, .wildcard:
            slot.level -= 1
            if slot.level == 0 {
                if let existing = node.ancestor {
                    ancestry[slot.index].slot!.label = existing.label
                    node.ancestor = slot
                } else {
                    node.ancestor = slot
                }
                node.tuple = true
            }
        case .parent:
            slot.level += 1
        case .block:
            if let last = node.expressions.last {
                node.tuple = true
                slot = try seekParent(last, slot)
            }
        case .path:
            node.tuple = true
            var index = node.steps.count - 1
            slot = try seekParent(node.steps[index], slot)
            index -= 1
            while slot.level > 0, index >= 0 {
                slot = try seekParent(node.steps[index], slot)
                index -= 1
            }
        default:
            throw JSONataError.make("S0217", node.position, token: "\(node.kind)")
        }
        return slot
    }

    private func pushAncestry(_ result: JSONataNode, _ value: JSONataNode) {
        guard value.seekingParent != nil || value.kind == .parent else { return }
        var slots = value.seekingParent ?? []
        if value.kind == .parent, let slot = value.slot { slots.append(slot) }
        result.seekingParent = (result.seekingParent ?? []) + slots
    }

    private func resolveAncestry(_ path: JSONataNode) throws {
        guard let last = path.steps.last else { return }
        var slots = last.seekingParent ?? []
        if last.kind == .parent, let slot = last.slot { slots.append(slot) }
        for var slot in slots {
            var index = path.steps.count - 2
            while slot.level > 0 {
                if index < 0 {
                    path.seekingParent = (path.seekingParent ?? []) + [slot]
                    break
                }
                var step = path.steps[index]
                index -= 1
                while index >= 0, step.focus != nil, path.steps[index].focus != nil {
                    step = path.steps[index]
                    index -= 1
                }
                slot = try seekParent(step, slot)
            }
        }
    }
}
