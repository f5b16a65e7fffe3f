import Foundation
import JSON
import States
import Storage
import Wire

extension StepFunctionsService {
    /// Records a task token so SendTask* can tell a known token from a made-up one.
    func registerToken(_ token: String, request: TaskRequest, activityArn: String?) async throws {
        let execution = request.context["Execution"]?["Id"]?.stringValue ?? ""
        let now = clock.nowMilliseconds()
        try await database.transaction { db in
            try db.run("""
                INSERT OR REPLACE INTO sfn_task_tokens (token, execution_arn, state_name, activity_arn, input, created_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """, .text(token), .text(execution), .text(request.stateName), SQLValue(activityArn), .text(request.input.jsonString),
                .integer(now))
        }
    }

    /// Waits for a worker to answer `token`. With `HeartbeatSeconds`, a worker that
    /// neither answers nor sends a heartbeat in time fails the task with
    /// `States.HeartbeatTimeout`.
    func awaitToken(_ token: String, heartbeatSeconds: Int? = nil) async throws -> JSONValue {
        let tokens = self.tokens
        let statesClock = self.statesClock
        let clock = self.clock
        let result: Result<JSONValue, StatesError>
        if let heartbeat = heartbeatSeconds, statesClock.isReal {
            result = await withTaskGroup(of: Result<JSONValue, StatesError>?.self) { group in
                group.addTask { await tokens.wait(for: token) }
                group.addTask {
                    var lastBeat = clock.nowMilliseconds()
                    while !Task.isCancelled {
                        try? await statesClock.sleep(untilMilliseconds: lastBeat + Int64(heartbeat) * 1000)
                        if Task.isCancelled { return nil }
                        let beat = await tokens.lastHeartbeat(token) ?? lastBeat
                        if beat <= lastBeat {
                            _ = await tokens.answer(token, with: .failure(StatesError.heartbeatTimeout("")))
                            return nil
                        }
                        lastBeat = beat
                    }
                    return nil
                }
                var answer: Result<JSONValue, StatesError> = .failure(StatesError.heartbeatTimeout(""))
                for await value in group {
                    if let value {
                        answer = value
                        group.cancelAll()
                    }
                }
                return answer
            }
        } else {
            result = await tokens.wait(for: token)
        }
        await activities.remove(token: token)
        return try result.get()
    }

    func checkToken(_ token: String) async throws {
        guard !token.isEmpty, token.utf8.count <= 2048 else { throw SFNError.invalidToken("Invalid Token: '\(token)'") }
        let known = try await database.transaction { db in
            try db.first("SELECT 1 FROM sfn_task_tokens WHERE token = ?", [.text(token)]) { _ in true } ?? false
        }
        guard known else { throw SFNError.invalidToken("Invalid Token: '\(token)'") }
        // A token AWS issued whose task is already closed (answered, timed out, stopped).
        guard await tokens.isWaiting(token) else { throw SFNError.taskTimedOut() }
    }

    func sendTaskSuccess(_ input: ShapeReader) async throws -> JSONValue {
        let token = try input.requiredString("taskToken")
        let outputText = try input.requiredString("output")
        guard outputText.utf8.count <= Self.maxPayloadBytes else { throw SFNError.invalidOutput("Invalid Output: 'The output exceeds the maximum size of 262144 bytes'") }
        guard let output = try? JSONValue.parse(Array(outputText.utf8)) else {
            throw SFNError.invalidOutput("Invalid Output: '\(outputText)'")
        }
        try await checkToken(token)
        guard await tokens.answer(token, with: .success(output)) else { throw SFNError.taskTimedOut() }
        return [:]
    }

    func sendTaskFailure(_ input: ShapeReader) async throws -> JSONValue {
        let token = try input.requiredString("taskToken")
        let error = try input.string("error") ?? ""
        let cause = try input.string("cause") ?? ""
        try await checkToken(token)
        guard await tokens.answer(token, with: .failure(StatesError(error, cause))) else { throw SFNError.taskTimedOut() }
        return [:]
    }

    func sendTaskHeartbeat(_ input: ShapeReader) async throws -> JSONValue {
        let token = try input.requiredString("taskToken")
        try await checkToken(token)
        guard await tokens.heartbeat(token, at: clock.nowMilliseconds()) else { throw SFNError.taskTimedOut() }
        return [:]
    }

    // MARK: activities

    func createActivity(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let name = try input.requiredString("name")
        guard SFNName.isValid(name) else { throw SFNError.invalidName(name) }
        let tags = try Self.readTags(input, "tags")
        let arn = SFNArn.activity(region: context.region, account: context.accountId, name: name)
        let now = clock.nowMilliseconds()
        let created: Int64 = try await database.transaction { db in
            if let existing = try db.first("SELECT created_at FROM sfn_activities WHERE arn = ?", [.text(arn)], { $0.int64(0) }) {
                return existing
            }
            try db.run("INSERT INTO sfn_activities (arn, account, region, name, created_at, tags) VALUES (?, ?, ?, ?, ?, ?)",
                       .text(arn), .text(context.accountId), .text(context.region), .text(name), .integer(now), .text(tags.jsonString))
            return now
        }
        return ["activityArn": .string(arn), "creationDate": Self.date(created)]
    }

