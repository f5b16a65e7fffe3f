import Foundation
import JSON
import Storage
import Wire

/// The DynamoDB Streams operations (`DynamoDBStreams_20120810`).
public enum DynamoDBStreamsOperation: String, CaseIterable, Sendable {
    case listStreams = "ListStreams"
    case describeStream = "DescribeStream"
    case getShardIterator = "GetShardIterator"
    case getRecords = "GetRecords"
}

extension DynamoDBService {
    /// Streams have one shard each; its id and sequence numbers have AWS's shapes.
    public var streamsEndpoint: ServiceEndpoint {
        ServiceEndpoint(
            signingName: "dynamodb", jsonTargetPrefix: "DynamoDBStreams_20120810",
            jsonErrorTypePrefix: "com.amazonaws.dynamodb.v20120810#", queryVersion: nil, xmlNamespace: "", queryCompatible: false
        ) { [self] name in
            guard let operation = DynamoDBStreamsOperation(rawValue: name) else { return nil }
            return ServiceOperation(name: operation.rawValue, query: QueryOperationSchema()) { input, context in
                do {
                    switch operation {
                    case .listStreams: return try await self.listStreams(input, context)
                    case .describeStream: return try await self.describeStream(input, context)
                    case .getShardIterator: return try await self.getShardIterator(input, context)
                    case .getRecords: return try await self.getRecords(input, context)
                    }
                } catch let error as ShapeError {
                    if case .missing(let path) = error {
                        throw DynamoDBError.validation("1 validation error detected: Value null at '\(Self.camel(path))' failed to satisfy constraint: Member must not be null")
                    }
                    throw DynamoDBError("SerializationException", "\(error)")
                }
            }
        }
    }

    static func shardId(_ table: TableRecord) -> String {
        let digits = String(table.createdAt).leftPad(20)
        return "shardId-\(digits)-\(table.tableId.prefix(8))"
    }

    /// The table and stream label a stream ARN names.
    func stream(_ arn: String, db: Connection, context: RequestContext) throws -> (TableRecord, String) {
        guard let range = arn.range(of: "/stream/") else { throw DynamoDBError.validation("Invalid StreamArn") }
        let label = String(arn[range.upperBound...])
        let tableArn = String(arn[..<range.lowerBound])
        guard let table = try? requireTable(tableArn, context, db: db), table.arn == tableArn else {
            throw DynamoDBError.resourceNotFound("Requested resource not found: Stream: \(arn) not found")
        }
        let known = try table.streamLabel == label
            || (db.first("SELECT 1 FROM ddb_stream_records WHERE table_id = ? AND stream_label = ? LIMIT 1",
                             [.integer(table.id), .text(label)], { _ in true }) ?? false)
        guard known else { throw DynamoDBError.resourceNotFound("Requested resource not found: Stream: \(arn) not found") }
        return (table, label)
    }

    func listStreams(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let tableName = try input.string("TableName")
        let limit = try input.int("Limit") ?? 100
        let start = try input.string("ExclusiveStartStreamArn") ?? ""
        let streams: [JSONValue] = try await database.transaction { [self] db in
            var tables: [TableRecord] = []
            if let tableName {
                tables = [try requireTable(tableName, context, db: db)]
            } else {
                tables = try db.all("SELECT \(TableRecord.columns) FROM ddb_tables WHERE account = ? AND region = ? ORDER BY name",
                                    [.text(context.accountId), .text(context.region)]) { TableRecord($0) }.compactMap { $0 }
            }
            return tables.compactMap { t in
                guard let arn = t.streamArn, let label = t.streamLabel, arn > start else { return nil }
                return ["StreamArn": .string(arn), "TableName": .string(t.name), "StreamLabel": .string(label)]
            }
        }
        var o = JSONObject()
        o.append("Streams", .array(Array(streams.prefix(limit))))
        if streams.count > limit, let last = streams.prefix(limit).last?["StreamArn"] { o.append("LastEvaluatedStreamArn", last) }
        return .object(o)
    }

