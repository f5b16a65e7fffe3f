import Digest
import Foundation
import JSON
import Storage
import Wire

extension DynamoDBService {
    static let tokenLifetime: Int64 = 10 * 60 * 1000

    /// One action of TransactWriteItems, parsed before anything runs.
    struct TransactAction {
        enum Kind { case conditionCheck, put(Item), delete, update(CompiledUpdate?) }
        var kind: Kind
        var table: String
        var key: Item
        var condition: CompiledCondition?
        var returnOnFailure: Bool
    }

    func transactWriteItems(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        guard let list = try input.structureList("TransactItems"), !list.isEmpty else {
            throw DynamoDBError.validation("1 validation error detected: Value null at 'transactItems' failed to satisfy constraint: Member must not be null")
        }
        guard list.count <= 100 else {
            throw DynamoDBError.validation("1 validation error detected: Value '[…]' at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100")
        }
        var actions: [TransactAction] = []
        for entry in list {
            let kinds = ["ConditionCheck", "Put", "Delete", "Update"].filter { entry.has($0) }
            guard kinds.count == 1, let kindName = kinds.first, let body = try entry.structure(kindName) else {
                throw DynamoDBError.validation("TransactItems can only contain one of Check, Put, Update or Delete")
            }
            let table = try body.requiredString("TableName")
            let expressions = try RequestExpressions(body)
            let condition = try expressions.condition(body)
            var kind: TransactAction.Kind
            var key: Item
            switch kindName {
            case "Put":
                guard let itemJSON = body.value("Item") else {
                    throw DynamoDBError.validation("1 validation error detected: Value null at 'transactItems.1.member.put.item' failed to satisfy constraint: Member must not be null")
                }
                let item = try ItemCodec.decodeItem(itemJSON)
                try Self.checkSize(item)
                kind = .put(item)
                key = item
            case "Update":
                kind = .update(try expressions.update(body))
                key = try ItemCodec.decodeItem(body.value("Key") ?? .object(JSONObject()))
            case "ConditionCheck":
                guard condition != nil else {
                    throw DynamoDBError.validation("1 validation error detected: Value null at 'transactItems.1.member.conditionCheck.conditionExpression' failed to satisfy constraint: Member must not be null")
                }
                kind = .conditionCheck
                key = try ItemCodec.decodeItem(body.value("Key") ?? .object(JSONObject()))
            default:
                kind = .delete
                key = try ItemCodec.decodeItem(body.value("Key") ?? .object(JSONObject()))
            }
            try expressions.finish()
            actions.append(TransactAction(kind: kind, table: table, key: key, condition: condition,
                                          returnOnFailure: try body.string("ReturnValuesOnConditionCheckFailure") == "ALL_OLD"))
        }
        let token = try input.string("ClientRequestToken")
        let requestHash = SHA256.hash(input.object.members.filter { $0.key != "ReturnConsumedCapacity" }
            .map { "\($0.key)=\($0.value.jsonString)" }.joined(separator: "&").utf8).hexString
        let now = clock.nowMilliseconds()
        let plan = actions
        return try await database.transaction { [self] db in
            if let token {
                try db.run("DELETE FROM ddb_transaction_tokens WHERE created_at <= ?", .integer(now - Self.tokenLifetime))
                if let (hash, response) = try db.first("SELECT request_hash, response FROM ddb_transaction_tokens WHERE token = ?",
                                                       [.text(token)], { ($0.text(0), $0.text(1)) }) {
                    guard hash == requestHash else {
                        throw DynamoDBError("IdempotentParameterMismatchException",
                                            "Request token \(token) was used with a different request within the last 10 minutes")
                    }
                    return (try? JSONValue.parse(Array(response.utf8))) ?? [:]
                }
            }
            // Resolve every key and check conditions before writing anything.
            var resolved: [(TableRecord, StoredKey, Item?)] = []
            var seen = Set<String>()
            var reasons: [DynamoDBError.CancellationReason] = []
            var failed = false
            for action in plan {
                let table = try requireTable(action.table, context, db: db)
                let key: StoredKey
                if case .put = action.kind {
                    key = try ItemStore.key(of: action.key, schema: table.definition.key)
                } else {
                    key = try ItemStore.key(fromKey: action.key, schema: table.definition.key)
                }
                guard seen.insert("\(table.id):\(key.pk.hexKey):\(key.sk.hexKey)").inserted else {
                    throw DynamoDBError.validation("Transaction request cannot include multiple operations on one item")
                }
                let old = try ItemStore(db: db, table: table).load(key)
                if let condition = action.condition, try !condition.matches(old) {
                    failed = true
                    reasons.append(.init(code: "ConditionalCheckFailed", message: "The conditional request failed",
                                         item: action.returnOnFailure ? old : nil))
                } else {
                    reasons.append(.init(code: "None", message: nil, item: nil))
                }
                resolved.append((table, key, old))
            }
            if failed {
                var error = DynamoDBError("TransactionCanceledException",
                                          "Transaction cancelled, please refer cancellation reasons for specific reasons [\(reasons.map(\.code).joined(separator: ", "))]")
                error.cancellationReasons = reasons
                throw error
            }
            for (i, action) in plan.enumerated() {
                let (table, key, old) = resolved[i]
                let store = ItemStore(db: db, table: table)
                switch action.kind {
                case .conditionCheck: break
                case .put(let item): try store.put(item, key: key, old: old, now: now)
                case .delete: if let old { try store.delete(key, old: old, now: now) }
                case .update(let update):
                    var new = old ?? action.key
                    if let update {
                        let changed: Set<String>
                        (new, changed) = try update.apply(new, exists: old != nil)
                        for name in table.definition.key.names where changed.contains(name) {
                            throw DynamoDBError.validation("One or more parameter values were invalid: Cannot update attribute \(name). This attribute is part of the key")
                        }
                    }
                    try Self.checkSize(new)
                    try store.put(new, key: key, old: old, now: now)
                }
            }
            let response: JSONValue = [:]
            if let token {
                try db.run("INSERT OR REPLACE INTO ddb_transaction_tokens (token, request_hash, response, created_at) VALUES (?, ?, ?, ?)",
                           .text(token), .text(requestHash), .text(response.jsonString), .integer(now))
            }
            return response
        }
    }

