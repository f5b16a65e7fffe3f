import JSON
import Storage
import Wire

extension SQSService {
    func getQueueAttributes(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let key = try queueKey(input, context)
        let names = try input.stringList("AttributeNames") ?? []
        var wanted: [QueueAttributeName] = []
        for name in names {
            guard let attribute = QueueAttributeName(rawValue: name) else { throw SQSError.invalidAttributeName(name) }
            wanted.append(attribute)
        }
        let now = clock.nowMilliseconds()
        let (queue, counts) = try await database.transaction { db in
            let queue = try db.requireQueue(key)
            // Index-only counts: visible messages by range on (queue_id, visible_at); the
            // hidden ones are few, so splitting them by receive count stays cheap.
            let visible = try db.first("SELECT COUNT(*) FROM sqs_messages WHERE queue_id = ? AND visible_at <= ?",
                                       [.integer(queue.id), .integer(now)]) { $0.int(0) } ?? 0
            let hidden = try db.first("""
                SELECT COALESCE(SUM(receive_count > 0), 0), COALESCE(SUM(receive_count = 0), 0)
                FROM sqs_messages WHERE queue_id = ? AND visible_at > ?
                """, [.integer(queue.id), .integer(now)]) { ($0.int(0), $0.int(1)) } ?? (0, 0)
            let counts = (visible, hidden.0, hidden.1)
            return (queue, counts)
        }
        let all = wanted.contains(.all)
        var output = JSONObject()
        func include(_ name: QueueAttributeName) -> Bool { all || wanted.contains(name) }
        for name in QueueAttributeName.allCases where name != .all && include(name) {
            let value: String?
            switch name {
            case .queueArn: value = key.arn
            case .approximateNumberOfMessages: value = String(counts.0)
            case .approximateNumberOfMessagesNotVisible: value = String(counts.1)
            case .approximateNumberOfMessagesDelayed: value = String(counts.2)
            case .createdTimestamp: value = String(queue.createdAt / 1000)
            case .lastModifiedTimestamp: value = String(queue.modifiedAt / 1000)
            default:
                if name.isFifoOnly && !queue.fifo { value = nil } else { value = queue.configuration.values[name.rawValue] }
            }
            if let value, !(value.isEmpty && (name == .policy || name == .redrivePolicy || name == .redriveAllowPolicy)) {
                output[name.rawValue] = .string(value)
            }
        }
        if output.isEmpty { return [:] }
        return ["Attributes": .object(output)]
    }

    func setQueueAttributes(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let key = try queueKey(input, context)
        guard let attributes = try input.stringMap("Attributes") else { throw SQSError.missingParameter("Attributes") }
        let now = clock.nowMilliseconds()
        try await database.transaction { db in
            let queue = try db.requireQueue(key)
            var configuration = queue.configuration
            try configuration.apply(attributes, creating: false)
            try SQSService.validateRedrive(configuration, queueArn: key.arn, db: db, key: key)
            try db.run("UPDATE sqs_queues SET attributes = ?, modified_at = ? WHERE id = ?",
                       .text(configuration.encoded()), .integer(now), .integer(queue.id))
        }
        return [:]
    }

    func tagQueue(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let key = try queueKey(input, context)
        guard let tags = try input.stringMap("Tags") else { throw SQSError.missingParameter("Tags") }
        if tags.isEmpty { throw SQSError.invalidParameterValue("The request must contain a non-empty Tags parameter.") }
        try await database.transaction { db in
            let queue = try db.requireQueue(key)
            var merged = queue.tags
            for (k, v) in tags {
                if let i = merged.firstIndex(where: { $0.key == k }) { merged[i].value = v } else { merged.append((key: k, value: v)) }
            }
            guard merged.count <= SQSLimits.maxTags else {
                throw SQSError.invalidParameterValue("Too many tags added for queue \(key.name).")
            }
            try db.run("UPDATE sqs_queues SET tags = ? WHERE id = ?", .text(QueueRecord.encodeTags(merged)), .integer(queue.id))
        }
        return [:]
    }

    func untagQueue(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let key = try queueKey(input, context)
        guard let keys = try input.stringList("TagKeys") else { throw SQSError.missingParameter("TagKeys") }
        if keys.isEmpty { throw SQSError.invalidParameterValue("Tag keys must be between 1 and 128 characters in length.") }
        try await database.transaction { db in
            let queue = try db.requireQueue(key)
            let remaining = queue.tags.filter { !keys.contains($0.key) }
            try db.run("UPDATE sqs_queues SET tags = ? WHERE id = ?", .text(QueueRecord.encodeTags(remaining)), .integer(queue.id))
        }
        return [:]
    }

