/// Array functions: $count, $append, $sort, $reverse, $shuffle, $distinct, $zip.
extension JSONataLibrary {
    static let arrays: [JSONataBuiltin] = [
        JSONataBuiltin("count", "<a:n>") { _, args in
            .number(Double(items(args[0])?.count ?? 0))
        },
        JSONataBuiltin("append", "<xx:a>") { _, args in
            JSONataEvaluator.append(args[0], args.count > 1 ? args[1] : nil)
        },
        JSONataBuiltin("sort", "<af?:a>") { call, args in
            guard let value = args[0], let list = items(value) else { return nil }
            if list.count <= 1 { return value }
            if args.count > 1, let comparator = function(args[1]) {
                return .plainArray(try JSONataEvaluator.mergeSort(list) { a, b in
                    JSONataEvaluator.boolean(try call.evaluator.callback(comparator, [a, b])) == true
                })
            }
            if list.allSatisfy({ $0.numberValue != nil }) {
                return .plainArray(try JSONataEvaluator.mergeSort(list) { $0.numberValue! > $1.numberValue! })
            }
            if list.allSatisfy({ $0.stringValue != nil }) {
                return .plainArray(try JSONataEvaluator.mergeSort(list) {
                    JSONataEvaluator.jsLess($1.stringValue!, $0.stringValue!)
                })
            }
            throw JSONataFault("D3070", value: value)
        },
        JSONataBuiltin("reverse", "<a:a>") { _, args in
            guard let value = args[0], let list = items(value) else { return nil }
            if list.count <= 1 { return value }
            return .plainArray(list.reversed())
        },
        JSONataBuiltin("shuffle", "<a:a>") { _, args in
            guard let value = args[0], let list = items(value) else { return nil }
            if list.count <= 1 { return value }
            return .plainArray(list.shuffled())
        },
        JSONataBuiltin("distinct", "<x:x>") { _, args in
            guard let value = args[0] else { return nil }
            guard case .array(let a) = value, a.items.count > 1 else { return value }
            var out: [JValue] = []
            for item in a.items where !out.contains(where: { JSONataEvaluator.deepEqual($0, item) }) {
                out.append(item)
            }
            return .sequence(out)
        },
        JSONataBuiltin("zip", "<a+>") { _, args in
            let lists = args.map { $0?.asItems ?? [] }
            let length = lists.map(\.count).min() ?? 0
            return .plainArray((0..<length).map { i in .plainArray(lists.map { $0[i] }) })
        },
    ]
}
