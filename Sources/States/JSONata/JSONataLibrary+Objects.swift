/// Object functions: $keys, $lookup, $spread, $merge, $sift, $each, $error,
/// $assert, $type.
extension JSONataLibrary {
    static let objects: [JSONataBuiltin] = [
        JSONataBuiltin("keys", "<x-:a<s>>") { _, args in
            guard let value = args[0] else { return nil }
            switch value {
            case .object(let o): return .sequence(o.keys.map { .string($0) })
            case .array(let a):
                var seen = Set<String>()
                var keys: [JValue] = []
                for case .object(let o) in a.items {
                    for k in o.keys where seen.insert(k).inserted { keys.append(.string(k)) }
                }
                return .sequence(keys)
            default: return .sequence()
            }
        },
        JSONataBuiltin("lookup", "<x-s:x>") { _, args in
            guard case .string(let key)? = args[1] else { return nil }
            return JSONataEvaluator.lookup(args[0], key)
        },
        JSONataBuiltin("spread", "<x-:a<o>>") { _, args in
            guard let value = args[0] else { return nil }
            func spread(_ v: JValue) -> [JValue] {
                switch v {
                case .object(let o):
                    return o.keys.indices.map { .object(JObject(keys: [o.keys[$0]], values: [o.values[$0]])) }
                case .array(let a): return a.items.flatMap(spread)
                default: return [v]
                }
            }
            if case .array = value { return .sequence(spread(value)) }
            if case .object = value { return .sequence(spread(value)) }
            return value
        },
        JSONataBuiltin("merge", "<a<o>:o>") { _, args in
            guard let list = items(args[0]) else { return nil }
            var result = JObject()
            for case .object(let o) in list {
                for i in o.keys.indices { result[o.keys[i]] = o.values[i] }
            }
            return .object(result)
        },
        JSONataBuiltin("sift", "<o-f?:o>") { call, args in
            guard case .object(let o)? = args[0], let f = function(args.count > 1 ? args[1] : nil) else { return nil }
            var result = JObject()
            for i in o.keys.indices {
                let keep = try call.evaluator.callback(f, [o.values[i], .string(o.keys[i]), .object(o)])
                if JSONataEvaluator.boolean(keep) == true {
                    result.keys.append(o.keys[i])
                    result.values.append(o.values[i])
                }
            }
            return result.count == 0 ? nil : .object(result)
        },
        JSONataBuiltin("each", "<o-f:a>") { call, args in
            guard case .object(let o)? = args[0], let f = function(args[1]) else { return nil }
            var out: [JValue] = []
            for i in o.keys.indices {
                if let v = try call.evaluator.callback(f, [o.values[i], .string(o.keys[i]), .object(o)]) { out.append(v) }
            }
            return .sequence(out)
        },
        JSONataBuiltin("error", "<s?:x>") { _, args in
            throw JSONataFault("D3137", text: string(args.first ?? nil) ?? "$error() function evaluated")
        },
        JSONataBuiltin("assert", "<bs?:x>") { _, args in
            guard case .bool(let ok)? = args[0] else { throw JSONataFault("T0410", value: args[0], index: 1) }
            if !ok { throw JSONataFault("D3141", text: string(args.count > 1 ? args[1] : nil) ?? "$assert() statement failed") }
            return nil
        },
        JSONataBuiltin("type", "<x:s>") { _, args in
            guard let value = args[0] else { return nil }
            switch value {
            case .null: return .string("null")
            case .bool: return .string("boolean")
            case .number: return .string("number")
            case .string: return .string("string")
            case .array: return .string("array")
            case .object: return .string("object")
            case .function: return .string("function")
            }
        },
    ]

    static let higherOrder: [JSONataBuiltin] = [
        JSONataBuiltin("map", "<af>") { call, args in
            guard let list = items(args[0]), let f = function(args[1]) else { return nil }
            var out: [JValue] = []
            for (i, item) in list.enumerated() {
                if let v = try call.evaluator.callback(f, [item, .number(Double(i)), args[0]]) { out.append(v) }
            }
            return .sequence(out)
        },
        JSONataBuiltin("filter", "<af>") { call, args in
            guard let list = items(args[0]), let f = function(args[1]) else { return nil }
            var out: [JValue] = []
            for (i, item) in list.enumerated() {
                let keep = try call.evaluator.callback(f, [item, .number(Double(i)), args[0]])
                if JSONataEvaluator.boolean(keep) == true { out.append(item) }
            }
            return .sequence(out)
        },
        JSONataBuiltin("single", "<af?>") { call, args in
            guard let list = items(args[0]) else { return nil }
            let f = function(args.count > 1 ? args[1] : nil)
            var found: JValue? = nil
            for (i, item) in list.enumerated() {
                let keep = try f.map { try call.evaluator.callback($0, [item, .number(Double(i)), args[0]]) } ?? .bool(true)
                if JSONataEvaluator.boolean(keep) == true {
                    if found != nil { throw JSONataFault("D3138") }
                    found = item
                }
            }
            guard let found else { throw JSONataFault("D3139") }
            return found
        },
        JSONataBuiltin("reduce", "<afj?:j>") { call, args in
            guard let list = items(args[0]), let f = function(args[1]) else { return nil }
            let arity = f.arity
            if arity < 2 { throw JSONataFault("D3050", index: 2) }
            var index = 0
            var result: JValue?
            if args.count > 2, let initial = args[2] {
                result = initial
            } else if !list.isEmpty {
                result = list[0]
                index = 1
            }
            while index < list.count {
                var callArgs: [JValue?] = [result, list[index]]
                if arity >= 3 { callArgs.append(.number(Double(index))) }
                if arity >= 4 { callArgs.append(args[0]) }
                result = try call.evaluator.apply(f, callArgs, nil, call.environment)
                index += 1
            }
            return result
        },
    ]
}
