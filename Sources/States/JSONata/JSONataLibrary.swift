/// The JSONata standard library, by name (without the `$`).
enum JSONataLibrary {
    static let builtins: [String: JSONataBuiltin] = {
        var table: [String: JSONataBuiltin] = [:]
        for builtin in strings + encodings + numbers + formatting + aggregates + booleans + arrays + objects + higherOrder + dates {
            table[builtin.name] = builtin
        }
        return table
    }()

    // MARK: argument helpers shared by the function families

    static func string(_ v: JValue?) -> String? { if case .string(let s)? = v { return s } else { return nil } }
    static func number(_ v: JValue?) -> Double? { if case .number(let n)? = v { return n } else { return nil } }
    static func items(_ v: JValue?) -> [JValue]? { v.map { $0.asItems } }
    static func function(_ v: JValue?) -> JFunction? { if case .function(let f)? = v { return f } else { return nil } }

    /// A result list that collapses like a path result: empty is undefined, one item is that item.
    static func sequence(_ items: [JValue]) -> JValue { .sequence(items) }
}
