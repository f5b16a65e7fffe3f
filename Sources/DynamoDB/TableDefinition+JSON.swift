import JSON

/// Tables are stored as this JSON, written at CreateTable and rewritten by UpdateTable.
extension TableDefinition {
    var stored: JSONValue {
        var o = JSONObject()
        o.append("name", .string(name))
        o.append("hash", ["name": .string(key.hash.name), "type": .string(key.hash.type)])
        if let r = key.range { o.append("range", ["name": .string(r.name), "type": .string(r.type)]) }
        o.append("attributes", .array(attributeDefinitions.map { ["name": .string($0.name), "type": .string($0.type)] }))
        o.append("indexes", .array(indexes.map { index in
            var i = JSONObject()
            i.append("name", .string(index.name))
            i.append("kind", .string(index.kind.rawValue))
            i.append("hash", ["name": .string(index.key.hash.name), "type": .string(index.key.hash.type)])
            if let r = index.key.range { i.append("range", ["name": .string(r.name), "type": .string(r.type)]) }
            i.append("projection", index.projectionJSON)
            if let p = index.provisioned { i.append("provisioned", [.integer(p.read), .integer(p.write)]) }
            return .object(i)
        }))
        o.append("billingMode", .string(billingMode))
        if let p = provisioned { o.append("provisioned", [.integer(p.read), .integer(p.write)]) }
        if let s = streamViewType { o.append("streamViewType", .string(s)) }
        if let sse { o.append("sse", sse) }
        o.append("tableClass", .string(tableClass))
        o.append("deletionProtection", .bool(deletionProtection))
        return .object(o)
    }

    static func key(_ v: JSONValue?) -> KeyAttribute? {
        guard let name = v?["name"]?.stringValue, let type = v?["type"]?.stringValue else { return nil }
        return KeyAttribute(name: name, type: type)
    }

    static func throughput(_ v: JSONValue?) -> (read: Int, write: Int)? {
        guard let a = v?.arrayValue, a.count == 2, let r = a[0].intValue, let w = a[1].intValue else { return nil }
        return (r, w)
    }

    init?(stored v: JSONValue) {
        guard let name = v["name"]?.stringValue, let hash = Self.key(v["hash"]) else { return nil }
        self.name = name
        key = KeySchema(hash: hash, range: Self.key(v["range"]))
        attributeDefinitions = (v["attributes"]?.arrayValue ?? []).compactMap { Self.key($0) }
        indexes = (v["indexes"]?.arrayValue ?? []).compactMap { i in
            guard let name = i["name"]?.stringValue, let kind = i["kind"]?.stringValue.flatMap(IndexDefinition.Kind.init),
                  let hash = Self.key(i["hash"]) else { return nil }
            let projection: IndexDefinition.Projection
            switch i["projection"]?["ProjectionType"]?.stringValue {
            case "KEYS_ONLY": projection = .keysOnly
            case "INCLUDE": projection = .include((i["projection"]?["NonKeyAttributes"]?.arrayValue ?? []).compactMap(\.stringValue))
            default: projection = .all
            }
            return IndexDefinition(name: name, kind: kind, key: KeySchema(hash: hash, range: Self.key(i["range"])),
                                   projection: projection, provisioned: Self.throughput(i["provisioned"]))
        }
        billingMode = v["billingMode"]?.stringValue ?? "PROVISIONED"
        provisioned = Self.throughput(v["provisioned"])
        streamViewType = v["streamViewType"]?.stringValue
        sse = v["sse"]
        tableClass = v["tableClass"]?.stringValue ?? "STANDARD"
        deletionProtection = v["deletionProtection"]?.boolValue ?? false
    }
}
