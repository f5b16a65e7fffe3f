import Foundation
import JSON
import States
import Storage
import Wire

/// A state machine row.
struct StateMachineRecord: Sendable {
    var arn: String
    var name: String
    var type: String
    var definition: String
    var roleArn: String
    var createdAt: Int64
    var updatedAt: Int64
    var revisionId: String
    var logging: String?
    var tracing: String?
    var encryption: String?
    var tags: String

    static let columns = "arn, name, type, definition, role_arn, created_at, updated_at, revision_id, logging, tracing, encryption, tags"

    init(_ row: Statement) {
        arn = row.text(0)
        name = row.text(1)
        type = row.text(2)
        definition = row.text(3)
        roleArn = row.text(4)
        createdAt = row.int64(5)
        updatedAt = row.int64(6)
        revisionId = row.text(7)
        logging = row.optionalText(8)
        tracing = row.optionalText(9)
        encryption = row.optionalText(10)
        tags = row.text(11)
    }
}

extension Connection {
    func stateMachine(_ arn: String) throws -> StateMachineRecord? {
        try first("SELECT \(StateMachineRecord.columns) FROM sfn_state_machines WHERE arn = ?", [.text(arn)]) { StateMachineRecord($0) }
    }
}

extension StepFunctionsService {
    /// Parses a definition, turning diagnostics into AWS's InvalidDefinition message.
    static func parseDefinition(_ text: String) throws -> StateMachine {
        do {
            return try StateMachine.parse(text)
        } catch let error as DefinitionError {
            let details = error.diagnostics.map { "\($0.code): \($0.message) at \($0.location.isEmpty ? "/" : $0.location)" }
            throw SFNError.invalidDefinition("Invalid State Machine Definition: '\(details.joined(separator: ", "))'")
        }
    }

    static func validRoleArn(_ arn: String) throws {
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 6, parts[0] == "arn", parts[2] == "iam" else { throw SFNError.invalidArn(arn) }
    }

    static func jsonText(_ value: JSONValue?) -> String? { value.map { $0.jsonString } }

