/// Path navigation: steps over sequences, tuple streams for `@`, `#` and `%`,
/// predicates, order-by and grouping.
extension JSONataEvaluator {
    /// A tuple of a tuple stream: the context item and the variables bound along the path.
    struct Tuple {
        var context: JValue?
        var names: [String] = []
        var values: [JValue?] = []

        mutating func set(_ name: String, _ value: JValue?) {
            if let i = names.firstIndex(of: name) { values[i] = value } else { names.append(name); values.append(value) }
        }
    }

    func frame(from tuple: Tuple, _ env: JSONataFrame) -> JSONataFrame {
        let frame = JSONataFrame(parent: env)
        for i in tuple.names.indices { frame.bind(tuple.names[i], tuple.values[i]) }
        return frame
    }

    func evaluatePath(_ expr: JSONataNode, _ input: JValue?, _ env: JSONataFrame) throws -> JValue? {
        // the items the first step runs over; an undefined input still runs it once (for `$x.a`)
        var inputSequence: [JValue]
        var undefinedInput = false
        if case .array(let a) = input, expr.steps[0].kind != .variable {
            inputSequence = a.items
        } else if let input {
            inputSequence = [input]
        } else {
            inputSequence = []
            undefinedInput = true
        }
        var resultSequence: JValue? = nil
        var isTupleStream = false
        var tuples: [Tuple]? = nil

        var firstStep = 0
        if let (skipped, value) = navigateBinding(expr, env) {
            // `$states.input.id`: the caller's JSON was walked directly; only what was reached is converted
            guard let value else { return nil }
            if skipped == expr.steps.count { return value }
            firstStep = skipped
            inputSequence = value.asItems
            undefinedInput = false
        }

        for (i, step) in expr.steps.enumerated() where i >= firstStep {
            if step.tuple { isTupleStream = true }
            if i == 0, step.consArray {
                resultSequence = try evaluate(step, input, env)
            } else if isTupleStream {
                let items: [JValue?] = undefinedInput ? [nil] : inputSequence.map { $0 }
                tuples = try evaluateTupleStep(step, items, tuples, env)
            } else {
                resultSequence = try evaluateStep(step, inputSequence, undefinedInput: undefinedInput, env,
                                                  lastStep: i == expr.steps.count - 1)
            }
            undefinedInput = false
            if !isTupleStream {
                guard let r = resultSequence else { break }
                if case .array(let a) = r, a.items.isEmpty { break }
            }
            if step.focus == nil, !isTupleStream || tuples == nil {
                switch resultSequence {
                case .array(let a)?: inputSequence = a.items
                case let value?: inputSequence = [value]
                case nil: inputSequence = []
                }
            }
        }
        if isTupleStream {
            resultSequence = .sequence((tuples ?? []).compactMap(\.context))
            // a path inside a step that `%` reaches through hands its bindings back to that step
            if expr.tuple { innerTuples = tuples ?? [] }
        }
        if expr.keepSingletonArray {
            if case .array(var a)? = resultSequence {
                if a.cons, !a.sequence {
                    a = JArray([.array(a)], sequence: true)
                }
                a.keepSingleton = true
                resultSequence = .array(a)
            }
        }
        if let group = expr.group {
            if isTupleStream {
                return try evaluateGroup(group.pairs, position: group.position, tuples: tuples ?? [], env)
            }
            return try evaluateGroup(group.pairs, position: group.position, values: resultSequence, env)
        }
        return resultSequence
    }

