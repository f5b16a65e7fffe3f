import Foundation
import JSON
import Storage
import Wire

extension DynamoDBService {
    func createTable(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let definition = try TableDefinition.parse(input)
        let tags = try input.structureList("Tags") ?? []
        let tagsJSON = JSONValue.array(try tags.map { ["Key": .string(try $0.requiredString("Key")), "Value": .string(try $0.requiredString("Value"))] })
        let arn = "arn:aws:dynamodb:\(context.region):\(context.accountId):table/\(definition.name)"
        let now = clock.nowMilliseconds()
        let streamLabel = definition.streamViewType != nil ? Self.streamLabel(now) : nil
        let record: TableRecord = try await database.transaction { db in
            if try db.table(account: context.accountId, region: context.region, name: definition.name) != nil {
                throw DynamoDBError.resourceInUse("Table already exists: \(definition.name)")
            }
            try db.run("""
                INSERT INTO ddb_tables (arn, account, region, name, table_id, definition, created_at, tags, stream_label)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [.text(arn), .text(context.accountId), .text(context.region), .text(definition.name),
                      .text(UUID().uuidString.lowercased()), .text(definition.stored.jsonString), .integer(now),
                      .text(tagsJSON.jsonString), SQLValue(streamLabel)])
            return try db.table(account: context.accountId, region: context.region, name: definition.name)!
        }
        return ["TableDescription": description(record)]
    }

    /// Stream labels are the creation time in ISO 8601 with milliseconds, as AWS writes them.
    static func streamLabel(_ milliseconds: Int64) -> String {
        let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date).replacingOccurrences(of: "Z", with: "")
    }

    func describeTable(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let name = try input.requiredString("TableName")
        let (record, counts) = try await database.transaction { [self] db in
            let record = try requireTable(name, context, db: db, controlPlane: true)
            var counts: [String: (Int64, Int64)] = [:]
            try db.query("""
                SELECT index_name, COUNT(*), COALESCE(SUM(length(item)), 0) FROM ddb_index_items WHERE table_id = ? GROUP BY index_name
                """, [.integer(record.id)]) { counts[$0.text(0)] = ($0.int64(1), $0.int64(2)) }
            return (record, counts)
        }
        return ["Table": description(record, indexCounts: counts)]
    }

    /// A TableDescription as DescribeTable returns it.
    func description(_ record: TableRecord, status: String = "ACTIVE", indexCounts: [String: (Int64, Int64)] = [:]) -> JSONValue {
        let d = record.definition
        var o = JSONObject()
        o.append("AttributeDefinitions", .array(d.attributeDefinitions.map { ["AttributeName": .string($0.name), "AttributeType": .string($0.type)] }))
        o.append("TableName", .string(d.name))
        o.append("KeySchema", d.key.json)
        o.append("TableStatus", .string(status))
        o.append("CreationDateTime", Self.date(record.createdAt))
        o.append("ProvisionedThroughput", Self.throughputJSON(d.provisioned))
        o.append("TableSizeBytes", .integer(record.sizeBytes))
        o.append("ItemCount", .integer(record.itemCount))
        o.append("TableArn", .string(record.arn))
        o.append("TableId", .string(record.tableId))
        if d.billingMode == "PAY_PER_REQUEST" {
            o.append("BillingModeSummary", ["BillingMode": "PAY_PER_REQUEST", "LastUpdateToPayPerRequestDateTime": Self.date(record.createdAt)])
        }
        if !d.localIndexes.isEmpty {
            o.append("LocalSecondaryIndexes", .array(d.localIndexes.map { index in
                ["IndexName": .string(index.name), "KeySchema": index.key.json, "Projection": index.projectionJSON,
                 "IndexSizeBytes": .integer(indexCounts[index.name]?.1 ?? 0), "ItemCount": .integer(indexCounts[index.name]?.0 ?? 0),
                 "IndexArn": .string("\(record.arn)/index/\(index.name)")]
            }))
        }
        if !d.globalIndexes.isEmpty {
            o.append("GlobalSecondaryIndexes", .array(d.globalIndexes.map { index in
                var g = JSONObject()
                g.append("IndexName", .string(index.name))
                g.append("KeySchema", index.key.json)
                g.append("Projection", index.projectionJSON)
                g.append("IndexStatus", "ACTIVE")
                g.append("ProvisionedThroughput", Self.throughputJSON(index.provisioned))
                g.append("IndexSizeBytes", .integer(indexCounts[index.name]?.1 ?? 0))
                g.append("ItemCount", .integer(indexCounts[index.name]?.0 ?? 0))
                g.append("IndexArn", .string("\(record.arn)/index/\(index.name)"))
                return .object(g)
            }))
        }
        if let view = d.streamViewType, let label = record.streamLabel {
            o.append("StreamSpecification", ["StreamEnabled": true, "StreamViewType": .string(view)])
            o.append("LatestStreamLabel", .string(label))
            o.append("LatestStreamArn", .string("\(record.arn)/stream/\(label)"))
        }
        if let sse = d.sse, sse["Enabled"]?.boolValue == true {
            o.append("SSEDescription", ["Status": "ENABLED", "SSEType": .string(sse["SSEType"]?.stringValue ?? "KMS"),
                                        "KMSMasterKeyArn": .string("arn:aws:kms:\(record.arn.split(separator: ":")[3]):\(record.arn.split(separator: ":")[4]):key/offcloud")])
        }
        if d.tableClass != "STANDARD" {
            o.append("TableClassSummary", ["TableClass": .string(d.tableClass)])
        }
        o.append("DeletionProtectionEnabled", .bool(d.deletionProtection))
        return .object(o)
    }

    static func throughputJSON(_ p: (read: Int, write: Int)?) -> JSONValue {
        ["NumberOfDecreasesToday": 0, "ReadCapacityUnits": .integer(p?.read ?? 0), "WriteCapacityUnits": .integer(p?.write ?? 0)]
    }

    func listTables(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let limit = try input.int("Limit") ?? 100
        guard (1...100).contains(limit) else {
            throw DynamoDBError.validation("1 validation error detected: Value '\(limit)' at 'limit' failed to satisfy constraint: Member must have value \(limit < 1 ? "greater than or equal to 1" : "less than or equal to 100")")
        }
        let start = try input.string("ExclusiveStartTableName") ?? ""
        let names: [String] = try await database.transaction { db in
            try db.all("SELECT name FROM ddb_tables WHERE account = ? AND region = ? AND name > ? ORDER BY name LIMIT ?",
                       [.text(context.accountId), .text(context.region), .text(start), .integer(Int64(limit + 1))]) { $0.text(0) }
        }
        var o = JSONObject()
        let page = Array(names.prefix(limit))
        o.append("TableNames", .array(page.map { .string($0) }))
        if names.count > limit, let last = page.last { o.append("LastEvaluatedTableName", .string(last)) }
        return .object(o)
    }

    func deleteTable(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let name = try input.requiredString("TableName")
        let record: TableRecord = try await database.transaction { [self] db in
            let record = try requireTable(name, context, db: db, controlPlane: true)
            if record.definition.deletionProtection {
                throw DynamoDBError.validation("Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.")
            }
            try db.run("DELETE FROM ddb_items WHERE table_id = ?", .integer(record.id))
            try db.run("DELETE FROM ddb_index_items WHERE table_id = ?", .integer(record.id))
            try db.run("DELETE FROM ddb_stream_records WHERE table_id = ?", .integer(record.id))
            try db.run("DELETE FROM ddb_tables WHERE id = ?", .integer(record.id))
            return record
        }
        return ["TableDescription": description(record, status: "DELETING")]
    }

    /// UpdateTable: billing mode and throughput, streams, deletion protection, table
    /// class, and adding or deleting global secondary indexes (backfilled at once).
    func updateTable(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let name = try input.requiredString("TableName")
        let newDefinitions = try input.structureList("AttributeDefinitions") ?? []
        let billing = try input.string("BillingMode")
        let provisioned = try TableDefinition.throughput(try input.structure("ProvisionedThroughput"), field: "ProvisionedThroughput")
        let stream = try input.structure("StreamSpecification")
        let protection = try input.bool("DeletionProtectionEnabled")
        let tableClass = try input.string("TableClass")
        let updates = try input.structureList("GlobalSecondaryIndexUpdates") ?? []
        let now = clock.nowMilliseconds()
        let record: TableRecord = try await database.transaction { [self] db in
            var record = try requireTable(name, context, db: db, controlPlane: true)
            var d = record.definition
            var types = d.keyAttributeTypes
            for a in newDefinitions {
                types[try a.requiredString("AttributeName")] = try a.requiredString("AttributeType")
            }
            if let billing {
                guard billing == "PROVISIONED" || billing == "PAY_PER_REQUEST" else {
                    throw DynamoDBError.validation("1 validation error detected: Value '\(billing)' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]")
                }
                d.billingMode = billing
                if billing == "PAY_PER_REQUEST" { d.provisioned = nil }
            }
            if let provisioned {
                guard d.billingMode == "PROVISIONED" else {
                    throw DynamoDBError.validation("One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST")
                }
                d.provisioned = provisioned
            }
            if let stream {
                if try stream.bool("StreamEnabled") == true {
                    guard d.streamViewType == nil else {
                        throw DynamoDBError.validation("Table already has an enabled stream: \(record.arn)/stream/\(record.streamLabel ?? "")")
                    }
                    guard let view = try stream.string("StreamViewType") else {
                        throw DynamoDBError.validation("One or more parameter values were invalid: StreamViewType must be specified when StreamEnabled is true")
                    }
                    d.streamViewType = view
                    record.streamLabel = Self.streamLabel(now)
                } else {
                    guard d.streamViewType != nil else {
                        throw DynamoDBError.validation("Table already has no stream enabled")
                    }
                    d.streamViewType = nil
                }
            }
            if let protection { d.deletionProtection = protection }
            if let tableClass { d.tableClass = tableClass }
            for update in updates {
                if let create = try update.structure("Create") {
                    let indexName = try create.requiredString("IndexName")
                    guard d.index(named: indexName) == nil else {
                        throw DynamoDBError.validation("One or more parameter values were invalid: Index with name: \(indexName) already exists")
                    }
                    let key = try TableDefinition.keySchema(try create.structureList("KeySchema"), types: types, field: "globalSecondaryIndexUpdates.member.create.keySchema")
                    let index = IndexDefinition(name: indexName, kind: .global, key: key,
                                                projection: try TableDefinition.projection(try create.structure("Projection")),
                                                provisioned: try TableDefinition.throughput(try create.structure("ProvisionedThroughput"), field: "index"))
                    d.indexes.append(index)
                    for a in newDefinitions {
                        let attribute = KeyAttribute(name: try a.requiredString("AttributeName"), type: try a.requiredString("AttributeType"))
                        if !d.attributeDefinitions.contains(where: { $0.name == attribute.name }) { d.attributeDefinitions.append(attribute) }
                    }
                    try backfill(index, table: record, definition: d, db: db)
                } else if let delete = try update.structure("Delete") {
                    let indexName = try delete.requiredString("IndexName")
                    guard d.index(named: indexName)?.kind == .global else {
                        throw DynamoDBError.resourceNotFound("Requested resource not found: Index: \(indexName) not found")
                    }
                    d.indexes.removeAll { $0.name == indexName }
                    try db.run("DELETE FROM ddb_index_items WHERE table_id = ? AND index_name = ?", .integer(record.id), .text(indexName))
                } else if let change = try update.structure("Update") {
                    let indexName = try change.requiredString("IndexName")
                    guard let i = d.indexes.firstIndex(where: { $0.name == indexName && $0.kind == .global }) else {
                        throw DynamoDBError.resourceNotFound("Requested resource not found: Index: \(indexName) not found")
                    }
                    d.indexes[i].provisioned = try TableDefinition.throughput(try change.structure("ProvisionedThroughput"), field: "index")
                }
            }
            record.definition = d
            try db.run("UPDATE ddb_tables SET definition = ?, stream_label = ? WHERE id = ?",
                       .text(d.stored.jsonString), SQLValue(record.streamLabel), .integer(record.id))
            return record
        }
        return ["TableDescription": description(record)]
    }
}