    func describeActivity(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let arn = try input.requiredString("activityArn")
        guard let parsed = SFNArn(arn), parsed.kind == "activity" else { throw SFNError.invalidArn(arn) }
        guard let (name, created) = try await database.transaction({ db in
            try db.first("SELECT name, created_at FROM sfn_activities WHERE arn = ?", [.text(arn)]) { ($0.text(0), $0.int64(1)) }
        }) else { throw SFNError.activityDoesNotExist(arn) }
        return ["activityArn": .string(arn), "name": .string(name), "creationDate": Self.date(created)]
    }

    func deleteActivity(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let arn = try input.requiredString("activityArn")
        guard let parsed = SFNArn(arn), parsed.kind == "activity" else { throw SFNError.invalidArn(arn) }
        try await database.transaction { db in try db.run("DELETE FROM sfn_activities WHERE arn = ?", .text(arn)) }
        return [:]
    }

    func listActivities(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let (limit, offset) = try Self.page(input)
        let account = context.accountId, region = context.region
        let rows: [JSONValue] = try await database.transaction { db in
            try db.all("""
                SELECT arn, name, created_at FROM sfn_activities WHERE account = ? AND region = ? ORDER BY created_at, name LIMIT ? OFFSET ?
                """, [.text(account), .text(region), .integer(Int64(limit + 1)), .integer(Int64(offset))]) { row in
                ["activityArn": .string(row.text(0)), "name": .string(row.text(1)), "creationDate": Self.date(row.int64(2))]
            }
        }
        return Self.pageOutput("activities", rows, limit: limit, offset: offset)
    }

    /// Long-polls up to 60 seconds for a scheduled activity task.
    func getActivityTask(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let arn = try input.requiredString("activityArn")
        guard let parsed = SFNArn(arn), parsed.kind == "activity" else { throw SFNError.invalidArn(arn) }
        let exists = try await database.transaction { db in
            try db.first("SELECT 1 FROM sfn_activities WHERE arn = ?", [.text(arn)]) { _ in true } ?? false
        }
        guard exists else { throw SFNError.activityDoesNotExist(arn) }
        let workerName = try input.string("workerName")
        guard let task = await activities.next(arn, waitingUpTo: 60_000) else { return [:] }
        await task.started?(workerName)
        return ["taskToken": .string(task.token), "input": .string(task.input)]
    }

    // MARK: tags

    func tagResource(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let arn = try input.requiredString("resourceArn")
        let tags = try Self.readTags(input, "tags").arrayValue ?? []
        try await updateTags(arn) { existing in
            var merged = existing
            for t in tags {
                merged.removeAll { $0["key"] == t["key"] }
                merged.append(t)
            }
            guard merged.count <= 50 else { throw SFNError.tooManyTags(arn) }
            return merged
        }
        return [:]
    }

    func untagResource(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let arn = try input.requiredString("resourceArn")
        let keys = try input.stringList("tagKeys") ?? []
        try await updateTags(arn) { existing in existing.filter { !keys.contains($0["key"]?.stringValue ?? "") } }
        return [:]
    }

    func listTagsForResource(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let arn = try input.requiredString("resourceArn")
        guard let parsed = SFNArn(arn), parsed.kind == "stateMachine" || parsed.kind == "activity" else { throw SFNError.invalidArn(arn) }
        let table = parsed.kind == "activity" ? "sfn_activities" : "sfn_state_machines"
        let text = try await database.transaction { db in
            try db.first("SELECT tags FROM \(table) WHERE arn = ?", [.text(arn)]) { $0.text(0) }
        }
        guard let text else { throw SFNError.resourceNotFound("Resource not found: '\(arn)'") }
        return ["tags": (try? JSONValue.parse(Array(text.utf8))) ?? .array([])]
    }

    /// Reads and rewrites the tags of a state machine or activity.
    func updateTags(_ arn: String, _ change: @escaping @Sendable ([JSONValue]) throws -> [JSONValue]) async throws {
        guard let parsed = SFNArn(arn), parsed.kind == "stateMachine" || parsed.kind == "activity" else { throw SFNError.invalidArn(arn) }
        let table = parsed.kind == "activity" ? "sfn_activities" : "sfn_state_machines"
        try await database.transaction { db in
            guard let text = try db.first("SELECT tags FROM \(table) WHERE arn = ?", [.text(arn)], { $0.text(0) }) else {
                throw SFNError.resourceNotFound("Resource not found: '\(arn)'")
            }
            let existing = (try? JSONValue.parse(Array(text.utf8)))?.arrayValue ?? []
            let updated = try change(existing)
            try db.run("UPDATE \(table) SET tags = ? WHERE arn = ?", .text(JSONValue.array(updated).jsonString), .text(arn))
        }
    }
}
