import Foundation
import JSON
import SQS
import Storage
import Wire

/// One polling task per enabled event source mapping.
actor MappingPollers {
    private var tasks: [String: Task<Void, Never>] = [:]

    func start(_ uuid: String, _ body: @escaping @Sendable () async -> Void) {
        tasks[uuid]?.cancel()
        tasks[uuid] = Task { await body() }
    }

    func stop(_ uuid: String) {
        tasks.removeValue(forKey: uuid)?.cancel()
    }

    /// Drops a finished task's entry without cancelling anything.
    func forget(_ key: String) {
        tasks.removeValue(forKey: key)
    }

    func cancelAll() {
        for t in tasks.values { t.cancel() }
        tasks.removeAll()
    }
}

extension LambdaService {
    /// The SQS engine event source mappings read from (set by the emulator).
    public func connect(sqs: SQSService) { sqsBox.value = sqs }

    func mapping(_ uuid: String, db: Connection) throws -> JSONObject {
        guard let text = try db.first("SELECT configuration FROM lambda_event_source_mappings WHERE uuid = ?", [.text(uuid)], { $0.text(0) }),
              case .object(let o) = try JSONValue.parse(Array(text.utf8)) else {
            throw LambdaError.resourceNotFound("The resource you requested does not exist.")
        }
        return o
    }

    func storeMapping(_ mapping: JSONObject, _ uuid: String, db: Connection) throws {
        try db.run("UPDATE lambda_event_source_mappings SET configuration = ? WHERE uuid = ?",
                   .text(JSONValue.object(mapping).jsonString), .text(uuid))
    }

    func createEventSourceMapping(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let function = try input.requiredString("FunctionName")
        guard let source = try input.string("EventSourceArn") else {
            throw LambdaError.invalidParameter("Unrecognized event source, must be kafka or specify a source ARN.")
        }
        let stream = Self.isStream(source)
        guard source.hasPrefix("arn:aws:sqs:") || stream else {
            throw LambdaError.invalidParameter("Unrecognized event source. Offcloud maps SQS queues and DynamoDB streams.")
        }
        let batchSize = try input.int("BatchSize") ?? (stream ? 100 : 10)
        guard (1...10_000).contains(batchSize) else {
            throw LambdaError.invalidParameter("1 validation error detected: Value '\(batchSize)' at 'batchSize' failed to satisfy constraint: Member must have value less than or equal to 10000")
        }
        let window = try input.int("MaximumBatchingWindowInSeconds") ?? 0
        if batchSize > 10 && window == 0 && !stream {
            throw LambdaError.invalidParameter("Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10")
        }
        try Self.checkTuning(window: window, types: try input.stringList("FunctionResponseTypes"), scaling: input.value("ScalingConfig"))
        let streamSettings = stream ? try Self.streamSettings(input) : []
        if stream { try await checkStreamExists(source) } else { try await checkQueueExists(source, context) }
        let enabled = try input.bool("Enabled") ?? true
        let functionArn = Self.arn(function, context)
        let uuid = UUID().uuidString.lowercased()
        var o = JSONObject()
        o.append("UUID", .string(uuid))
        o.append("BatchSize", .integer(batchSize))
        o.append("MaximumBatchingWindowInSeconds", .integer(window))
        o.append("EventSourceArn", .string(source))
        o.append("FunctionArn", .string(functionArn))
        o.append("LastModified", .number(String(clock.nowMilliseconds() / 1000)))
        o.append("State", .string(enabled ? "Enabled" : "Disabled"))
        o.append("StateTransitionReason", "USER_INITIATED")
        o.append("FunctionResponseTypes", .array((try input.stringList("FunctionResponseTypes") ?? []).map { .string($0) }))
        if let scaling = input.value("ScalingConfig") { o.append("ScalingConfig", scaling) }
        for (key, value) in streamSettings { o.append(key, value) }
        if stream { o.append("LastProcessingResult", "No records processed") }
        let mapping = o
        try await database.transaction { [self] db in
            _ = try configuration(functionArn, db: db)
            try db.run("INSERT INTO lambda_event_source_mappings (uuid, account, region, function_arn, source_arn, configuration) VALUES (?, ?, ?, ?, ?, ?)",
                       .text(uuid), .text(context.accountId), .text(context.region), .text(functionArn), .text(source),
                       .text(JSONValue.object(mapping).jsonString))
        }
        if enabled { await startPolling(uuid, context: context) }
        var created = mapping
        created["State"] = .string(enabled ? "Creating" : "Disabled")
        return .object(created)
    }