    /// A path that starts with a caller's variable not yet converted, followed by plain
    /// field names: walks the JSON directly. Returns how many steps it covered and the
    /// value reached (nil when a field is missing), or nil when the path does not qualify.
    private func navigateBinding(_ expr: JSONataNode, _ env: JSONataFrame) -> (Int, JValue?)? {
        guard !pendingBindings.isEmpty, expr.group == nil, !expr.keepSingletonArray else { return nil }
        let first = expr.steps[0]
        guard first.kind == .variable, Self.isPlain(first), let json = pendingBindings[first.value],
              env.lookup(first.value) == nil else { return nil }
        var current = json
        var i = 1
        while i < expr.steps.count {
            let step = expr.steps[i]
            guard step.kind == .name, Self.isPlain(step), case .object(let object) = current else { break }
            guard let next = object[step.value] else { return (expr.steps.count, nil) }
            current = next
            i += 1
        }
        if i == 1 { return nil }
        return (i, JValue(current))
    }

    private static func isPlain(_ step: JSONataNode) -> Bool {
        step.stages == nil && step.predicate == nil && step.group == nil && step.focus == nil && step.indexVariable == nil
            && step.ancestor == nil && !step.tuple && !step.keepArray && !step.consArray
    }

    private func evaluateStep(_ step: JSONataNode, _ input: [JValue], undefinedInput: Bool, _ env: JSONataFrame,
                              lastStep: Bool) throws -> JValue? {
        if step.kind == .sort {
            var result = JValue.sequence(try sortValues(step, input, env))
            if let stages = step.stages {
                for case .filter(let p, _) in stages { result = try evaluateFilter(p, result, env) ?? .sequence() }
            }
            return result
        }
        // one context item (the common case): no intermediate lists
        if input.count == 1 || undefinedInput {
            var res = try evaluate(step, undefinedInput ? nil : input[0], env)
            if let stages = step.stages {
                for case .filter(let p, _) in stages { res = try evaluateFilter(p, res, env) }
            }
            guard let res else { return .sequence() }
            if case .array(let a) = res {
                if lastStep, !a.sequence { return res }
                if !a.cons { return .sequence(a.items) }
            }
            return .sequence([res])
        }
        var results: [JValue] = []
        results.reserveCapacity(input.count)
        for item in input {
            var res = try evaluate(step, item, env)
            if let stages = step.stages {
                for case .filter(let p, _) in stages { res = try evaluateFilter(p, res, env) }
            }
            if let res { results.append(res) }
        }
        if lastStep, results.count == 1, case .array(let a) = results[0], !a.sequence {
            return results[0]
        }
        var out: [JValue] = []
        out.reserveCapacity(results.count)
        for res in results {
            if case .array(let a) = res, !a.cons { out.append(contentsOf: a.items) } else { out.append(res) }
        }
        return .sequence(out)
    }

    private func evaluateTupleStep(_ step: JSONataNode, _ input: [JValue?], _ tupleBindings: [Tuple]?,
                                   _ env: JSONataFrame) throws -> [Tuple] {
        if step.kind == .sort {
            var result: [Tuple]
            if let tupleBindings {
                result = try sortTuples(step, tupleBindings, env)
            } else {
                let sorted = try sortValues(step, input.compactMap { $0 }, env)
                result = sorted.enumerated().map { i, item in
                    var t = Tuple(context: item)
                    if let index = step.indexVariable { t.set(index, .number(Double(i))) }
                    return t
                }
            }
            if let stages = step.stages { result = try evaluateTupleStages(stages, result, env) }
            return result
        }
        let bindings = tupleBindings ?? input.map { Tuple(context: $0) }
        var result: [Tuple] = []
        for tuple in bindings {
            let stepEnv = frame(from: tuple, env)
            innerTuples = nil
            let res = try evaluate(step, tuple.context, stepEnv)
            if step.kind == .path || step.kind == .block, let inner = innerTuples {
                innerTuples = nil
                for innerTuple in inner {
                    var t = tuple
                    t.context = innerTuple.context
                    for i in innerTuple.names.indices { t.set(innerTuple.names[i], innerTuple.values[i]) }
                    result.append(t)
                }
                continue
            }
            guard let res else { continue }
            for (bb, item) in res.asItems.enumerated() {
                var t = tuple
                if let focus = step.focus {
                    t.set(focus, item)
                    t.context = tuple.context
                } else {
                    t.context = item
                }
                if let index = step.indexVariable { t.set(index, .number(Double(bb))) }
                if let ancestor = step.ancestor { t.set(ancestor.label, tuple.context) }
                result.append(t)
            }
        }
        if let stages = step.stages { result = try evaluateTupleStages(stages, result, env) }
        return result
    }