    func transactGetItems(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        guard let list = try input.structureList("TransactItems"), !list.isEmpty else {
            throw DynamoDBError.validation("1 validation error detected: Value null at 'transactItems' failed to satisfy constraint: Member must not be null")
        }
        guard list.count <= 100 else {
            throw DynamoDBError.validation("1 validation error detected: Value '[…]' at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100")
        }
        var gets: [(table: String, key: Item, projection: CompiledProjection?)] = []
        for entry in list {
            guard let get = try entry.structure("Get") else {
                throw DynamoDBError.validation("1 validation error detected: Value null at 'transactItems.1.member.get' failed to satisfy constraint: Member must not be null")
            }
            let expressions = try RequestExpressions(get)
            let projection = try expressions.projection(get)
            try expressions.finish()
            gets.append((try get.requiredString("TableName"), try ItemCodec.decodeItem(get.value("Key") ?? .object(JSONObject())), projection))
        }
        let plan = gets
        let items: [Item?] = try await database.transaction { [self] db in
            var seen = Set<String>()
            return try plan.map { get in
                let table = try requireTable(get.table, context, db: db)
                let key = try ItemStore.key(fromKey: get.key, schema: table.definition.key)
                guard seen.insert("\(table.id):\(key.pk.hexKey):\(key.sk.hexKey)").inserted else {
                    throw DynamoDBError.validation("Transaction request cannot include multiple operations on one item")
                }
                return try ItemStore(db: db, table: table).load(key).map { item in get.projection.map { $0.apply(item) } ?? item }
            }
        }
        return ["Responses": .array(items.map { item in item.map { ["Item": ItemCodec.json($0)] } ?? [:] })]
    }
}
