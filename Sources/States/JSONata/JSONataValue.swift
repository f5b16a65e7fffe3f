import JSON

/// A value during JSONata evaluation. Numbers are doubles (JSONata follows
/// JavaScript's number semantics); arrays carry the sequence flags the language
/// needs; functions are first-class. `nil` (as `JValue?`) is JSONata's `undefined`.
enum JValue {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array(JArray)
    case object(JObject)
    case function(JFunction)

    static func sequence(_ items: [JValue] = []) -> JValue { .array(JArray(items, sequence: true)) }
    static func plainArray(_ items: [JValue]) -> JValue { .array(JArray(items, sequence: false)) }

    var isArray: Bool { if case .array = self { return true } else { return false } }
    var arrayItems: [JValue]? { if case .array(let a) = self { return a.items } else { return nil } }
    var isFunction: Bool { if case .function = self { return true } else { return false } }
    var numberValue: Double? { if case .number(let n) = self { return n } else { return nil } }
    var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }

    /// The items of an array, or the value as a one-item list.
    var asItems: [JValue] { if case .array(let a) = self { return a.items } else { return [self] } }
}

/// An array with JSONata's hidden flags: `sequence` (the result of a path, which
/// collapses to its only item), `keepSingleton` (the `[]` suffix), `cons` (built
/// by an array constructor) and `outerWrapper` (the input array wrapped once).
struct JArray {
    var items: [JValue]
    var sequence: Bool
    var keepSingleton = false
    var cons = false
    var outerWrapper = false

    init(_ items: [JValue], sequence: Bool) {
        self.items = items
        self.sequence = sequence
    }
}

/// An object that keeps insertion order, as JavaScript objects do for string keys.
struct JObject {
    var keys: [String] = []
    var values: [JValue] = []

    init() {}
    init(keys: [String], values: [JValue]) { self.keys = keys; self.values = values }

    var count: Int { keys.count }

    subscript(key: String) -> JValue? {
        get {
            for i in keys.indices where keys[i] == key { return values[i] }
            return nil
        }
        set {
            if let i = keys.firstIndex(of: key) {
                if let newValue { values[i] = newValue } else { keys.remove(at: i); values.remove(at: i) }
            } else if let newValue {
                keys.append(key)
                values.append(newValue)
            }
        }
    }

    func index(of key: String) -> Int? { keys.firstIndex(of: key) }
}

// MARK: - Conversion to and from the JSON module's values

extension JValue {
    init(_ json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .number(let text): self = .number(JSONataFormat.parseNumber(text) ?? 0)
        case .string(let s): self = .string(s)
        case .array(let items): self = .array(JArray(items.map(JValue.init), sequence: false))
        case .object(let object):
            var result = JObject()
            result.keys.reserveCapacity(object.count)
            result.values.reserveCapacity(object.count)
            for member in object.members {
                if let i = result.index(of: member.key) {
                    result.values[i] = JValue(member.value)
                } else {
                    result.keys.append(member.key)
                    result.values.append(JValue(member.value))
                }
            }
            self = .object(result)
        }
    }

    /// The value as JSON, the way `JSON.stringify` would write it: functions are
    /// dropped from objects, `null` inside arrays, and absent at the top.
    var json: JSONValue? {
        switch self {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .number(let d): return d.isFinite ? .number(JSONataFormat.number(d)) : .null
        case .string(let s): return .string(s)
        case .array(let a): return .array(a.items.map { $0.json ?? .null })
        case .object(let o):
            var members: [JSONObject.Member] = []
            members.reserveCapacity(o.count)
            for i in o.keys.indices {
                if let v = o.values[i].json { members.append(JSONObject.Member(o.keys[i], v)) }
            }
            return .object(JSONObject(members))
        case .function: return nil
        }
    }
}