    private func evaluateTupleStages(_ stages: [JSONataNode.Stage], _ tuples: [Tuple], _ env: JSONataFrame) throws -> [Tuple] {
        var result = tuples
        for stage in stages {
            switch stage {
            case .filter(let predicate, _):
                result = try filterTuples(predicate, result, env)
            case .index(let name):
                for j in result.indices { result[j].set(name, .number(Double(j))) }
            }
        }
        return result
    }

    private func filterTuples(_ predicate: JSONataNode, _ tuples: [Tuple], _ env: JSONataFrame) throws -> [Tuple] {
        if predicate.kind == .number {
            var index = Int(predicate.number.rounded(.down))
            if index < 0 { index += tuples.count }
            return tuples.indices.contains(index) ? [tuples[index]] : []
        }
        var results: [Tuple] = []
        for (index, tuple) in tuples.enumerated() {
            let res = try evaluate(predicate, tuple.context, frame(from: tuple, env))
            if try keeps(res, index: index, count: tuples.count) { results.append(tuple) }
        }
        return results
    }

    /// Whether a predicate's value selects the item at `index`: numbers are positions
    /// (negative from the end), anything else is taken as a boolean.
    private func keeps(_ res: JValue?, index: Int, count: Int) throws -> Bool {
        var numbers: [Double]? = nil
        if case .number(let n)? = res {
            numbers = [n]
        } else if case .array(let a)? = res, a.items.allSatisfy({ if case .number = $0 { return true } else { return false } }) {
            numbers = a.items.compactMap(\.numberValue)
        }
        if let numbers {
            for n in numbers {
                if !n.isFinite { throw JSONataError.make("D1001", 0, value: .number(n)) }
                var ii = Int(n.rounded(.down))
                if ii < 0 { ii += count }
                if ii == index { return true }
            }
            return false
        }
        return Self.boolean(res) == true
    }

    func evaluateFilter(_ predicate: JSONataNode, _ input: JValue?, _ env: JSONataFrame) throws -> JValue? {
        guard let input else { return nil }
        let items = input.asItems
        if predicate.kind == .number {
            var index = Int(predicate.number.rounded(.down))
            if index < 0 { index += items.count }
            guard items.indices.contains(index) else { return .sequence() }
            let item = items[index]
            if case .array = item { return item }
            return .sequence([item])
        }
        var results: [JValue] = []
        for (index, item) in items.enumerated() {
            let res = try evaluate(predicate, item, env)
            if try keeps(res, index: index, count: items.count) { results.append(item) }
        }
        return .sequence(results)
    }

    // MARK: - Order-by

    private func sortKey(_ term: JSONataNode.SortTerm, _ a: JValue?, _ b: JValue?, position: Int) throws -> Int {
        let ta = JSONataSignature.symbol(a), tb = JSONataSignature.symbol(b)
        if ta == "m" { return tb == "m" ? 0 : 1 }
        if tb == "m" { return -1 }
        guard ta == "s" || ta == "n", tb == "s" || tb == "n" else {
            throw JSONataError.make("T2008", position, value: (ta == "s" || ta == "n") ? b : a)
        }
        if ta != tb { throw JSONataError.make("T2007", position, value: a, value2: b) }
        var comp = 0
        switch (a!, b!) {
        case (.number(let x), .number(let y)): comp = x == y ? 0 : (x < y ? -1 : 1)
        case (.string(let x), .string(let y)): comp = x == y ? 0 : (Self.jsLess(x, y) ? -1 : 1)
        default: break
        }
        return term.descending ? -comp : comp
    }