    func listQueueTags(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let key = try queueKey(input, context)
        let tags = try await database.transaction { db in try db.requireQueue(key).tags.map { [$0.key, $0.value] } }
        if tags.isEmpty { return [:] }
        var o = JSONObject()
        for pair in tags { o[pair[0]] = .string(pair[1]) }
        return ["Tags": .object(o)]
    }

    func addPermission(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let key = try queueKey(input, context)
        let label = try input.requiredString("Label")
        guard let accounts = try input.stringList("AWSAccountIds"), !accounts.isEmpty else {
            throw SQSError.missingParameter("AWSAccountIds")
        }
        guard let actions = try input.stringList("Actions"), !actions.isEmpty else { throw SQSError.missingParameter("Actions") }
        guard SQSLimits.isValidBatchEntryId(label) else {
            throw SQSError.invalidParameter("Label", value: label, reason: "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length")
        }
        let validActions: Set<String> = ["*", "SendMessage", "ReceiveMessage", "DeleteMessage", "ChangeMessageVisibility",
                                         "GetQueueAttributes", "GetQueueUrl", "ListDeadLetterSourceQueues", "PurgeQueue",
                                         "ListQueueTags", "ListMessageMoveTasks", "CancelMessageMoveTask", "StartMessageMoveTask"]
        for action in actions where !validActions.contains(action) {
            throw SQSError.invalidParameter("ActionName.1", value: action, reason: "Only the queue owner is allowed to invoke this action.")
        }
        try await database.transaction { db in
            let queue = try db.requireQueue(key)
            var policy = QueuePolicy(queue.configuration.values["Policy"], queueArn: key.arn)
            guard !policy.hasStatement(label) else {
                throw SQSError.invalidParameter("Label", value: label, reason: "Already exists.")
            }
            policy.add(label: label, accounts: accounts, actions: actions, queueArn: key.arn)
            var configuration = queue.configuration
            configuration.values["Policy"] = policy.json
            try db.run("UPDATE sqs_queues SET attributes = ? WHERE id = ?", .text(configuration.encoded()), .integer(queue.id))
        }
        return [:]
    }

    func removePermission(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let key = try queueKey(input, context)
        let label = try input.requiredString("Label")
        try await database.transaction { db in
            let queue = try db.requireQueue(key)
            var policy = QueuePolicy(queue.configuration.values["Policy"], queueArn: key.arn)
            guard policy.remove(label: label) else {
                throw SQSError.invalidParameter("Label", value: label, reason: "can't find label on existing policy.")
            }
            var configuration = queue.configuration
            configuration.values["Policy"] = policy.isEmpty ? "" : policy.json
            try db.run("UPDATE sqs_queues SET attributes = ? WHERE id = ?", .text(configuration.encoded()), .integer(queue.id))
        }
        return [:]
    }
}

/// The queue's access policy document, edited by Add/RemovePermission.
struct QueuePolicy {
    var document: JSONObject

    init(_ text: String?, queueArn: String) {
        if let text, case .object(let o)? = try? JSONValue.parse(text) {
            document = o
        } else {
            document = JSONObject(["Version": "2008-10-17", "Id": .string("\(queueArn)/SQSDefaultPolicy"), "Statement": .array([])])
        }
    }

    var statements: [JSONValue] { document["Statement"]?.arrayValue ?? [] }
    var isEmpty: Bool { statements.isEmpty }
    var json: String { JSONValue.object(document).jsonString }

    func hasStatement(_ sid: String) -> Bool { statements.contains { $0["Sid"]?.stringValue == sid } }

    mutating func add(label: String, accounts: [String], actions: [String], queueArn: String) {
        let principals: [JSONValue] = accounts.map { .string("arn:aws:iam::\($0):root") }
        let statement: JSONValue = [
            "Sid": .string(label),
            "Effect": "Allow",
            "Principal": ["AWS": principals.count == 1 ? principals[0] : .array(principals)],
            "Action": actions.count == 1 ? .string("SQS:\(actions[0])") : .array(actions.map { .string("SQS:\($0)") }),
            "Resource": .string(queueArn),
        ]
        document["Statement"] = .array(statements + [statement])
    }

    mutating func remove(label: String) -> Bool {
        let before = statements
        let after = before.filter { $0["Sid"]?.stringValue != label }
        document["Statement"] = .array(after)
        return after.count != before.count
    }
}