    func getEventSourceMapping(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let uuid = try input.requiredString("UUID")
        return .object(try await database.read { [self] db in try mapping(uuid, db: db) })
    }

    func listEventSourceMappings(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let source = try input.string("EventSourceArn")
        let function = try input.string("FunctionName").map { Self.arn($0, context) }
        let rows: [JSONValue] = try await database.read { db in
            try db.all("""
                SELECT configuration FROM lambda_event_source_mappings WHERE account = ? AND region = ?
                  AND (? IS NULL OR source_arn = ?) AND (? IS NULL OR function_arn = ?) ORDER BY uuid
                """, [.text(context.accountId), .text(context.region), SQLValue(source), SQLValue(source), SQLValue(function), SQLValue(function)]) {
                (try? JSONValue.parse(Array($0.text(0).utf8))) ?? .null
            }
        }
        return ["EventSourceMappings": .array(rows)]
    }

    func updateEventSourceMapping(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let uuid = try input.requiredString("UUID")
        let enabled = try input.bool("Enabled")
        let batchSize = try input.int("BatchSize")
        let window = try input.int("MaximumBatchingWindowInSeconds")
        let types = try input.stringList("FunctionResponseTypes")
        try Self.checkTuning(window: window, types: types, scaling: input.value("ScalingConfig"))
        if let batchSize, !(1...10_000).contains(batchSize) {
            throw LambdaError.invalidParameter("1 validation error detected: Value '\(batchSize)' at 'batchSize' failed to satisfy constraint: Member must have value less than or equal to 10000")
        }
        let now = clock.nowMilliseconds()
        let updated: JSONObject = try await database.transaction { [self] db in
            var o = try mapping(uuid, db: db)
            if let enabled { o["State"] = .string(enabled ? "Enabled" : "Disabled") }
            if let batchSize { o["BatchSize"] = .integer(batchSize) }
            if let window { o["MaximumBatchingWindowInSeconds"] = .integer(window) }
            if let types { o["FunctionResponseTypes"] = .array(types.map { .string($0) }) }
            if let scaling = input.value("ScalingConfig") { o["ScalingConfig"] = scaling }
            if (o["BatchSize"]?.intValue ?? 10) > 10 && (o["MaximumBatchingWindowInSeconds"]?.intValue ?? 0) == 0,
               !Self.isStream(o["EventSourceArn"]?.stringValue ?? "") {
                throw LambdaError.invalidParameter("Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10")
            }
            o["LastModified"] = .number(String(now / 1000))
            try storeMapping(o, uuid, db: db)
            return o
        }
        if updated["State"]?.stringValue == "Enabled" { await startPolling(uuid, context: context) } else { await pollers.stop(uuid) }
        return .object(updated)
    }

    func deleteEventSourceMapping(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let uuid = try input.requiredString("UUID")
        var o = try await database.transaction { [self] db -> JSONObject in
            let o = try mapping(uuid, db: db)
            try db.run("DELETE FROM lambda_event_source_mappings WHERE uuid = ?", .text(uuid))
            try db.run("DELETE FROM lambda_stream_checkpoints WHERE uuid = ?", .text(uuid))
            return o
        }
        await pollers.stop(uuid)
        o["State"] = "Deleting"
        return .object(o)
    }

    /// Starts the pollers of every enabled mapping (after a restart).
    public func resumeEventSourceMappings() async {
        await resumeQueuedEvents()
        let rows: [(String, String, String)] = (try? await database.read { db in
            try db.all("SELECT uuid, account, region FROM lambda_event_source_mappings") { ($0.text(0), $0.text(1), $0.text(2)) }
        }) ?? []
        for (uuid, account, region) in rows {
            await startPolling(uuid, context: RequestContext(requestId: "esm", accountId: account, region: region, host: "localhost:4566"))
        }
    }