    private func sortValues(_ step: JSONataNode, _ items: [JValue], _ env: JSONataFrame) throws -> [JValue] {
        try Self.mergeSort(items) { a, b in
            for term in step.terms {
                let ka = try self.evaluate(term.expression, a, env)
                let kb = try self.evaluate(term.expression, b, env)
                let comp = try self.sortKey(term, ka, kb, position: step.position)
                if comp != 0 { return comp == 1 }
            }
            return false
        }
    }

    private func sortTuples(_ step: JSONataNode, _ tuples: [Tuple], _ env: JSONataFrame) throws -> [Tuple] {
        try Self.mergeSort(tuples) { a, b in
            for term in step.terms {
                let ka = try self.evaluate(term.expression, a.context, self.frame(from: a, env))
                let kb = try self.evaluate(term.expression, b.context, self.frame(from: b, env))
                let comp = try self.sortKey(term, ka, kb, position: step.position)
                if comp != 0 { return comp == 1 }
            }
            return false
        }
    }

    /// A stable merge sort; `swap(a, b)` says whether `a` must come after `b`.
    static func mergeSort<T>(_ items: [T], _ swap: (T, T) throws -> Bool) throws -> [T] {
        if items.count < 2 { return items }
        let middle = items.count / 2
        let left = try mergeSort(Array(items[..<middle]), swap)
        let right = try mergeSort(Array(items[middle...]), swap)
        var out: [T] = []
        out.reserveCapacity(items.count)
        var i = 0, j = 0
        while i < left.count, j < right.count {
            if try swap(left[i], right[j]) { out.append(right[j]); j += 1 } else { out.append(left[i]); i += 1 }
        }
        out.append(contentsOf: left[i...])
        out.append(contentsOf: right[j...])
        return out
    }

    /// JavaScript's `<` on strings: UTF-16 code unit order.
    static func jsLess(_ a: String, _ b: String) -> Bool {
        a.utf16.lexicographicallyPrecedes(b.utf16)
    }

    // MARK: - Grouping and object construction

    func evaluateGroup(_ pairs: [(JSONataNode, JSONataNode)], position: Int, values: JValue?, _ env: JSONataFrame) throws -> JValue? {
        if values == nil || !(values!.isArray) {
            return try constructObject(pairs, position: position, context: values, env)
        }
        var items: [JValue?] = values.map { $0.asItems } ?? []
        if items.isEmpty { items = [nil] }
        var keys: [String] = []
        var groups: [String: (data: JValue?, exprIndex: Int)] = [:]
        for item in items {
            for (pairIndex, pair) in pairs.enumerated() {
                let key = try evaluate(pair.0, item, env)
                guard let key else { continue }
                guard case .string(let k) = key else { throw JSONataError.make("T1003", position, value: key) }
                if let existing = groups[k] {
                    if existing.exprIndex != pairIndex { throw JSONataError.make("D1009", position, value: key) }
                    groups[k]!.data = Self.append(existing.data, item)
                } else {
                    groups[k] = (item, pairIndex)
                    keys.append(k)
                }
            }
        }
        var result = JObject()
        for key in keys {
            let entry = groups[key]!
            if let value = try evaluate(pairs[entry.exprIndex].1, entry.data, env) {
                result.keys.append(key)
                result.values.append(value)
            }
        }
        return .object(result)
    }

    /// An object constructor over one context value: each pair in order, no grouping needed.
    private func constructObject(_ pairs: [(JSONataNode, JSONataNode)], position: Int, context: JValue?,
                                 _ env: JSONataFrame) throws -> JValue? {
        var result = JObject()
        result.keys.reserveCapacity(pairs.count)
        result.values.reserveCapacity(pairs.count)
        var seen: [String] = []
        seen.reserveCapacity(pairs.count)
        for pair in pairs {
            let key = try evaluate(pair.0, context, env)
            guard let key else { continue }
            guard case .string(let k) = key else { throw JSONataError.make("T1003", position, value: key) }
            if seen.contains(k) { throw JSONataError.make("D1009", position, value: key) }
            seen.append(k)
            if let value = try evaluate(pair.1, context, env) {
                result.keys.append(k)
                result.values.append(value)
            }
        }
        return .object(result)
    }

