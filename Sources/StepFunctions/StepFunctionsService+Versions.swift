import Foundation
import JSON
import States
import Storage
import Wire

/// What a state machine, version or alias ARN resolves to for an execution.
struct ExecutionTarget: Sendable {
    var machine: StateMachineRecord
    var definition: String
    var roleArn: String
    var versionArn: String?
    var aliasArn: String?
}

extension StepFunctionsService {
    /// Resolves `arn` (unqualified, `:<version>` or `:<alias>`) to the definition to run.
    func resolveTarget(_ arn: String, db: Connection) throws -> ExecutionTarget {
        let machine = try requireMachine(arn, db: db)
        guard let parsed = SFNArn(arn), parsed.parts.count > 1 else {
            return ExecutionTarget(machine: machine, definition: machine.definition, roleArn: machine.roleArn)
        }
        let qualifier = parsed.parts[1]
        if Int(qualifier) != nil {
            guard let (definition, role) = try db.first("SELECT definition, role_arn FROM sfn_versions WHERE arn = ?", [.text(arn)], {
                ($0.text(0), $0.text(1))
            }) else { throw SFNError.stateMachineDoesNotExist(arn) }
            return ExecutionTarget(machine: machine, definition: definition, roleArn: role, versionArn: arn)
        }
        guard let routing = try db.first("SELECT routing FROM sfn_aliases WHERE arn = ?", [.text(arn)], { $0.text(0) }),
              case .array(let routes)? = try? JSONValue.parse(Array(routing.utf8)) else {
            throw SFNError.stateMachineDoesNotExist(arn)
        }
        // Weighted choice between the alias's versions.
        var pick = Int.random(in: 0..<100)
        var chosen = routes.first?["stateMachineVersionArn"]?.stringValue ?? ""
        for r in routes {
            let weight = r["weight"]?.intValue ?? 0
            if pick < weight { chosen = r["stateMachineVersionArn"]?.stringValue ?? chosen; break }
            pick -= weight
        }
        var target = try resolveTarget(chosen, db: db)
        target.aliasArn = arn
        return target
    }

