import JSON

/// How a structure's members are spelled in the query protocol, where lists and maps
/// become numbered parameters (`Attribute.1.Name`) and flattened or wrapped XML
/// elements. Members not listed are scalars whose query name is their JSON name.
/// One description serves both directions: form parameters in, XML out.
public indirect enum QueryShape: Sendable {
    case scalar
    /// A list. `member` nil means flattened (`Name.N`, repeated `<Name>` elements);
    /// otherwise wrapped (`Name.member.N`, `<Name><member>…</member></Name>`).
    case list(QueryShape, member: String? = nil)
    /// A map. `entry` nil means flattened (`Name.N.Key`); otherwise wrapped
    /// (`Name.entry.N.key`).
    case map(key: String, value: String, QueryShape, entry: String? = nil)
    case structure([QueryMember])

    public static let empty = QueryShape.structure([])

    func member(query name: String) -> QueryMember? {
        guard case .structure(let members) = self else { return nil }
        return members.first { $0.queryName == name }
    }

    func member(json name: String) -> QueryMember? {
        guard case .structure(let members) = self else { return nil }
        return members.first { $0.jsonName == name }
    }
}

public struct QueryMember: Sendable {
    public var jsonName: String
    public var queryName: String
    public var shape: QueryShape

    public init(_ jsonName: String, query queryName: String? = nil, _ shape: QueryShape) {
        self.jsonName = jsonName
        self.queryName = queryName ?? jsonName
        self.shape = shape
    }
}

/// The query-protocol description of one operation.
public struct QueryOperationSchema: Sendable {
    public var input: QueryShape
    public var output: QueryShape
    public init(input: QueryShape = .empty, output: QueryShape = .empty) {
        self.input = input
        self.output = output
    }
}

// MARK: form parameters → JSON

/// A tree of dotted parameter names: `A.1.Name=x` becomes A → 1 → Name = x.
final class ParameterNode {
    var value: String?
    var children: [(key: String, node: ParameterNode)] = []

    func child(_ key: Substring) -> ParameterNode {
        if let existing = children.first(where: { $0.key == key }) { return existing.node }
        let node = ParameterNode()
        children.append((key: String(key), node: node))
        return node
    }

    /// Children whose keys are list positions, in numeric order.
    var numbered: [ParameterNode] {
        children.compactMap { c in Int(c.key).map { ($0, c.node) } }
            .sorted { $0.0 < $1.0 }
            .map(\.1)
    }
}

extension QueryShape {
    /// Turns form parameters (minus `Action` and `Version`) into the JSON object the
    /// service's readers expect. Scalars stay strings; a lenient `ShapeReader`
    /// converts them.
    public func decode(parameters: [(name: String, value: String)]) -> JSONValue {
        let root = ParameterNode()
        for (name, value) in parameters where name != "Action" && name != "Version" {
            var node = root
            for part in name.split(separator: ".", omittingEmptySubsequences: false) {
                node = node.child(part)
            }
            node.value = value
        }
        return decode(root)
    }

    func decode(_ node: ParameterNode) -> JSONValue {
        switch self {
        case .scalar:
            return .string(node.value ?? "")
        case .list(let item, let member):
            let holder = member.map { node.child(Substring($0)) } ?? node
            return .array(holder.numbered.map { item.decode($0) })
        case .map(let keyName, let valueName, let item, let entry):
            let holder = entry.map { node.child(Substring($0)) } ?? node
            var object = JSONObject()
            for e in holder.numbered {
                guard let key = e.children.first(where: { $0.key == keyName })?.node.value else { continue }
                let valueNode = e.child(Substring(valueName))
                object[key] = item.decode(valueNode)
            }
            return .object(object)
        case .structure:
            var object = JSONObject()
            for (key, child) in node.children {
                if let m = member(query: key) {
                    object[m.jsonName] = m.shape.decode(child)
                } else if child.children.isEmpty {
                    object[key] = .string(child.value ?? "")
                }
            }
            return .object(object)
        }
    }
}

// MARK: JSON → XML

extension QueryShape {
    /// Writes the members of a structure value as XML child elements.
    public func encodeMembers(_ value: JSONValue, into xml: inout XMLWriter) {
        guard case .object(let object) = value else { return }
        for m in object.members {
            let described = member(json: m.key)
            let name = described?.queryName ?? m.key
            (described?.shape ?? .scalar).encode(m.value, named: name, into: &xml)
        }
    }

    func encode(_ value: JSONValue, named name: String, into xml: inout XMLWriter) {
        if value.isNull { return }
        switch self {
        case .scalar:
            xml.element(name, QueryShape.scalarText(value))
        case .structure:
            xml.open(name)
            encodeMembers(value, into: &xml)
            xml.close(name)
        case .list(let item, let member):
            let items = value.arrayValue ?? []
            if let member {
                xml.open(name)
                for i in items { item.encode(i, named: member, into: &xml) }
                xml.close(name)
            } else {
                for i in items { item.encode(i, named: name, into: &xml) }
            }
        case .map(let keyName, let valueName, let item, let entry):
            let members = value.objectValue?.members ?? []
            if let entry {
                xml.open(name)
                for m in members {
                    xml.open(entry)
                    xml.element(keyName, m.key)
                    item.encode(m.value, named: valueName, into: &xml)
                    xml.close(entry)
                }
                xml.close(name)
            } else {
                for m in members {
                    xml.open(name)
                    xml.element(keyName, m.key)
                    item.encode(m.value, named: valueName, into: &xml)
                    xml.close(name)
                }
            }
        }
    }

    static func scalarText(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): return s
        case .number(let n): return n
        case .bool(let b): return b ? "true" : "false"
        case .null: return ""
        case .array, .object: return value.jsonString
        }
    }
}
