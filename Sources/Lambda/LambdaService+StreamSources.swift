import Foundation
import JSON
import Storage
import Wire

/// DynamoDB stream event sources: each shard is read in order through the same
/// DynamoDB Streams operations a client calls, batches go to the function, and the
/// position is checkpointed in SQLite after each success so a restart resumes there.
extension LambdaService {
    static func isStream(_ source: String) -> Bool {
        source.hasPrefix("arn:aws:dynamodb:") && source.contains("/stream/")
    }

    /// The fields a stream mapping has beyond an SQS one, with Lambda's defaults.
    static func streamSettings(_ input: ShapeReader) throws -> [(String, JSONValue)] {
        guard let position = try input.string("StartingPosition") else {
            throw LambdaError.invalidParameter("StartingPosition must be set for a DynamoDB stream event source")
        }
        guard ["TRIM_HORIZON", "LATEST"].contains(position) else {
            throw LambdaError.invalidParameter("1 validation error detected: Value '\(position)' at 'startingPosition' failed to satisfy constraint: Member must satisfy enum value set: [TRIM_HORIZON, LATEST]")
        }
        let retries = try input.int("MaximumRetryAttempts") ?? -1
        guard (-1...10_000).contains(retries) else {
            throw LambdaError.invalidParameter("1 validation error detected: Value '\(retries)' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value between -1 and 10000")
        }
        return [("StartingPosition", .string(position)), ("MaximumRetryAttempts", .integer(retries)),
                ("MaximumRecordAgeInSeconds", .integer(try input.int("MaximumRecordAgeInSeconds") ?? -1)),
                ("BisectBatchOnFunctionError", .bool(try input.bool("BisectBatchOnFunctionError") ?? false)),
                ("ParallelizationFactor", .integer(try input.int("ParallelizationFactor") ?? 1))]
    }

    /// Lambda checks the stream when the mapping is created.
    func checkStreamExists(_ source: String) async throws {
        guard let aws = aws.value else { throw LambdaError.invalidParameter("Stream not found: \(source)") }
        do {
            _ = try await aws.call(service: "dynamodbstreams", operation: "DescribeStream", input: ["StreamArn": .string(source)])
        } catch {
            throw LambdaError.invalidParameter("Stream not found: \(source)")
        }
    }

    func checkpoint(_ uuid: String, shard: String) async -> String? {
        try? await database.read { db in
            try db.first("SELECT sequence_number FROM lambda_stream_checkpoints WHERE uuid = ? AND shard_id = ?",
                         [.text(uuid), .text(shard)]) { $0.text(0) }
        }
    }

    func saveCheckpoint(_ uuid: String, shard: String, sequenceNumber: String) async {
        _ = try? await database.transaction { db in
            try db.run("INSERT INTO lambda_stream_checkpoints (uuid, shard_id, sequence_number) VALUES (?, ?, ?) "
                       + "ON CONFLICT (uuid, shard_id) DO UPDATE SET sequence_number = excluded.sequence_number",
                       .text(uuid), .text(shard), .text(sequenceNumber))
        }
    }

    /// Sets the mapping's `LastProcessingResult` (written only when it changes).
    func recordResult(_ result: String, uuid: String, mapping: JSONObject) async {
        guard mapping["LastProcessingResult"]?.stringValue != result else { return }
        _ = try? await database.transaction { [self] db in
            var o = try self.mapping(uuid, db: db)
            o["LastProcessingResult"] = .string(result)
            try storeMapping(o, uuid, db: db)
        }
    }

