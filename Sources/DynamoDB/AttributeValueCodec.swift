import Foundation
import JSON

// AttributeValue on the wire: `{"S": "x"}`, `{"N": "1.5"}`, `{"B": "<base64>"}`,
// `{"BOOL": true}`, `{"NULL": true}`, `{"M": {…}}`, `{"L": […]}`, `{"SS": […]}`,
// `{"NS": […]}`, `{"BS": […]}`.
//
// Decoding runs in the order DynamoDB reports problems:
// 1. wire shape — a JSON value of the wrong type is a SerializationException, in the
//    words AWS's JSON layer uses (AttributeValue+WireShape.swift);
// 2. nesting — a value deeper than 32 levels is refused before anything inside it;
// 3. content — empty or ambiguous values, numbers, sets (ValidationException).
// A service that wants a whole request's serialization errors ahead of any
// validation error can run `checkWireShape` over every value first.

extension AttributeValue {
    /// DynamoDB words some value errors differently depending on the operation:
    /// PutItem, UpdateItem, DeleteItem, GetItem, BatchGetItem and Query use the
    /// current layer; BatchWriteItem, Scan and (in most regions) the transaction
    /// operations the older one. The difference shows in duplicate-set messages
    /// and in the message for an empty number string. Captured by the
    /// dynamodb-conformance suite (tests/tier3/error-messages/valueLayers.test.ts)
    /// against four regions, 2026-10.
    public enum MessageStyle: Sendable {
        case current
        case legacy
    }

    /// Document nesting limit: the attribute itself is level 1, and a value at
    /// level 33 (32 map or list wrappers above it) is refused.
    public static let maximumNestingDepth = 32

    /// Decodes one attribute value, as in `ExpressionAttributeValues` or a map member.
    public static func decode(_ json: JSONValue) throws -> AttributeValue {
        try decode(json, style: .current)
    }

    /// Decodes one attribute value. `checkNesting: false` skips the 32-level limit,
    /// for the surfaces where DynamoDB does not apply it (transaction condition values).
    public static func decode(_ json: JSONValue, style: MessageStyle, checkNesting: Bool = true) throws -> AttributeValue {
        let depth = try checkWireShape(json)
        if checkNesting && depth > maximumNestingDepth { throw DynamoDBError.nestingTooDeep }
        return try ValueReader(style: style).value(json)
    }

    /// Decodes an item (or a key): a JSON object of attribute names to values, in the
    /// order sent. A repeated name keeps its first position and its last value.
    public static func decodeItem(_ json: JSONValue, style: MessageStyle = .current, checkNesting: Bool = true) throws -> Item {
        let depth = try checkItemWireShape(json)
        if checkNesting && depth > maximumNestingDepth { throw DynamoDBError.nestingTooDeep }
        guard case .object(let object) = json else { return [] }
        let reader = ValueReader(style: style)
        return try reader.members(of: object) { try reader.member($0) }
    }

    /// The wire form. Numbers are in canonical text (`1.50` → `1.5`, `1e2` → `100`),
    /// binaries base64, and sets and maps keep their order.
    public var json: JSONValue {
        switch self {
        case .s(let s): return ["S": .string(s)]
        case .n(let n): return ["N": .string(n.description)]
        case .b(let b): return ["B": .string(Data(b).base64EncodedString())]
        case .bool(let b): return ["BOOL": .bool(b)]
        case .null: return ["NULL": true]
        case .m(let members):
            return ["M": .object(JSONObject(members.map { JSONObject.Member($0.key, $0.value.json) }))]
        case .l(let values): return ["L": .array(values.map(\.json))]
        case .ss(let values): return ["SS": .array(values.map { .string($0) })]
        case .ns(let values): return ["NS": .array(values.map { .string($0.description) })]
        case .bs(let values): return ["BS": .array(values.map { .string(Data($0).base64EncodedString()) })]
        }
    }

    /// An item's wire form: `{"name": {"S": "x"}, …}` in the item's order.
    public static func itemJSON(_ item: Item) -> JSONValue {
        .object(JSONObject(item.map { JSONObject.Member($0.key, $0.value.json) }))
    }
}

// MARK: - Content validation

/// Turns a shape-checked JSON value into an AttributeValue, raising DynamoDB's
/// validation errors. Types present are checked in the order sent; "more than one
/// datatypes" is reported only after each of them passed (as DynamoDB does).
struct ValueReader {
    var style: AttributeValue.MessageStyle

    func value(_ json: JSONValue) throws -> AttributeValue {
        guard case .object(let object) = json else { throw DynamoDBError.emptyAttributeValue }
        // Known, non-null members; a repeated key keeps its last value.
        var typed: [(key: String, value: JSONValue)] = []
        for member in object.members where AttributeValue.wireTypeNames.contains(member.key) {
            if let i = typed.firstIndex(where: { $0.key == member.key }) {
                typed[i].value = member.value
            } else {
                typed.append((member.key, member.value))
            }
        }
        typed.removeAll { $0.value.isNull }
        guard !typed.isEmpty else { throw DynamoDBError.emptyAttributeValue }
        var first: AttributeValue?
        for (type, content) in typed {
            let decoded = try self.typed(type, content)
            if first == nil { first = decoded }
        }
        guard typed.count == 1, let first else { throw DynamoDBError.moreThanOneDatatype }
        return first
    }