    func createStateMachine(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let name = try input.requiredString("name")
        guard SFNName.isValid(name) else { throw SFNError.invalidName(name) }
        let definition = try input.requiredString("definition")
        _ = try Self.parseDefinition(definition)
        let roleArn = try input.requiredString("roleArn")
        try Self.validRoleArn(roleArn)
        let type = try input.string("type") ?? "STANDARD"
        guard type == "STANDARD" || type == "EXPRESS" else {
            throw SFNError.validation("1 validation error detected: Value '\(type)' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]")
        }
        let tags = try Self.readTags(input, "tags")
        let logging = Self.jsonText(input.value("loggingConfiguration"))
        let tracing = Self.jsonText(input.value("tracingConfiguration"))
        let encryption = Self.jsonText(input.value("encryptionConfiguration"))
        let publish = try input.bool("publish") ?? false
        let versionDescription = try input.string("versionDescription")
        if versionDescription != nil && !publish {
            throw SFNError.validation("Version description can only be set when publish is true")
        }
        let arn = SFNArn.stateMachine(region: context.region, account: context.accountId, name: name)
        let now = clock.nowMilliseconds()
        let revision = UUID().uuidString.lowercased()
        let (created, versionArn): (Int64, String?) = try await database.transaction { db in
            if let existing = try db.stateMachine(arn) {
                // A different role or tags alone keep the call idempotent (and change nothing).
                guard existing.definition == definition, existing.type == type else {
                    throw SFNError.stateMachineAlreadyExists(arn)
                }
                let version = publish ? try Self.publish(existing, description: versionDescription, now: now, db: db).arn : nil
                return (existing.createdAt, version)
            }
            try db.run("""
                INSERT INTO sfn_state_machines (arn, account, region, name, type, definition, role_arn, created_at, updated_at,
                                                revision_id, logging, tracing, encryption, tags)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [.text(arn), .text(context.accountId), .text(context.region), .text(name), .text(type), .text(definition),
                      .text(roleArn), .integer(now), .integer(now), .text(revision), SQLValue(logging), SQLValue(tracing),
                      SQLValue(encryption), .text(tags.jsonString)])
            guard publish, let machine = try db.stateMachine(arn) else { return (now, nil) }
            return (now, try Self.publish(machine, description: versionDescription, now: now, db: db).arn)
        }
        var o: JSONObject = ["stateMachineArn": .string(arn), "creationDate": Self.date(created)]
        if let versionArn { o["stateMachineVersionArn"] = .string(versionArn) }
        return .object(o)
    }

    func requireMachine(_ arn: String, db: Connection) throws -> StateMachineRecord {
        guard let parsed = SFNArn(arn), parsed.kind == "stateMachine", let base = parsed.stateMachineArn else {
            throw SFNError.invalidArn(arn)
        }
        guard let record = try db.stateMachine(base) else { throw SFNError.stateMachineDoesNotExist(arn) }
        return record
    }

    func describeStateMachine(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let arn = try input.requiredString("stateMachineArn")
        let (machine, version) = try await database.transaction { [self] db -> (StateMachineRecord, (String, String, String, String?, Int64)?) in
            let machine = try requireMachine(arn, db: db)
            guard let parsed = SFNArn(arn), parsed.parts.count > 1 else { return (machine, nil) }
            guard Int(parsed.parts[1]) != nil, let v = try db.first("""
                SELECT definition, role_arn, revision_id, description, created_at FROM sfn_versions WHERE arn = ?
                """, [.text(arn)], { ($0.text(0), $0.text(1), $0.text(2), $0.optionalText(3), $0.int64(4)) })
            else { throw SFNError.stateMachineDoesNotExist(arn) }
            return (machine, v)
        }
        var record = machine
        if let version {
            record.arn = arn
            record.definition = version.0
            record.roleArn = version.1
            record.revisionId = version.2
            record.createdAt = version.4
        }
        var o = JSONObject()
        o.append("stateMachineArn", .string(record.arn))
        o.append("name", .string(record.name))
        o.append("status", "ACTIVE")
        o.append("definition", .string(record.definition))
        o.append("roleArn", .string(record.roleArn))
        o.append("type", .string(record.type))
        o.append("creationDate", Self.date(record.createdAt))
        o.append("loggingConfiguration", record.logging.flatMap { try? JSONValue.parse($0) } ?? ["level": "OFF", "includeExecutionData": false])
        o.append("tracingConfiguration", record.tracing.flatMap { try? JSONValue.parse($0) } ?? ["enabled": false])
        o.append("revisionId", .string(record.revisionId))
        if let description = version?.3 { o.append("description", .string(description)) }
        if let e = record.encryption.flatMap({ try? JSONValue.parse($0) }) { o.append("encryptionConfiguration", e) }
        return .object(o)
    }

    func updateStateMachine(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let arn = try input.requiredString("stateMachineArn")
        let definition = try input.string("definition")
        let roleArn = try input.string("roleArn")
        let logging = Self.jsonText(input.value("loggingConfiguration"))
        let tracing = Self.jsonText(input.value("tracingConfiguration"))
        guard definition != nil || roleArn != nil || logging != nil || tracing != nil else {
            throw SFNError("MissingRequiredParameter", "Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified")
        }
        if let definition { _ = try Self.parseDefinition(definition) }
        if let roleArn { try Self.validRoleArn(roleArn) }
        let publish = try input.bool("publish") ?? false
        let versionDescription = try input.string("versionDescription")
        if versionDescription != nil && !publish {
            throw SFNError.validation("Version description can only be set when publish is true")
        }
        let now = clock.nowMilliseconds()
        let newRevision = UUID().uuidString.lowercased()
        let (revision, versionArn): (String, String?) = try await database.transaction { [self] db in
            let record = try requireMachine(arn, db: db)
            // Only a change of definition or role makes a new revision.
            let changed = (definition != nil && definition != record.definition) || (roleArn != nil && roleArn != record.roleArn)
            let revision = changed ? newRevision : record.revisionId
            try db.run("""
                UPDATE sfn_state_machines SET definition = ?, role_arn = ?, logging = ?, tracing = ?, updated_at = ?, revision_id = ?
                WHERE arn = ?
                """, [.text(definition ?? record.definition), .text(roleArn ?? record.roleArn), SQLValue(logging ?? record.logging),
                      SQLValue(tracing ?? record.tracing), .integer(now), .text(revision), .text(record.arn)])
            guard publish, let updated = try db.stateMachine(record.arn) else { return (revision, nil) }
            return (revision, try Self.publish(updated, description: versionDescription, now: now, db: db).arn)
        }
        var o: JSONObject = ["updateDate": Self.date(now), "revisionId": .string(revision)]
        if let versionArn { o["stateMachineVersionArn"] = .string(versionArn) }
        return .object(o)
    }

    func deleteStateMachine(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let arn = try input.requiredString("stateMachineArn")
        guard let parsed = SFNArn(arn), parsed.kind == "stateMachine", let base = parsed.stateMachineArn else { throw SFNError.invalidArn(arn) }
        try await database.transaction { db in
            try db.run("DELETE FROM sfn_state_machines WHERE arn = ?", .text(base))
            try db.run("DELETE FROM sfn_versions WHERE state_machine_arn = ?", .text(base))
            try db.run("DELETE FROM sfn_aliases WHERE state_machine_arn = ?", .text(base))
        }
        return [:]
    }

    func listStateMachines(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let (limit, offset) = try Self.page(input)
        let account = context.accountId, region = context.region
        let rows: [JSONValue] = try await database.transaction { db in
            try db.all("""
                SELECT arn, name, type, created_at FROM sfn_state_machines WHERE account = ? AND region = ?
                ORDER BY created_at, name LIMIT ? OFFSET ?
                """, [.text(account), .text(region), .integer(Int64(limit + 1)), .integer(Int64(offset))]) { row in
                ["stateMachineArn": .string(row.text(0)), "name": .string(row.text(1)), "type": .string(row.text(2)),
                 "creationDate": Self.date(row.int64(3))]
            }
        }
        return Self.pageOutput("stateMachines", rows, limit: limit, offset: offset)
    }

    func validateStateMachineDefinition(_ input: ShapeReader) throws -> JSONValue {
        let definition = try input.requiredString("definition")
        let maxResults = try input.int("maxResults") ?? 100
        var diagnostics: [Diagnostic] = []
        do {
            _ = try StateMachine.parse(definition)
        } catch let error as DefinitionError {
            diagnostics = error.diagnostics
        }
        let shown = diagnostics.prefix(max(0, maxResults))
        return [
            "result": diagnostics.contains { $0.severity == .error } ? "FAIL" : "OK",
            "diagnostics": .array(shown.map { d in
                ["severity": .string(d.severity.rawValue), "code": .string(d.code), "message": .string(d.message),
                 "location": .string(d.location.isEmpty ? "/" : d.location)]
            }),
            "truncated": .bool(diagnostics.count > shown.count),
        ]
    }

    // MARK: paging and tags

    /// `maxResults` (default 100, up to 1000) and an offset token.
    static func page(_ input: ShapeReader) throws -> (limit: Int, offset: Int) {
        let maxResults = try input.int("maxResults") ?? 0
        guard (0...1000).contains(maxResults) else {
            throw SFNError.validation("1 validation error detected: Value '\(maxResults)' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000")
        }
        var offset = 0
        if let token = try input.string("nextToken") {
            guard let data = Data(base64Encoded: token), let text = String(data: data, encoding: .utf8), text.hasPrefix("o:"),
                  let n = Int(text.dropFirst(2)), n >= 0 else {
                throw SFNError.invalidToken("Invalid Token: '\(token)'")
            }
            offset = n
        }
        return (maxResults == 0 ? 100 : maxResults, offset)
    }

    static func pageOutput(_ key: String, _ rows: [JSONValue], limit: Int, offset: Int) -> JSONValue {
        var o = JSONObject()
        o.append(key, .array(Array(rows.prefix(limit))))
        if rows.count > limit {
            o.append("nextToken", .string(Data("o:\(offset + limit)".utf8).base64EncodedString()))
        }
        return .object(o)
    }

    static func readTags(_ input: ShapeReader, _ key: String) throws -> JSONValue {
        guard let list = try input.structureList(key) else { return .array([]) }
        guard list.count <= 50 else { throw SFNError.tooManyTags("") }
        return .array(try list.map { t in ["key": .string(try t.requiredString("key")), "value": .string(try t.string("value") ?? "")] })
    }
}
