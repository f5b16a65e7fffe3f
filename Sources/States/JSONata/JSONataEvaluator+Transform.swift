/// The transform operator: `$ ~> | Account.Order | {"total": $sum(Product.Price)}, ["Product"] |`
/// returns a copy of its argument in which every object the pattern selects is
/// merged with the update object and loses the deleted keys.
extension JSONataEvaluator {
    /// A key that marks each object of the copy with an id while the pattern runs,
    /// so the objects it selects can be found again in a tree of values.
    private static let marker = "\u{0}transform-id"

    func transform(_ node: JSONataNode, _ value: JValue, _ env: JSONataFrame) throws -> JValue? {
        var next = 0
        func tag(_ v: JValue) -> JValue {
            switch v {
            case .array(var a):
                a.items = a.items.map(tag)
                return .array(a)
            case .object(let o):
                var tagged = JObject()
                for i in o.keys.indices { tagged[o.keys[i]] = tag(o.values[i]) }
                tagged[Self.marker] = .number(Double(next))
                next += 1
                return .object(tagged)
            default:
                return v
            }
        }
        let tagged = tag(value)
        var selected = Set<Int>()
        if let matches = try evaluate(node.expression!, tagged, env) {
            for case .object(let o) in matches.asItems {
                if case .number(let id)? = o[Self.marker] { selected.insert(Int(id)) }
            }
        }
        func rebuild(_ v: JValue) throws -> JValue {
            switch v {
            case .array(var a):
                a.items = try a.items.map(rebuild)
                return .array(a)
            case .object(let o):
                var copy = JObject()
                var id: Int? = nil
                for i in o.keys.indices {
                    if o.keys[i] == Self.marker {
                        if case .number(let n) = o.values[i] { id = Int(n) }
                        continue
                    }
                    copy[o.keys[i]] = try rebuild(o.values[i])
                }
                guard let id, selected.contains(id) else { return .object(copy) }
                let context = JValue.object(copy)
                if let update = try evaluate(node.update!, context, env) {
                    guard case .object(let changes) = update else {
                        throw JSONataError.make("T2011", node.update!.position, value: update)
                    }
                    for i in changes.keys.indices { copy[changes.keys[i]] = changes.values[i] }
                }
                if let delete = node.delete, let deletions = try evaluate(delete, context, env) {
                    let keys = deletions.asItems
                    guard keys.allSatisfy({ $0.stringValue != nil }) else {
                        throw JSONataError.make("T2012", delete.position, value: deletions)
                    }
                    for case .string(let key) in keys { copy[key] = nil }
                }
                return .object(copy)
            default:
                return v
            }
        }
        return try rebuild(tagged)
    }
}