    /// Runs `ScalingConfig.MaximumConcurrency` pollers (5 when unset) for the mapping.
    func startPolling(_ uuid: String, context: RequestContext) async {
        let service = self
        let mapping = try? await database.read { [self] db in try self.mapping(uuid, db: db) }
        if Self.isStream(mapping?["EventSourceArn"]?.stringValue ?? "") {
            await pollers.start(uuid) { await service.pollStream(uuid, context: context) }
            return
        }
        let concurrency = mapping?["ScalingConfig"]?["MaximumConcurrency"]?.intValue ?? 5
        await pollers.start(uuid) {
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<max(1, concurrency) { group.addTask { await service.poll(uuid, context: context) } }
            }
        }
    }

    /// `MaximumBatchingWindowInSeconds` 0...300, known `FunctionResponseTypes`,
    /// `ScalingConfig.MaximumConcurrency` 2...1000, each with Lambda's message.
    static func checkTuning(window: Int?, types: [String]?, scaling: JSONValue?) throws {
        if let window, !(0...300).contains(window) {
            throw LambdaError.invalidParameter("1 validation error detected: Value '\(window)' at 'maximumBatchingWindowInSeconds' failed to satisfy constraint: Member must have value \(window < 0 ? "greater than or equal to 0" : "less than or equal to 300")")
        }
        for type in types ?? [] where type != "ReportBatchItemFailures" {
            throw LambdaError.invalidParameter("1 validation error detected: Value '[\(type)]' at 'functionResponseTypes' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [ReportBatchItemFailures]]")
        }
        if let scaling {
            guard let concurrency = scaling["MaximumConcurrency"]?.intValue, (2...1000).contains(concurrency) else {
                throw LambdaError.invalidParameter("1 validation error detected: Value at 'scalingConfig.maximumConcurrency' failed to satisfy constraint: Member must have value between 2 and 1000")
            }
        }
    }

    /// Lambda checks the queue when the mapping is created.
    func checkQueueExists(_ source: String, _ context: RequestContext) async throws {
        let parts = source.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 6, let sqs = sqsBox.value else {
            throw LambdaError.invalidParameter("Invalid event source ARN: \(source)")
        }
        let url = "http://\(context.host)/\(parts[4])/\(parts[5])"
        do {
            _ = try await sqs.invoke(.getQueueAttributes, ShapeReader(["QueueUrl": .string(url), "AttributeNames": ["QueueArn"]]),
                                     RequestContext(requestId: context.requestId, accountId: String(parts[4]), region: String(parts[3]),
                                                    host: context.host))
        } catch {
            throw LambdaError.invalidParameter("Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. SQS Error Message: The specified queue does not exist.")
        }
    }

    /// Up to `BatchSize` messages: the first receive long-polls; a batching window keeps
    /// collecting until it closes or the batch is full.
    func receiveBatch(_ sqs: SQSService, queueURL: String, batchSize: Int, window: Int, context: RequestContext) async throws -> [JSONValue] {
        var messages: [JSONValue] = []
        var deadline: Int64?
        for _ in 0..<1_000 {
            let remaining = deadline.map { $0 - clock.nowMilliseconds() }
            if let remaining, remaining <= 0 { break }
            let wait = remaining.map { min(20, Int($0 / 1000)) } ?? 20
            let received = try await sqs.invoke(.receiveMessage, ShapeReader([
                "QueueUrl": .string(queueURL), "MaxNumberOfMessages": .integer(min(10, batchSize - messages.count)),
                "WaitTimeSeconds": .integer(wait), "AttributeNames": ["All"], "MessageAttributeNames": ["All"],
            ]), context)
            let got = received["Messages"]?.arrayValue ?? []
            messages += got
            if messages.isEmpty { return [] }
            if messages.count >= batchSize || window == 0 || Task.isCancelled { break }
            if deadline == nil { deadline = clock.nowMilliseconds() + Int64(window) * 1000 }
            if got.isEmpty { await clock.sleep(untilMilliseconds: min(deadline!, clock.nowMilliseconds() + 50)) }
        }
        return messages
    }

    /// Receives from the queue, invokes the function with AWS's SQS event, deletes what
    /// succeeded; failed messages come back after their visibility timeout (and reach the
    /// queue's dead-letter queue through its redrive policy).
    func poll(_ uuid: String, context: RequestContext) async {
        while !Task.isCancelled {
            guard let sqs = sqsBox.value,
                  let mapping = try? await database.read({ [self] db in try self.mapping(uuid, db: db) }),
                  mapping["State"]?.stringValue == "Enabled",
                  let source = mapping["EventSourceArn"]?.stringValue, let functionArn = mapping["FunctionArn"]?.stringValue
            else { return }
            let parts = source.split(separator: ":")
            guard parts.count == 6 else { return }
            let queueURL = "http://\(context.host)/\(parts[4])/\(parts[5])"
            let queueContext = RequestContext(requestId: context.requestId, accountId: String(parts[4]), region: String(parts[3]),
                                              host: context.host)
            let messages: [JSONValue]
            do {
                messages = try await receiveBatch(sqs, queueURL: queueURL, batchSize: mapping["BatchSize"]?.intValue ?? 10,
                                                  window: mapping["MaximumBatchingWindowInSeconds"]?.intValue ?? 0, context: queueContext)
            } catch {
                await clock.sleep(untilMilliseconds: clock.nowMilliseconds() + 1000)
                continue
            }
            if messages.isEmpty { continue }
            let event: JSONValue = ["Records": .array(messages.map { Self.sqsRecord($0, source: source, region: String(parts[3])) })]
            guard let result = try? await invoke(function: functionArn, payload: event, context: context), result.error == nil else {
                continue
            }
            var failed = Set<String>()
            if mapping["FunctionResponseTypes"]?.arrayValue?.contains("ReportBatchItemFailures") == true {
                for f in result.payload["batchItemFailures"]?.arrayValue ?? [] {
                    if let id = f["itemIdentifier"]?.stringValue { failed.insert(id) }
                }
            }
            let done = messages.filter { !failed.contains($0["MessageId"]?.stringValue ?? "") }
            guard !done.isEmpty else { continue }
            for start in stride(from: 0, to: done.count, by: 10) {
                let entries: [JSONValue] = done[start..<min(done.count, start + 10)].enumerated().map { i, m in
                    ["Id": .string("m\(i)"), "ReceiptHandle": m["ReceiptHandle"] ?? ""]
                }
                _ = try? await sqs.invoke(.deleteMessageBatch, ShapeReader(["QueueUrl": .string(queueURL), "Entries": .array(entries)]),
                                          queueContext)
            }
        }
    }

    /// One record of the event Lambda sends for SQS, field for field.
    static func sqsRecord(_ message: JSONValue, source: String, region: String) -> JSONValue {
        var attributes = JSONObject()
        for m in message["Attributes"]?.objectValue ?? JSONObject() where m.key != "DeadLetterQueueSourceArn" {
            attributes.append(m.key, m.value)
        }
        var messageAttributes = JSONObject()
        for m in message["MessageAttributes"]?.objectValue ?? JSONObject() {
            var a = JSONObject()
            if let s = m.value["StringValue"] { a.append("stringValue", s) }
            if let b = m.value["BinaryValue"] { a.append("binaryValue", b) }
            a.append("stringListValues", m.value["StringListValues"] ?? .array([]))
            a.append("binaryListValues", m.value["BinaryListValues"] ?? .array([]))
            a.append("dataType", m.value["DataType"] ?? "String")
            messageAttributes.append(m.key, .object(a))
        }
        var o = JSONObject()
        o.append("messageId", message["MessageId"] ?? "")
        o.append("receiptHandle", message["ReceiptHandle"] ?? "")
        o.append("body", message["Body"] ?? "")
        o.append("attributes", .object(attributes))
        o.append("messageAttributes", .object(messageAttributes))
        o.append("md5OfBody", message["MD5OfBody"] ?? "")
        if let md5 = message["MD5OfMessageAttributes"] { o.append("md5OfMessageAttributes", md5) }
        o.append("eventSource", "aws:sqs")
        o.append("eventSourceARN", .string(source))
        o.append("awsRegion", .string(region))
        return .object(o)
    }
}
