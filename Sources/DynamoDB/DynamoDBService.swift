import Foundation
import JSON
import Storage
import Wire

/// The DynamoDB engine: tables and items in SQLite, the expression language, no HTTP.
public final class DynamoDBService: Sendable {
    let database: Database
    let clock: any EpochClock

    public init(database: Database, clock: any EpochClock = SystemClock()) async throws {
        self.database = database
        self.clock = clock
        try await database.migrate(DynamoDBSchema.migrations)
    }

    /// awsJson1_0 with `DynamoDB_20120810.*` targets; responses carry `x-amz-crc32`.
    public var endpoint: ServiceEndpoint {
        var endpoint = ServiceEndpoint(
            signingName: "dynamodb", jsonTargetPrefix: "DynamoDB_20120810", jsonErrorTypePrefix: "com.amazonaws.dynamodb.v20120810#",
            queryVersion: nil, xmlNamespace: "", queryCompatible: false
        ) { [self] name in
            guard let operation = DynamoDBOperation(rawValue: name) else { return nil }
            return ServiceOperation(name: operation.rawValue, query: QueryOperationSchema()) { input, context in
                try await self.invoke(operation, input, context)
            }
        }
        endpoint.addsCRC32 = true
        return endpoint
    }

    public func invoke(_ operation: DynamoDBOperation, _ request: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        do {
            let input: ShapeReader
            switch operation {
            case .putItem, .updateItem, .deleteItem, .query, .scan: input = try LegacyParameters.rewrite(request)
            default: input = request
            }
            switch operation {
            case .createTable: return try await createTable(input, context)
            case .describeTable: return try await describeTable(input, context)
            case .listTables: return try await listTables(input, context)
            case .updateTable: return try await updateTable(input, context)
            case .deleteTable: return try await deleteTable(input, context)
            case .putItem: return try await putItem(input, context)
            case .getItem: return try await getItem(input, context)
            case .updateItem: return try await updateItem(input, context)
            case .deleteItem: return try await deleteItem(input, context)
            case .query: return try await query(input, context)
            case .scan: return try await scan(input, context)
            case .batchGetItem: return try await batchGetItem(input, context)
            case .batchWriteItem: return try await batchWriteItem(input, context)
            case .transactGetItems: return try await transactGetItems(input, context)
            case .transactWriteItems: return try await transactWriteItems(input, context)
            case .updateTimeToLive: return try await updateTimeToLive(input, context)
            case .describeTimeToLive: return try await describeTimeToLive(input, context)
            case .tagResource: return try await tagResource(input, context)
            case .untagResource: return try await untagResource(input, context)
            case .listTagsOfResource: return try await listTagsOfResource(input, context)
            case .describeLimits: return describeLimits()
            case .describeEndpoints: return describeEndpoints(context)
            case .describeContinuousBackups: return try await describeContinuousBackups(input, context)
            case .updateContinuousBackups: return try await updateContinuousBackups(input, context)
            case .executeStatement: return try await executeStatement(input, context)
            case .batchExecuteStatement: return try await batchExecuteStatement(input, context)
            case .executeTransaction: return try await executeTransaction(input, context)
            }
        } catch let error as ShapeError {
            switch error {
            case .missing(let path):
                throw DynamoDBError.validation("1 validation error detected: Value null at '\(Self.camel(path))' failed to satisfy constraint: Member must not be null")
            case .typeMismatch(let path, let expected, _, _):
                throw DynamoDBError("SerializationException", "Unexpected value type in payload: expected \(expected) at \(path)")
            }
        }
    }

    /// `TableName` → `tableName`, as AWS's validation messages name members.
    static func camel(_ path: String) -> String {
        path.split(separator: ".").map { $0.prefix(1).lowercased() + $0.dropFirst() }.joined(separator: ".")
    }

    static func date(_ milliseconds: Int64) -> JSONValue {
        let whole = milliseconds / 1000, fraction = milliseconds % 1000
        return .number(fraction == 0 ? String(whole) : "\(whole).\(String(format: "%03lld", fraction))")
    }

    /// The table a request names. Control-plane operations name the table in the error;
    /// item operations say only "Requested resource not found", as AWS does.
    func requireTable(_ name: String, _ context: RequestContext, db: Connection, controlPlane: Bool = false) throws -> TableRecord {
        let tableName = Self.tableName(name)
        guard let table = try db.table(account: context.accountId, region: context.region, name: tableName) else {
            throw DynamoDBError.resourceNotFound(controlPlane ? "Requested resource not found: Table: \(tableName) not found"
                                                              : "Requested resource not found")
        }
        return table
    }

    /// A table is addressed by name or by ARN.
    static func tableName(_ nameOrArn: String) -> String {
        if nameOrArn.hasPrefix("arn:"), let slash = nameOrArn.range(of: ":table/") {
            return String(nameOrArn[slash.upperBound...].split(separator: "/").first ?? "")
        }
        return nameOrArn
    }
}