    /// A map member or list element: null stands for an empty AttributeValue.
    func member(_ json: JSONValue) throws -> AttributeValue {
        if json.isNull { throw DynamoDBError.emptyAttributeValue }
        return try value(json)
    }

    func members(of object: JSONObject, _ decode: (JSONValue) throws -> AttributeValue) throws -> Item {
        var out: Item = []
        var index: [String: Int] = [:]
        for member in object.members {
            let decoded = try decode(member.value)
            if let i = index[member.key] {
                out[i].value = decoded
            } else {
                index[member.key] = out.count
                out.append((member.key, decoded))
            }
        }
        return out
    }

    func typed(_ type: String, _ content: JSONValue) throws -> AttributeValue {
        switch type {
        case "S":
            return .s(content.stringValue ?? "")
        case "N":
            return .n(try number(content.stringValue ?? ""))
        case "B":
            return .b(Base64Blob.decode(content.stringValue ?? "") ?? [])
        case "BOOL":
            return .bool(content.boolValue ?? false)
        case "NULL":
            guard content.boolValue == true else {
                throw DynamoDBError.validation("One or more parameter values were invalid: Null attribute value types must have the value of true")
            }
            return .null
        case "SS":
            return .ss(try stringSet(content.arrayValue ?? []))
        case "NS":
            return .ns(try numberSet(content.arrayValue ?? []))
        case "BS":
            return .bs(try binarySet(content.arrayValue ?? []))
        case "M":
            return .m(try members(of: content.objectValue ?? JSONObject()) { try member($0) })
        case "L":
            return .l(try (content.arrayValue ?? []).map { try member($0) })
        default:
            throw DynamoDBError.emptyAttributeValue
        }
    }

    func number(_ text: String) throws -> DynamoNumber {
        do {
            return try DynamoNumber(parsing: text)
        } catch {
            throw DynamoDBError.number(error, text: text, style: style)
        }
    }

    func stringSet(_ elements: [JSONValue]) throws -> [String] {
        guard !elements.isEmpty else {
            throw DynamoDBError.validation("One or more parameter values were invalid: An string set  may not be empty")
        }
        let values = try elements.map { element -> String in
            guard let s = element.stringValue else {
                throw DynamoDBError.validation("One or more parameter values were invalid: An string set may not have a empty string as a member")
            }
            return s
        }
        if let message = duplicateMessage(values.map { Array($0.utf8) }, render: { String(decoding: $0, as: UTF8.self) },
                                          current: { "Input collection [\($0.map { "\"\($0)\"" }.joined(separator: ", "))] contains duplicates." },
                                          legacy: { "Input collection [\($0.joined(separator: ", "))] contains duplicates." }) {
            throw DynamoDBError.validation(message)
        }
        return values
    }

    func numberSet(_ elements: [JSONValue]) throws -> [DynamoNumber] {
        guard !elements.isEmpty else {
            throw DynamoDBError.validation("One or more parameter values were invalid: An number set  may not be empty")
        }
        let values = try elements.map { element -> DynamoNumber in
            guard let text = element.stringValue else {
                throw DynamoDBError.validation("The parameter cannot be converted to a numeric value")
            }
            return try number(text)
        }
        if Set(values).count != values.count {
            switch style {
            case .current: throw DynamoDBError.validation("One or more parameter values were invalid: Input collection contains duplicates.")
            case .legacy: throw DynamoDBError.validation("Input collection contains duplicates")
            }
        }
        return values
    }

    func binarySet(_ elements: [JSONValue]) throws -> [[UInt8]] {
        guard !elements.isEmpty else {
            throw DynamoDBError.validation("One or more parameter values were invalid: Binary sets should not be empty")
        }
        let values = try elements.map { element -> [UInt8] in
            guard let text = element.stringValue else {
                throw DynamoDBError.validation("One or more parameter values were invalid: Binary sets may not contain null or empty values")
            }
            return Base64Blob.decode(text) ?? []
        }
        let base64 = { (bytes: [UInt8]) in Data(bytes).base64EncodedString() }
        if let message = duplicateMessage(values, render: base64,
                                          current: { "Input collection [\($0.map { "\"\($0)\"" }.joined(separator: ","))]of type BS contains duplicates." },
                                          legacy: { "Input collection [\($0.joined(separator: ", "))]of type BS contains duplicates." }) {
            throw DynamoDBError.validation(message)
        }
        return values
    }

    /// The duplicate message for a string or binary set, or nil when there is none.
    /// The current layer lists the members in byte order up to the first repeat, then
    /// the repeat, then the rest as sent; the older one lists them as sent.
    func duplicateMessage(_ members: [[UInt8]], render: ([UInt8]) -> String,
                          current: ([String]) -> String, legacy: ([String]) -> String) -> String? {
        var seen = Set<[UInt8]>()
        var sorted: [[UInt8]] = []
        for (i, member) in members.enumerated() {
            guard seen.insert(member).inserted else {
                let listed: [String]
                switch style {
                case .current:
                    listed = (sorted + [member] + members[(i + 1)...]).map(render)
                    return "One or more parameter values were invalid: " + current(listed)
                case .legacy:
                    listed = members.map(render)
                    return "One or more parameter values were invalid: " + legacy(listed)
                }
            }
            let at = sorted.firstIndex { !$0.lexicographicallyPrecedes(member) } ?? sorted.count
            sorted.insert(member, at: at)
        }
        return nil
    }
}

extension AttributeValue {
    /// The member names an AttributeValue object may carry.
    static let wireTypeNames: Set<String> = ["S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"]
}
