import Foundation
import JSON
import Storage
import Wire

extension DynamoDBService {
    /// Parses a statement and turns it into the request of the operation that serves it.
    /// Where single-item reads are required (batches, transactions): a SELECT must pin
    /// the whole primary key by equality.
    enum KeyRequirement { case none, batch, transaction }

    func partiQLRequest(_ text: String, parameters: JSONValue?, context: RequestContext,
                        requirement: KeyRequirement = .none) async throws -> (PartiQLStatement, PartiQLRequest) {
        let values = try (parameters?.arrayValue ?? []).map { try AttributeValue.decode($0) }
        let statement = try PartiQLStatement.parse(text, parameters: values)
        let schema: KeySchema = try await database.transaction { [self] db in
            let table: TableRecord
            do {
                table = try requireTable(statement.tableName, context, db: db)
            } catch let error as DynamoDBError {
                throw statement.error(from: error)
            }
            if let indexName = statement.indexName {
                guard let index = table.definition.index(named: indexName) else {
                    throw DynamoDBError.validation("The table does not have the specified index")
                }
                return index.key
            }
            return table.definition.key
        }
        if requirement != .none, case .select(let plan) = statement {
            let place = requirement == .batch ? "BatchExecuteStatement" : "ExecuteTransaction"
            guard let condition = plan.condition, (try? PartiQLKeyConditions.item(condition, key: schema)) != nil else {
                throw DynamoDBError.validation("Select statements within \(place) must specify the primary key in the where clause.")
            }
        }
        return (statement, try statement.request(key: schema))
    }

    /// BatchStatementError codes: the exception's name without "Exception", and
    /// ValidationException as ValidationError.
    static func batchErrorCode(_ code: String) -> String {
        switch code {
        case "ValidationException": return "ValidationError"
        case "ThrottlingException": return "ThrottlingError"
        case "InternalServerError": return "InternalServerError"
        case "ConditionalCheckFailedException": return "ConditionalCheckFailed"
        default: return code.replacingOccurrences(of: "Exception", with: "")
        }
    }

    /// Runs a translated request, answering in ExecuteStatement's terms.
    func runPartiQL(_ statement: PartiQLStatement, _ request: PartiQLRequest, options: ShapeReader,
                    context: RequestContext) async throws -> JSONValue {
        var body = request.input.objectValue ?? JSONObject()
        if case .select = statement {
            if let consistent = options.value("ConsistentRead") { body["ConsistentRead"] = consistent }
            if let limit = options.value("Limit") { body["Limit"] = limit }
            if let token = try options.string("NextToken") {
                guard let data = Data(base64Encoded: token), let key = try? JSONValue.parse(Array(data)) else {
                    throw DynamoDBError.validation("Invalid NextToken")
                }
                body["ExclusiveStartKey"] = key
            }
        }
        if let mode = options.value("ReturnConsumedCapacity") { body["ReturnConsumedCapacity"] = mode }
        if let onFailure = options.value("ReturnValuesOnConditionCheckFailure") { body["ReturnValuesOnConditionCheckFailure"] = onFailure }
        let output: JSONValue
        do {
            output = try await invoke(request.operation, try ShapeReader(.object(body)), context)
        } catch let error as DynamoDBError {
            throw statement.error(from: error)
        }
        var o = JSONObject()
        switch statement {
        case .select(let plan):
            let items = try (output["Items"]?.arrayValue ?? []).map { try ItemCodec.decodeItem($0) }
            o.append("Items", .array(items.map { ItemCodec.json(plan.shape($0)) }))
            if let last = output["LastEvaluatedKey"] {
                o.append("NextToken", .string(Data(last.serialized()).base64EncodedString()))
                o.append("LastEvaluatedKey", last)
            }
        default:
            o.append("Items", .array(output["Attributes"].map { [$0] } ?? []))
        }
        if let capacity = output["ConsumedCapacity"] { o.append("ConsumedCapacity", capacity) }
        return .object(o)
    }

    func executeStatement(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let text = try input.requiredString("Statement")
        let (statement, request) = try await partiQLRequest(text, parameters: input.value("Parameters"), context: context)
        return try await runPartiQL(statement, request, options: input, context: context)
    }