    /// Publishes the current revision as the next version, or returns the version that
    /// already has it.
    static func publish(_ machine: StateMachineRecord, description: String?, now: Int64, db: Connection) throws -> (arn: String, created: Int64) {
        if let existing = try db.first("""
            SELECT arn, created_at FROM sfn_versions WHERE state_machine_arn = ? AND revision_id = ? ORDER BY version DESC LIMIT 1
            """, [.text(machine.arn), .text(machine.revisionId)], { ($0.text(0), $0.int64(1)) }) {
            return existing
        }
        let version = try db.first("SELECT next_version FROM sfn_state_machines WHERE arn = ?", [.text(machine.arn)]) { $0.int64(0) } ?? 1
        let arn = "\(machine.arn):\(version)"
        try db.run("""
            INSERT INTO sfn_versions (arn, state_machine_arn, version, definition, role_arn, revision_id, description, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(arn), .text(machine.arn), .integer(version), .text(machine.definition), .text(machine.roleArn),
                  .text(machine.revisionId), SQLValue(description), .integer(now)])
        try db.run("UPDATE sfn_state_machines SET next_version = ? WHERE arn = ?", .integer(version + 1), .text(machine.arn))
        return (arn, now)
    }

    func publishStateMachineVersion(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let arn = try input.requiredString("stateMachineArn")
        let revision = try input.string("revisionId")
        let description = try input.string("description")
        let now = clock.nowMilliseconds()
        let (versionArn, created) = try await database.transaction { [self] db in
            let machine = try requireMachine(arn, db: db)
            if let revision, revision != machine.revisionId {
                throw SFNError.conflict("Failed to publish the State Machine version for revision \(revision). The current State Machine revision is \(machine.revisionId).")
            }
            return try Self.publish(machine, description: description, now: now, db: db)
        }
        return ["creationDate": Self.date(created), "stateMachineVersionArn": .string(versionArn)]
    }

    func listStateMachineVersions(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let arn = try input.requiredString("stateMachineArn")
        let (limit, offset) = try Self.page(input)
        let rows: [JSONValue] = try await database.transaction { [self] db in
            let machine = try requireMachine(arn, db: db)
            return try db.all("""
                SELECT arn, created_at FROM sfn_versions WHERE state_machine_arn = ? ORDER BY version DESC LIMIT ? OFFSET ?
                """, [.text(machine.arn), .integer(Int64(limit + 1)), .integer(Int64(offset))]) { row in
                ["stateMachineVersionArn": .string(row.text(0)), "creationDate": Self.date(row.int64(1))]
            }
        }
        return Self.pageOutput("stateMachineVersions", rows, limit: limit, offset: offset)
    }

    func deleteStateMachineVersion(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let arn = try input.requiredString("stateMachineVersionArn")
        guard let parsed = SFNArn(arn), parsed.kind == "stateMachine", parsed.parts.count == 2, Int(parsed.parts[1]) != nil else {
            throw SFNError.invalidArn(arn)
        }
        try await database.transaction { db in
            let aliases = try db.all("SELECT arn, routing FROM sfn_aliases WHERE state_machine_arn = ?",
                                     [.text(parsed.stateMachineArn ?? "")]) { ($0.text(0), $0.text(1)) }
            if let used = aliases.first(where: { $0.1.contains("\"\(arn)\"") }) {
                throw SFNError.conflict("Version to be deleted must not be referenced by an alias. Current list of aliases referencing this version: [\(used.0)]")
            }
            try db.run("DELETE FROM sfn_versions WHERE arn = ?", .text(arn))
        }
        return [:]
    }

    // MARK: aliases

    /// Reads `routingConfiguration`: one or two versions of the same state machine, weights summing to 100.
    func routing(_ input: ShapeReader, machineArn: String?, db: Connection) throws -> (machineArn: String, json: JSONValue) {
        guard let routes = try input.structureList("routingConfiguration"), (1...2).contains(routes.count) else {
            throw SFNError.validation("Routing configuration must contain one or two versions")
        }
        var total = 0
        var owner = machineArn
        var entries: [JSONValue] = []
        for r in routes {
            let versionArn = try r.requiredString("stateMachineVersionArn")
            let weight = try r.requiredInt("weight")
            guard (0...100).contains(weight) else { throw SFNError.validation("Routing weights must be between 0 and 100") }
            guard let parsed = SFNArn(versionArn), parsed.parts.count == 2, Int(parsed.parts[1]) != nil,
                  let base = parsed.stateMachineArn else { throw SFNError.invalidArn(versionArn) }
            if let owner, owner != base { throw SFNError.validation("All versions in a routing configuration must belong to the same state machine") }
            owner = base
            guard try db.first("SELECT 1 FROM sfn_versions WHERE arn = ?", [.text(versionArn)], { _ in true }) != nil else {
                throw SFNError.resourceNotFound("Resource not found: '\(versionArn)'")
            }
            total += weight
            entries.append(["stateMachineVersionArn": .string(versionArn), "weight": .integer(weight)])
        }
        guard total == 100 else { throw SFNError.validation("Routing weights must sum to 100") }
        return (owner!, .array(entries))
    }

    func createStateMachineAlias(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let name = try input.requiredString("name")
        guard SFNName.isValid(name), Int(name) == nil else { throw SFNError.invalidName(name) }
        let description = try input.string("description")
        let now = clock.nowMilliseconds()
        let (arn, created): (String, Int64) = try await database.transaction { [self] db in
            let (machineArn, routes) = try routing(input, machineArn: nil, db: db)
            let arn = "\(machineArn):\(name)"
            if let existing = try db.first("SELECT routing, description, created_at FROM sfn_aliases WHERE arn = ?", [.text(arn)], {
                ($0.text(0), $0.optionalText(1), $0.int64(2))
            }) {
                guard existing.0 == routes.jsonString, existing.1 == description else {
                    throw SFNError.conflict("Failed to create alias because an alias with the same name and a different routing configuration already exists.")
                }
                return (arn, existing.2)
            }
            try db.run("""
                INSERT INTO sfn_aliases (arn, state_machine_arn, name, description, routing, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, .text(arn), .text(machineArn), .text(name), SQLValue(description), .text(routes.jsonString), .integer(now), .integer(now))
            return (arn, now)
        }
        return ["stateMachineAliasArn": .string(arn), "creationDate": Self.date(created)]
    }

