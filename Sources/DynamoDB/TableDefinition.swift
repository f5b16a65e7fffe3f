import Foundation
import JSON
import Wire

/// One key attribute: its name and scalar type (S, N or B).
public struct KeyAttribute: Sendable, Equatable {
    public var name: String
    public var type: String
}

/// A table's or index's primary key.
public struct KeySchema: Sendable, Equatable {
    public var hash: KeyAttribute
    public var range: KeyAttribute?

    var names: [String] { [hash.name] + (range.map { [$0.name] } ?? []) }

    var json: JSONValue {
        var elements: [JSONValue] = [["AttributeName": .string(hash.name), "KeyType": "HASH"]]
        if let range { elements.append(["AttributeName": .string(range.name), "KeyType": "RANGE"]) }
        return .array(elements)
    }
}

/// A secondary index: its key and which attributes it carries.
public struct IndexDefinition: Sendable, Equatable {
    public enum Kind: String, Sendable { case global, local }
    public enum Projection: Sendable, Equatable {
        case all
        case keysOnly
        case include([String])
    }

    public var name: String
    public var kind: Kind
    public var key: KeySchema
    public var projection: Projection
    public var provisioned: (read: Int, write: Int)?

    public static func == (a: IndexDefinition, b: IndexDefinition) -> Bool {
        a.name == b.name && a.kind == b.kind && a.key == b.key && a.projection == b.projection
    }

    var projectionJSON: JSONValue {
        switch projection {
        case .all: return ["ProjectionType": "ALL"]
        case .keysOnly: return ["ProjectionType": "KEYS_ONLY"]
        case .include(let names): return ["ProjectionType": "INCLUDE", "NonKeyAttributes": .array(names.map { .string($0) })]
        }
    }
}

/// What CreateTable declared, validated: keys, indexes, billing and settings.
public struct TableDefinition: Sendable {
    public var name: String
    public var key: KeySchema
    public var attributeDefinitions: [KeyAttribute]
    public var indexes: [IndexDefinition]
    public var billingMode: String
    public var provisioned: (read: Int, write: Int)?
    public var streamViewType: String?
    public var sse: JSONValue?
    public var tableClass: String
    public var deletionProtection: Bool

    var globalIndexes: [IndexDefinition] { indexes.filter { $0.kind == .global } }
    var localIndexes: [IndexDefinition] { indexes.filter { $0.kind == .local } }

    func index(named name: String) -> IndexDefinition? { indexes.first { $0.name == name } }

    /// Every attribute that is part of some key, with its type.
    var keyAttributeTypes: [String: String] {
        var types: [String: String] = [:]
        for a in attributeDefinitions { types[a.name] = a.type }
        return types
    }
}

extension TableDefinition {
    static func validationError(_ message: String) -> DynamoDBError { .validation(message) }

