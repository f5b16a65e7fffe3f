/// A DynamoDB attribute value, every type the API has. Numbers are exact decimals
/// (`DynamoNumber`), binaries raw bytes (base64 only on the wire); maps keep the order
/// the client sent them in, while equality ignores map order, as DynamoDB's does.
public indirect enum AttributeValue: Sendable {
    case s(String)
    case n(DynamoNumber)
    case b([UInt8])
    case bool(Bool)
    case null
    case m([(key: String, value: AttributeValue)])
    case l([AttributeValue])
    case ss([String])
    case ns([DynamoNumber])
    case bs([[UInt8]])

    /// The type descriptor as the API spells it (`S`, `N`, `SS`, …).
    public var typeName: String {
        switch self {
        case .s: return "S"
        case .n: return "N"
        case .b: return "B"
        case .bool: return "BOOL"
        case .null: return "NULL"
        case .m: return "M"
        case .l: return "L"
        case .ss: return "SS"
        case .ns: return "NS"
        case .bs: return "BS"
        }
    }

    /// A member of a map value.
    public subscript(key: String) -> AttributeValue? {
        guard case .m(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }
}

extension AttributeValue: Equatable {
    /// Sets compare as sets and maps as maps (order does not matter); lists in order.
    public static func == (a: AttributeValue, b: AttributeValue) -> Bool {
        switch (a, b) {
        // DynamoDB compares strings by their UTF-8 bytes (no Unicode equivalence).
        case (.s(let x), .s(let y)): return x.utf8.elementsEqual(y.utf8)
        case (.n(let x), .n(let y)): return x == y
        case (.b(let x), .b(let y)): return x == y
        case (.bool(let x), .bool(let y)): return x == y
        case (.null, .null): return true
        case (.l(let x), .l(let y)): return x == y
        case (.m(let x), .m(let y)):
            guard x.count == y.count else { return false }
            for (k, v) in x {
                guard let other = y.first(where: { $0.key == k }), other.value == v else { return false }
            }
            return true
        case (.ss(let x), .ss(let y)): return Set(x.map { Array($0.utf8) }) == Set(y.map { Array($0.utf8) })
        case (.ns(let x), .ns(let y)): return Set(x) == Set(y)
        case (.bs(let x), .bs(let y)): return Set(x) == Set(y)
        default: return false
        }
    }
}

/// An item: attribute names to values, in the order they were written.
public typealias Item = [(key: String, value: AttributeValue)]