    func evaluateGroup(_ pairs: [(JSONataNode, JSONataNode)], position: Int, tuples: [Tuple], _ env: JSONataFrame) throws -> JValue? {
        var keys: [String] = []
        var groups: [String: (tuples: [Tuple], exprIndex: Int)] = [:]
        let items = tuples.isEmpty ? [Tuple(context: nil)] : tuples
        for tuple in items {
            let tupleEnv = frame(from: tuple, env)
            for (pairIndex, pair) in pairs.enumerated() {
                let key = try evaluate(pair.0, tuple.context, tupleEnv)
                guard let key else { continue }
                guard case .string(let k) = key else { throw JSONataError.make("T1003", position, value: key) }
                if let existing = groups[k] {
                    if existing.exprIndex != pairIndex { throw JSONataError.make("D1009", position, value: key) }
                    groups[k]!.tuples.append(tuple)
                } else {
                    groups[k] = ([tuple], pairIndex)
                    keys.append(k)
                }
            }
        }
        var result = JObject()
        for key in keys {
            let entry = groups[key]!
            // reduce the group's tuples to one: every binding becomes the sequence of its values
            var reduced = entry.tuples[0]
            for t in entry.tuples.dropFirst() {
                reduced.context = Self.append(reduced.context, t.context)
                for i in t.names.indices {
                    let current = reduced.names.firstIndex(of: t.names[i]).flatMap { reduced.values[$0] }
                    reduced.set(t.names[i], Self.append(current, t.values[i]))
                }
            }
            if let value = try evaluate(pairs[entry.exprIndex].1, reduced.context, frame(from: reduced, env)) {
                result.keys.append(key)
                result.values.append(value)
            }
        }
        return .object(result)
    }

    // MARK: - Navigation primitives

    static func lookup(_ input: JValue?, _ key: String) -> JValue? {
        guard let input else { return nil }
        switch input {
        case .object(let o): return o[key]
        case .array(let a):
            var out: [JValue] = []
            for item in a.items {
                guard let res = lookup(item, key) else { continue }
                if case .array(let inner) = res { out.append(contentsOf: inner.items) } else { out.append(res) }
            }
            return .sequence(out)
        default: return nil
        }
    }

    static func wildcard(_ input: JValue?) -> JValue? {
        var value = input
        if case .array(let a)? = input, a.outerWrapper, let first = a.items.first { value = first }
        var results: [JValue] = []
        switch value {
        case .object(let o)?:
            for v in o.values {
                if case .array = v { results.append(contentsOf: flatten(v)) } else { results.append(v) }
            }
        case .array(let a)?:
            for v in a.items {
                if case .array = v { results.append(contentsOf: flatten(v)) } else { results.append(v) }
            }
        default: break
        }
        return .sequence(results)
    }

    static func flatten(_ value: JValue) -> [JValue] {
        guard case .array(let a) = value else { return [value] }
        var out: [JValue] = []
        for item in a.items { out.append(contentsOf: flatten(item)) }
        return out
    }

    static func descendants(_ input: JValue?) -> JValue? {
        guard let input else { return nil }
        var results: [JValue] = []
        func recurse(_ v: JValue) {
            switch v {
            case .array(let a): for item in a.items { recurse(item) }
            case .object(let o):
                results.append(v)
                for item in o.values { recurse(item) }
            default: results.append(v)
            }
        }
        recurse(input)
        return results.count == 1 ? results[0] : .sequence(results)
    }
}