    /// Table and index names: 3–255 of `[a-zA-Z0-9_.-]`.
    static func checkName(_ name: String, field: String) throws {
        guard name.utf8.count >= 3 else {
            throw DynamoDBError.validation("1 validation error detected: Value '\(name)' at '\(field)' failed to satisfy constraint: Member must have length greater than or equal to 3")
        }
        guard name.utf8.count <= 255 else {
            throw DynamoDBError.validation("1 validation error detected: Value '\(name)' at '\(field)' failed to satisfy constraint: Member must have length less than or equal to 255")
        }
        guard name.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 95 || $0 == 46 || $0 == 45 }) else {
            throw DynamoDBError.validation("1 validation error detected: Value '\(name)' at '\(field)' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+")
        }
    }

    static func keySchema(_ list: [ShapeReader]?, types: [String: String], field: String) throws -> KeySchema {
        guard let list, !list.isEmpty else {
            throw DynamoDBError.validation("1 validation error detected: Value null at '\(field)' failed to satisfy constraint: Member must not be null")
        }
        guard list.count <= 2 else {
            throw DynamoDBError.validation("1 validation error detected: Value '\(list.count)' at '\(field)' failed to satisfy constraint: Member must have length less than or equal to 2")
        }
        var hash: KeyAttribute?
        var range: KeyAttribute?
        for (position, element) in list.enumerated() {
            let name = try element.requiredString("AttributeName")
            let keyType = try element.requiredString("KeyType")
            guard let type = types[name] else {
                throw DynamoDBError.validation("One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [\(list.compactMap { try? $0.requiredString("AttributeName") }.joined(separator: ", "))], AttributeDefinitions: [\(types.keys.sorted().joined(separator: ", "))]")
            }
            switch keyType {
            case "HASH":
                guard hash == nil else { throw DynamoDBError.validation("Invalid KeySchema: Too many hash keys specified.  All Dynamo DB tables must have exactly one hash key") }
                hash = KeyAttribute(name: name, type: type)
            case "RANGE":
                guard range == nil else { throw DynamoDBError.validation("Invalid KeySchema: Too many range keys specified.  All Dynamo DB tables must have at most one range key") }
                range = KeyAttribute(name: name, type: type)
            default:
                throw DynamoDBError.validation("1 validation error detected: Value '\(keyType)' at '\(field).\(position + 1).member.keyType' failed to satisfy constraint: Member must satisfy enum value set: [HASH, RANGE]")
            }
        }
        guard let hash else {
            throw DynamoDBError.validation("Invalid KeySchema: No Hash key specified.  All Dynamo DB tables must have exactly one hash key")
        }
        if let first = try? list.first?.requiredString("KeyType"), first != "HASH" {
            throw DynamoDBError.validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type")
        }
        if range?.name == hash.name {
            throw DynamoDBError.validation("Invalid KeySchema: Some index key attribute have no definition")
        }
        return KeySchema(hash: hash, range: range)
    }

    static func throughput(_ reader: ShapeReader?, field: String) throws -> (read: Int, write: Int)? {
        guard let reader else { return nil }
        let read = try reader.requiredInt("ReadCapacityUnits")
        let write = try reader.requiredInt("WriteCapacityUnits")
        guard read >= 1, write >= 1 else {
            throw DynamoDBError.validation("One or more parameter values were invalid: \(read < 1 ? "ReadCapacityUnits" : "WriteCapacityUnits") must be greater than 0 for table\(field == "ProvisionedThroughput" ? "" : " index")")
        }
        return (read, write)
    }

    static func projection(_ reader: ShapeReader?) throws -> IndexDefinition.Projection {
        guard let reader else { throw DynamoDBError.validation("1 validation error detected: Value null at 'projection' failed to satisfy constraint: Member must not be null") }
        let type = try reader.string("ProjectionType") ?? "ALL"
        let nonKey = try reader.stringList("NonKeyAttributes")
        switch type {
        case "ALL", "KEYS_ONLY":
            if nonKey != nil {
                throw DynamoDBError.validation("One or more parameter values were invalid: ProjectionType is \(type), but NonKeyAttributes is specified")
            }
            return type == "ALL" ? .all : .keysOnly
        case "INCLUDE":
            guard let nonKey, !nonKey.isEmpty else {
                throw DynamoDBError.validation("One or more parameter values were invalid: NonKeyAttributes must be specified when ProjectionType is INCLUDE")
            }
            return .include(nonKey)
        default:
            throw DynamoDBError.validation("1 validation error detected: Value '\(type)' at 'projection.projectionType' failed to satisfy constraint: Member must satisfy enum value set: [ALL, INCLUDE, KEYS_ONLY]")
        }
    }

    /// Parses and validates a CreateTable request.
    static func parse(_ input: ShapeReader) throws -> TableDefinition {
        let name = try input.requiredString("TableName")
        try checkName(name, field: "tableName")
        guard let definitions = try input.structureList("AttributeDefinitions"), !definitions.isEmpty else {
            throw DynamoDBError.validation("1 validation error detected: Value null at 'attributeDefinitions' failed to satisfy constraint: Member must not be null")
        }
        var attributes: [KeyAttribute] = []
        var types: [String: String] = [:]
        for (position, d) in definitions.enumerated() {
            let attributeName = try d.requiredString("AttributeName")
            let type = try d.requiredString("AttributeType")
            guard ["S", "N", "B"].contains(type) else {
                throw DynamoDBError.validation("1 validation error detected: Value '\(type)' at 'attributeDefinitions.\(position + 1).member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]")
            }
            guard types[attributeName] == nil else {
                throw DynamoDBError.validation("Cannot have two attributes with the same name")
            }
            types[attributeName] = type
            attributes.append(KeyAttribute(name: attributeName, type: type))
        }
        let key = try keySchema(try input.structureList("KeySchema"), types: types, field: "keySchema")
        let billing = try input.string("BillingMode") ?? "PROVISIONED"
        guard billing == "PROVISIONED" || billing == "PAY_PER_REQUEST" else {
            throw DynamoDBError.validation("1 validation error detected: Value '\(billing)' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]")
        }
        let provisioned = try throughput(try input.structure("ProvisionedThroughput"), field: "ProvisionedThroughput")
        if billing == "PAY_PER_REQUEST" && provisioned != nil {
            throw DynamoDBError.validation("One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST")
        }
        if billing == "PROVISIONED" && provisioned == nil {
            throw DynamoDBError.validation("One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED")
        }
        var indexes: [IndexDefinition] = []
        for g in try input.structureList("GlobalSecondaryIndexes") ?? [] {
            let indexName = try g.requiredString("IndexName")
            try checkName(indexName, field: "globalSecondaryIndexes.member.indexName")
            let indexKey = try keySchema(try g.structureList("KeySchema"), types: types, field: "globalSecondaryIndexes.member.keySchema")
            let indexThroughput = try throughput(try g.structure("ProvisionedThroughput"), field: "GlobalSecondaryIndexes")
            if billing == "PROVISIONED" && indexThroughput == nil {
                throw DynamoDBError.validation("One or more parameter values were invalid: ProvisionedThroughput must be specified for index: \(indexName)")
            }
            if billing == "PAY_PER_REQUEST" && indexThroughput != nil {
                throw DynamoDBError.validation("One or more parameter values were invalid: ProvisionedThroughput should not be specified for index: \(indexName) when BillingMode is PAY_PER_REQUEST")
            }
            indexes.append(IndexDefinition(name: indexName, kind: .global, key: indexKey, projection: try projection(try g.structure("Projection")),
                                           provisioned: indexThroughput))
        }
        for l in try input.structureList("LocalSecondaryIndexes") ?? [] {
            let indexName = try l.requiredString("IndexName")
            try checkName(indexName, field: "localSecondaryIndexes.member.indexName")
            let indexKey = try keySchema(try l.structureList("KeySchema"), types: types, field: "localSecondaryIndexes.member.keySchema")
            guard key.range != nil else {
                throw DynamoDBError.validation("One or more parameter values were invalid: Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex")
            }
            guard indexKey.hash.name == key.hash.name, indexKey.range != nil else {
                throw DynamoDBError.validation("One or more parameter values were invalid: Index KeySchema does not have a range key for index: \(indexName)")
            }
            indexes.append(IndexDefinition(name: indexName, kind: .local, key: indexKey, projection: try projection(try l.structure("Projection"))))
        }
        var names = Set<String>()
        for index in indexes where !names.insert(index.name).inserted {
            throw DynamoDBError.validation("One or more parameter values were invalid: Duplicate index name: \(index.name)")
        }
        if indexes.filter({ $0.kind == .global }).count > 20 {
            throw DynamoDBError.validation("One or more parameter values were invalid: GlobalSecondaryIndex count exceeds the per-table limit of 20")
        }
        if indexes.filter({ $0.kind == .local }).count > 5 {
            throw DynamoDBError.validation("One or more parameter values were invalid: LocalSecondaryIndex count exceeds the per-table limit of 5")
        }
        let used = Set(key.names + indexes.flatMap(\.key.names))
        if used.count != types.count {
            throw DynamoDBError.validation("One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions")
        }
        var streamView: String?
        if let stream = try input.structure("StreamSpecification"), try stream.bool("StreamEnabled") != true, stream.has("StreamViewType") {
            throw DynamoDBError.validation("One or more parameter values were invalid: StreamSpecification: StreamViewType cannot be specified when StreamEnabled is false")
        }
        if let stream = try input.structure("StreamSpecification"), try stream.bool("StreamEnabled") == true {
            guard let view = try stream.string("StreamViewType"), ["KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"].contains(view) else {
                throw DynamoDBError.validation("One or more parameter values were invalid: StreamViewType must be specified when StreamEnabled is true")
            }
            streamView = view
        }
        return TableDefinition(name: name, key: key, attributeDefinitions: attributes, indexes: indexes, billingMode: billing,
                               provisioned: provisioned, streamViewType: streamView, sse: input.value("SSESpecification"),
                               tableClass: try input.string("TableClass") ?? "STANDARD",
                               deletionProtection: try input.bool("DeletionProtectionEnabled") ?? false)
    }
}