    /// Up to 25 independent statements; each answers with its item or its own error.
    func batchExecuteStatement(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        guard let statements = try input.structureList("Statements"), !statements.isEmpty else {
            throw DynamoDBError.validation("1 validation error detected: Value null at 'statements' failed to satisfy constraint: Member must not be null")
        }
        guard statements.count <= 25 else {
            throw DynamoDBError.validation("1 validation error detected: Value at 'statements' failed to satisfy constraint: Member must have length less than or equal to 25")
        }
        var responses: [JSONValue] = []
        for entry in statements {
            let text = try entry.requiredString("Statement")
            var response = JSONObject()
            do {
                let (statement, request) = try await partiQLRequest(text, parameters: entry.value("Parameters"), context: context,
                                                                    requirement: .batch)
                response.append("TableName", .string(statement.tableName))
                let result = try await runPartiQL(statement, request, options: entry, context: context)
                if let item = result["Items"]?.arrayValue?.first { response.append("Item", item) }
            } catch let error as DynamoDBError {
                var e: JSONObject = ["Code": .string(Self.batchErrorCode(error.code)), "Message": .string(error.message)]
                if let item = error.item { e["Item"] = ItemCodec.json(item) }
                response.append("Error", .object(e))
            }
            responses.append(.object(response))
        }
        return ["Responses": .array(responses)]
    }

    /// All statements or none: writes become one TransactWriteItems, reads run together.
    func executeTransaction(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        guard let statements = try input.structureList("TransactStatements"), !statements.isEmpty else {
            throw DynamoDBError.validation("1 validation error detected: Value null at 'transactStatements' failed to satisfy constraint: Member must not be null")
        }
        guard statements.count <= 100 else {
            throw DynamoDBError.validation("1 validation error detected: Value at 'transactStatements' failed to satisfy constraint: Member must have length less than or equal to 100")
        }
        var translated: [(PartiQLStatement, PartiQLRequest)] = []
        for (i, entry) in statements.enumerated() {
            let text = try entry.requiredString("Statement")
            let pair: (PartiQLStatement, PartiQLRequest)
            do {
                pair = try await partiQLRequest(text, parameters: entry.value("Parameters"), context: context, requirement: .transaction)
            } catch let error as DynamoDBError where error.message.hasPrefix("Select statements within") {
                throw DynamoDBError.validation("Validation failed in TransactStatements[\(i)]: \(error.message)")
            }
            var returning = false
            if case .update(let plan) = pair.0 { returning = plan.returnValues != nil }
            if case .delete(let plan) = pair.0 { returning = plan.returnValues != nil }
            if returning {
                throw DynamoDBError.validation("Validation failed in TransactStatements[\(i)]: RETURNING clause is not supported in ExecuteTransaction.")
            }
            if case .select = pair.0, pair.0.indexName != nil {
                throw DynamoDBError.validation("Validation failed in TransactStatements[\(i)]: Reads on indices are not supported within transactions.")
            }
            translated.append(pair)
        }
        let reads = translated.filter { if case .select = $0.0 { return true } else { return false } }
        if !reads.isEmpty {
            guard reads.count == translated.count else {
                throw DynamoDBError.validation("The transaction must contain only reads or only writes")
            }
            var responses: [JSONValue] = []
            for (statement, request) in translated {
                let result = try await runPartiQL(statement, request, options: input, context: context)
                responses.append(result["Items"]?.arrayValue?.first.map { ["Item": $0] } ?? [:])
            }
            return ["Responses": .array(responses)]
        }
        var items: [JSONValue] = []
        for (_, request) in translated {
            let kind: String
            switch request.operation {
            case .putItem: kind = "Put"
            case .updateItem: kind = "Update"
            case .deleteItem: kind = "Delete"
            default: throw DynamoDBError.validation("The statement cannot be part of a transaction")
            }
            items.append(.object(JSONObject([JSONObject.Member(kind, request.input)])))
        }
        var body: JSONObject = ["TransactItems": .array(items)]
        if let token = input.value("ClientRequestToken") { body["ClientRequestToken"] = token }
        do {
            _ = try await transactWriteItems(try ShapeReader(.object(body)), context)
        } catch var error as DynamoDBError where error.code == "TransactionCanceledException" {
            // An INSERT whose key exists is a DuplicateItem in PartiQL's words.
            error.cancellationReasons = error.cancellationReasons.map { reasons in
                zip(reasons, translated).map { reason, statement in
                    if case .insert = statement.0, reason.code == "ConditionalCheckFailed" {
                        return .init(code: "DuplicateItem", message: "Duplicate primary key exists in table", item: nil)
                    }
                    return reason
                }
            }
            error.message = "Transaction cancelled, please refer cancellation reasons for specific reasons [\((error.cancellationReasons ?? []).map(\.code).joined(separator: ", "))]"
            throw error
        }
        return ["Responses": .array(translated.map { _ in [:] })]
    }
}
