import Foundation
import JSON
import Storage
import Wire

extension DynamoDBService {
    func updateTimeToLive(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let tableName = try input.requiredString("TableName")
        guard let spec = try input.structure("TimeToLiveSpecification") else {
            throw DynamoDBError.validation("1 validation error detected: Value null at 'timeToLiveSpecification' failed to satisfy constraint: Member must not be null")
        }
        let enabled = try spec.bool("Enabled") ?? false
        let attribute = try spec.requiredString("AttributeName")
        try await database.transaction { [self] db in
            let table = try requireTable(tableName, context, db: db, controlPlane: true)
            if enabled {
                if table.ttlAttribute != nil { throw DynamoDBError.validation("TimeToLive is already enabled") }
                try db.run("UPDATE ddb_tables SET ttl_attribute = ? WHERE id = ?", .text(attribute), .integer(table.id))
                // Existing items get their expiry now.
                var updated = table
                updated.ttlAttribute = attribute
                let rows = try db.all("SELECT pk, sk, item FROM ddb_items WHERE table_id = ?", [.integer(table.id)]) {
                    ($0.blob(0), $0.blob(1), $0.text(2))
                }
                for (pk, sk, text) in rows {
                    guard let item = try ItemCodec.decodeStored(text) else { continue }
                    let expires = ItemStore.expiry(of: item, attribute: attribute)
                    try db.run("UPDATE ddb_items SET expires_at = ? WHERE table_id = ? AND pk = ? AND sk = ?",
                               expires.map { .integer($0) } ?? .null, .integer(table.id), .blob(pk), .blob(sk))
                }
            } else {
                guard table.ttlAttribute != nil else { throw DynamoDBError.validation("TimeToLive is already disabled") }
                try db.run("UPDATE ddb_tables SET ttl_attribute = NULL WHERE id = ?", .integer(table.id))
                try db.run("UPDATE ddb_items SET expires_at = NULL WHERE table_id = ?", .integer(table.id))
            }
        }
        return ["TimeToLiveSpecification": ["Enabled": .bool(enabled), "AttributeName": .string(attribute)]]
    }

    func describeTimeToLive(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let tableName = try input.requiredString("TableName")
        let table = try await database.transaction { [self] db in try requireTable(tableName, context, db: db, controlPlane: true) }
        if let attribute = table.ttlAttribute {
            return ["TimeToLiveDescription": ["TimeToLiveStatus": "ENABLED", "AttributeName": .string(attribute)]]
        }
        return ["TimeToLiveDescription": ["TimeToLiveStatus": "DISABLED"]]
    }

    /// Deletes items whose TTL attribute lies in the past, as DynamoDB's background
    /// process does (reads still see them until then); the stream records the service
    /// principal as the deleter.
    public func sweepExpiredItems(limit: Int = 1000) async throws {
        let now = clock.nowMilliseconds()
        try await database.transaction { db in
            let tables = try db.all("SELECT \(TableRecord.columns) FROM ddb_tables WHERE ttl_attribute IS NOT NULL") { TableRecord($0) }
            for case let table? in tables {
                let store = ItemStore(db: db, table: table)
                let expired = try db.all("""
                    SELECT pk, sk, item FROM ddb_items WHERE table_id = ? AND expires_at IS NOT NULL AND expires_at <= ? LIMIT ?
                    """, [.integer(table.id), .integer(now), .integer(Int64(limit))]) { ($0.blob(0), $0.blob(1), $0.text(2)) }
                for (pk, sk, text) in expired {
                    guard let item = try ItemCodec.decodeStored(text) else { continue }
                    try store.delete(StoredKey(pk: pk, sk: sk), old: item, now: now, byTTL: true)
                }
            }
        }
    }

    public func runTTLSweeper(every seconds: Int64 = 5) async {
        while !Task.isCancelled {
            await clock.sleep(untilMilliseconds: clock.nowMilliseconds() + seconds * 1000)
            if Task.isCancelled { return }
            try? await sweepExpiredItems()
        }
    }