    func describeStateMachineAlias(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let arn = try input.requiredString("stateMachineAliasArn")
        guard SFNArn(arn)?.parts.count == 2 else { throw SFNError.invalidArn(arn) }
        guard let row = try await database.transaction({ db in
            try db.first("SELECT name, description, routing, created_at, updated_at FROM sfn_aliases WHERE arn = ?", [.text(arn)]) {
                ($0.text(0), $0.optionalText(1), $0.text(2), $0.int64(3), $0.int64(4))
            }
        }) else { throw SFNError.resourceNotFound("Resource not found: '\(arn)'") }
        var o = JSONObject()
        o.append("stateMachineAliasArn", .string(arn))
        o.append("name", .string(row.0))
        if let d = row.1 { o.append("description", .string(d)) }
        o.append("routingConfiguration", (try? JSONValue.parse(Array(row.2.utf8))) ?? .array([]))
        o.append("creationDate", Self.date(row.3))
        o.append("updateDate", Self.date(row.4))
        return .object(o)
    }

    func updateStateMachineAlias(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let arn = try input.requiredString("stateMachineAliasArn")
        guard let parsed = SFNArn(arn), parsed.parts.count == 2 else { throw SFNError.invalidArn(arn) }
        let description = try input.string("description")
        guard description != nil || input.has("routingConfiguration") else {
            throw SFNError.validation("Either the description or the RoutingConfiguration must be specified")
        }
        let now = clock.nowMilliseconds()
        try await database.transaction { [self] db in
            guard try db.first("SELECT 1 FROM sfn_aliases WHERE arn = ?", [.text(arn)], { _ in true }) != nil else {
                throw SFNError.resourceNotFound("Resource not found: '\(arn)'")
            }
            if input.has("routingConfiguration") {
                let (_, routes) = try routing(input, machineArn: parsed.stateMachineArn, db: db)
                try db.run("UPDATE sfn_aliases SET routing = ? WHERE arn = ?", .text(routes.jsonString), .text(arn))
            }
            if let description { try db.run("UPDATE sfn_aliases SET description = ? WHERE arn = ?", .text(description), .text(arn)) }
            try db.run("UPDATE sfn_aliases SET updated_at = ? WHERE arn = ?", .integer(now), .text(arn))
        }
        return ["updateDate": Self.date(now)]
    }

    func deleteStateMachineAlias(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let arn = try input.requiredString("stateMachineAliasArn")
        guard SFNArn(arn)?.parts.count == 2 else { throw SFNError.invalidArn(arn) }
        try await database.transaction { db in try db.run("DELETE FROM sfn_aliases WHERE arn = ?", .text(arn)) }
        return [:]
    }

    func listStateMachineAliases(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let arn = try input.requiredString("stateMachineArn")
        let (limit, offset) = try Self.page(input)
        let rows: [JSONValue] = try await database.transaction { [self] db in
            let machine = try requireMachine(arn, db: db)
            return try db.all("""
                SELECT arn, created_at FROM sfn_aliases WHERE state_machine_arn = ? ORDER BY created_at, name LIMIT ? OFFSET ?
                """, [.text(machine.arn), .integer(Int64(limit + 1)), .integer(Int64(offset))]) { row in
                ["stateMachineAliasArn": .string(row.text(0)), "creationDate": Self.date(row.int64(1))]
            }
        }
        return Self.pageOutput("stateMachineAliases", rows, limit: limit, offset: offset)
    }
}