    /// Reads every shard of the stream until the mapping is disabled or deleted.
    func pollStream(_ uuid: String, context: RequestContext) async {
        var iterators: [String: String] = [:]
        while !Task.isCancelled {
            guard let aws = aws.value,
                  let mapping = try? await database.read({ [self] db in try self.mapping(uuid, db: db) }),
                  mapping["State"]?.stringValue == "Enabled",
                  let source = mapping["EventSourceArn"]?.stringValue, let functionArn = mapping["FunctionArn"]?.stringValue
            else { return }
            var delivered = false
            let shards = (try? await aws.call(service: "dynamodbstreams", operation: "DescribeStream",
                                              input: ["StreamArn": .string(source)]))?["StreamDescription"]?["Shards"]?.arrayValue ?? []
            for shard in shards {
                guard let shardId = shard["ShardId"]?.stringValue else { continue }
                if iterators[shardId] == nil {
                    var request: JSONObject = ["StreamArn": .string(source), "ShardId": .string(shardId)]
                    if let sequence = await checkpoint(uuid, shard: shardId) {
                        request["ShardIteratorType"] = "AFTER_SEQUENCE_NUMBER"
                        request["SequenceNumber"] = .string(sequence)
                    } else {
                        request["ShardIteratorType"] = mapping["StartingPosition"] ?? "LATEST"
                    }
                    iterators[shardId] = try? await aws.call(service: "dynamodbstreams", operation: "GetShardIterator",
                                                             input: .object(request))["ShardIterator"]?.stringValue
                }
                guard let iterator = iterators[shardId] else { continue }
                let page: JSONValue
                do {
                    page = try await aws.call(service: "dynamodbstreams", operation: "GetRecords",
                                              input: ["ShardIterator": .string(iterator),
                                                      "Limit": .integer(min(1000, mapping["BatchSize"]?.intValue ?? 100))])
                } catch {
                    iterators[shardId] = nil  // expired or trimmed: reopen from the checkpoint
                    continue
                }
                let records = page["Records"]?.arrayValue ?? []
                if records.isEmpty {
                    iterators[shardId] = page["NextShardIterator"]?.stringValue
                    continue
                }
                delivered = true
                if await deliver(records, source: source, functionArn: functionArn, mapping: mapping, uuid: uuid,
                                 shard: shardId, context: context) {
                    iterators[shardId] = page["NextShardIterator"]?.stringValue
                } else {
                    iterators[shardId] = nil  // re-read from the checkpoint
                }
            }
            if !delivered { await clock.sleep(untilMilliseconds: clock.nowMilliseconds() + 250) }
        }
    }

    /// Invokes the function with one batch, retrying as `MaximumRetryAttempts` allows (or
    /// bisecting it first, when the mapping asks).
    /// True when the whole batch is done (processed, or given up on).
    func deliver(_ records: [JSONValue], source: String, functionArn: String, mapping: JSONObject, uuid: String,
                 shard: String, context: RequestContext) async -> Bool {
        var pending = records
        let maxRetries = mapping["MaximumRetryAttempts"]?.intValue ?? -1
        for attempt in 0..<10_000 {
            if Task.isCancelled { return false }
            let event: JSONValue = ["Records": .array(pending.map { record in
                var o = record.objectValue ?? JSONObject()
                o.append("eventSourceARN", .string(source))
                return .object(o)
            })]
            let sequences = pending.map { $0["dynamodb"]?["SequenceNumber"]?.stringValue ?? "" }
            let result = try? await invoke(function: functionArn, payload: event, context: context)
            if let result, result.error == nil {
                var firstFailed: Int?
                if mapping["FunctionResponseTypes"]?.arrayValue?.contains("ReportBatchItemFailures") == true {
                    let failed = Set((result.payload["batchItemFailures"]?.arrayValue ?? []).compactMap { $0["itemIdentifier"]?.stringValue })
                    firstFailed = sequences.firstIndex { failed.contains($0) }
                }
                guard let firstFailed else {
                    await saveCheckpoint(uuid, shard: shard, sequenceNumber: sequences.last ?? "")
                    await recordResult("OK", uuid: uuid, mapping: mapping)
                    return true
                }
                // Everything before the first reported failure is done; retry from it.
                if firstFailed > 0 { await saveCheckpoint(uuid, shard: shard, sequenceNumber: sequences[firstFailed - 1]) }
                pending = Array(pending[firstFailed...])
            }
            // BisectBatchOnFunctionError: a failed batch is split in two and each half retried on
            // its own, down to single records, so one bad record no longer holds back the rest.
            if result?.error != nil || result == nil, mapping["BisectBatchOnFunctionError"]?.boolValue == true, pending.count > 1 {
                let half = pending.count / 2
                guard await deliver(Array(pending[..<half]), source: source, functionArn: functionArn, mapping: mapping, uuid: uuid,
                                    shard: shard, context: context) else { return false }
                return await deliver(Array(pending[half...]), source: source, functionArn: functionArn, mapping: mapping, uuid: uuid,
                                     shard: shard, context: context)
            }
            if maxRetries >= 0 && attempt >= maxRetries {
                await saveCheckpoint(uuid, shard: shard, sequenceNumber: records.last?["dynamodb"]?["SequenceNumber"]?.stringValue ?? "")
                await recordResult("PROBLEM: Function call failed", uuid: uuid, mapping: mapping)
                return true
            }
            await clock.sleep(untilMilliseconds: clock.nowMilliseconds() + Int64(min(attempt + 1, 5)) * 200)
        }
        return false
    }
}