    func tagResource(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let arn = try input.requiredString("ResourceArn")
        let tags = try (try input.structureList("Tags") ?? []).map { (try $0.requiredString("Key"), try $0.requiredString("Value")) }
        try await updateTags(arn, context) { existing in
            var merged = existing.filter { e in !tags.contains { $0.0 == e.0 } }
            merged += tags
            guard merged.count <= 50 else { throw DynamoDBError("LimitExceededException", "Too many tags") }
            return merged
        }
        return [:]
    }

    func untagResource(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let arn = try input.requiredString("ResourceArn")
        let keys = try input.stringList("TagKeys") ?? []
        try await updateTags(arn, context) { $0.filter { !keys.contains($0.0) } }
        return [:]
    }

    func listTagsOfResource(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let arn = try input.requiredString("ResourceArn")
        var tags: [(String, String)] = []
        let box = LockedValue<[(String, String)]>([])
        try await updateTags(arn, context) { existing in
            box.value = existing
            return existing
        }
        tags = box.value
        return ["Tags": .array(tags.map { ["Key": .string($0.0), "Value": .string($0.1)] })]
    }

    func updateTags(_ arn: String, _ context: RequestContext,
                    _ change: @escaping @Sendable ([(String, String)]) throws -> [(String, String)]) async throws {
        guard arn.hasPrefix("arn:aws:dynamodb:"), arn.contains(":table/") else {
            throw DynamoDBError.validation("Invalid TableArn: Invalid ResourceArn provided as input \(arn)")
        }
        try await database.transaction { [self] db in
            let table = try requireTable(arn, context, db: db)
            let existing = ((try? JSONValue.parse(Array(table.tags.utf8)))?.arrayValue ?? []).compactMap { t -> (String, String)? in
                guard let k = t["Key"]?.stringValue, let v = t["Value"]?.stringValue else { return nil }
                return (k, v)
            }
            let updated = try change(existing)
            let json = JSONValue.array(updated.map { ["Key": .string($0.0), "Value": .string($0.1)] })
            try db.run("UPDATE ddb_tables SET tags = ? WHERE id = ?", .text(json.jsonString), .integer(table.id))
        }
    }

    func describeLimits() -> JSONValue {
        ["AccountMaxReadCapacityUnits": 80000, "AccountMaxWriteCapacityUnits": 80000,
         "TableMaxReadCapacityUnits": 40000, "TableMaxWriteCapacityUnits": 40000]
    }

    func describeEndpoints(_ context: RequestContext) -> JSONValue {
        ["Endpoints": [["Address": .string(context.host), "CachePeriodInMinutes": 1440]]]
    }

    func describeContinuousBackups(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let tableName = try input.requiredString("TableName")
        let table = try await database.transaction { [self] db in try requireBackupTable(tableName, context, db: db) }
        return ["ContinuousBackupsDescription": [
            "ContinuousBackupsStatus": "ENABLED",
            "PointInTimeRecoveryDescription": ["PointInTimeRecoveryStatus": table.continuousBackups ? "ENABLED" : "DISABLED"],
        ]]
    }

    func updateContinuousBackups(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let tableName = try input.requiredString("TableName")
        guard let spec = try input.structure("PointInTimeRecoverySpecification") else {
            throw DynamoDBError.validation("1 validation error detected: Value null at 'pointInTimeRecoverySpecification' failed to satisfy constraint: Member must not be null")
        }
        let enabled = try spec.requiredBool("PointInTimeRecoveryEnabled")
        try await database.transaction { [self] db in
            let table = try requireBackupTable(tableName, context, db: db)
            try db.run("UPDATE ddb_tables SET continuous_backups = ? WHERE id = ?", .integer(enabled ? 1 : 0), .integer(table.id))
        }
        return ["ContinuousBackupsDescription": [
            "ContinuousBackupsStatus": "ENABLED",
            "PointInTimeRecoveryDescription": ["PointInTimeRecoveryStatus": enabled ? "ENABLED" : "DISABLED"],
        ]]
    }
}

extension DynamoDBService {
    /// The backup operations model a missing table as TableNotFoundException.
    func requireBackupTable(_ name: String, _ context: RequestContext, db: Connection) throws -> TableRecord {
        do {
            return try requireTable(name, context, db: db, controlPlane: true)
        } catch let error as DynamoDBError where error.code == "ResourceNotFoundException" {
            throw DynamoDBError("TableNotFoundException", "Table not found: \(Self.tableName(name))")
        }
    }
}