    func describeStream(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let arn = try input.requiredString("StreamArn")
        let (table, label, first, last): (TableRecord, String, Int64?, Int64?) = try await database.transaction { [self] db in
            let (table, label) = try stream(arn, db: db, context: context)
            let bounds = try db.first("SELECT MIN(seq), MAX(seq) FROM ddb_stream_records WHERE table_id = ? AND stream_label = ?",
                                      [.integer(table.id), .text(label)]) { ($0.optionalInt64(0), $0.optionalInt64(1)) }
            return (table, label, bounds?.0, bounds?.1)
        }
        let enabled = table.streamLabel == label && table.definition.streamViewType != nil
        var range = JSONObject()
        range.append("StartingSequenceNumber", .string(StreamWriter.sequenceNumber(first ?? 1)))
        if !enabled, let last { range.append("EndingSequenceNumber", .string(StreamWriter.sequenceNumber(last))) }
        var d = JSONObject()
        d.append("StreamArn", .string(arn))
        d.append("StreamLabel", .string(label))
        d.append("StreamStatus", .string(enabled ? "ENABLED" : "DISABLED"))
        d.append("StreamViewType", .string(table.definition.streamViewType ?? "NEW_AND_OLD_IMAGES"))
        d.append("CreationRequestDateTime", Self.date(table.createdAt))
        d.append("TableName", .string(table.name))
        d.append("KeySchema", table.definition.key.json)
        d.append("Shards", [["ShardId": .string(Self.shardId(table)), "SequenceNumberRange": .object(range)]])
        return ["StreamDescription": .object(d)]
    }

    func getShardIterator(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let arn = try input.requiredString("StreamArn")
        let shard = try input.requiredString("ShardId")
        let type = try input.requiredString("ShardIteratorType")
        let sequence = try input.string("SequenceNumber")
        let after: Int64 = try await database.transaction { [self] db in
            let (table, label) = try stream(arn, db: db, context: context)
            guard shard == Self.shardId(table) else {
                throw DynamoDBError.resourceNotFound("Requested resource not found: Shard does not exist")
            }
            switch type {
            case "TRIM_HORIZON": return 0
            case "LATEST":
                return try db.first("SELECT COALESCE(MAX(seq), 0) FROM ddb_stream_records WHERE table_id = ? AND stream_label = ?",
                                    [.integer(table.id), .text(label)]) { $0.int64(0) } ?? 0
            case "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER":
                guard let sequence, let n = Int64(sequence.dropFirst()) else {
                    throw DynamoDBError.validation("A SequenceNumber must be provided for ShardIteratorType \(type)")
                }
                return type == "AT_SEQUENCE_NUMBER" ? n - 1 : n
            default:
                throw DynamoDBError.validation("1 validation error detected: Value '\(type)' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER]")
            }
        }
        return ["ShardIterator": .string(Self.iterator(arn: arn, after: after))]
    }

    static func iterator(arn: String, after: Int64) -> String {
        "arn=\(arn)|after=\(after)|\(UUID().uuidString.lowercased())".data(using: .utf8)!.base64EncodedString()
    }

    func getRecords(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let iterator = try input.requiredString("ShardIterator")
        let limit = try input.int("Limit") ?? 1000
        guard (1...1000).contains(limit) else {
            throw DynamoDBError.validation("1 validation error detected: Value '\(limit)' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 1000")
        }
        guard let data = Data(base64Encoded: iterator), let text = String(data: data, encoding: .utf8) else {
            throw DynamoDBError.validation("Invalid ShardIterator")
        }
        let parts = text.split(separator: "|")
        guard parts.count == 3, parts[0].hasPrefix("arn="), parts[1].hasPrefix("after="), let after = Int64(parts[1].dropFirst(6)) else {
            throw DynamoDBError.validation("Invalid ShardIterator")
        }
        let arn = String(parts[0].dropFirst(4))
        let records: [(Int64, String)] = try await database.transaction { [self] db in
            let (table, label) = try stream(arn, db: db, context: context)
            return try db.all("""
                SELECT seq, record FROM ddb_stream_records WHERE table_id = ? AND stream_label = ? AND seq > ? ORDER BY seq LIMIT ?
                """, [.integer(table.id), .text(label), .integer(after), .integer(Int64(limit))]) { ($0.int64(0), $0.text(1)) }
        }
        let next = records.last?.0 ?? after
        return [
            "Records": .array(records.compactMap { try? JSONValue.parse(Array($0.1.utf8)) }),
            "NextShardIterator": .string(Self.iterator(arn: arn, after: next)),
        ]
    }
}

extension String {
    func leftPad(_ width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
