import JSON

/// Items on the wire and in storage: the same DynamoDB JSON (`{"a":{"S":"x"}}`).
enum ItemCodec {
    static func decodeItem(_ json: JSONValue) throws -> Item { try AttributeValue.decodeItem(json) }

    static func json(_ item: Item) -> JSONValue { AttributeValue.itemJSON(item) }

    static func encodeStored(_ item: Item) -> String { json(item).jsonString }

    /// Stored items were validated on the way in, so they are read back without checks.
    static func decodeStored(_ text: String) throws -> Item? {
        try AttributeValue.decodeItem(JSONValue.parse(Array(text.utf8)), checkNesting: false)
    }

    /// Two keys (or items) with the same attributes and values.
    static func sameItem(_ a: Item, _ b: Item) -> Bool {
        a.count == b.count && a.allSatisfy { m in b.contains { $0.key == m.key && $0.value == m.value } }
    }
}
