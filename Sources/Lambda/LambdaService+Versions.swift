import Foundation
import JSON
import Storage
import Wire

/// Function versions (immutable snapshots of `$LATEST`) and aliases (names pointing at a
/// version, optionally splitting traffic with a second one), and the qualifier every
/// operation resolves: `name:5`, `name:live`, an ARN with either, or `Qualifier`.
extension LambdaService {
    /// The unqualified function ARN and the qualifier, from a name or ARN and an optional `Qualifier`.
    static func qualified(_ input: ShapeReader, _ context: RequestContext) throws -> (arn: String, qualifier: String?) {
        try qualified(try input.requiredString("FunctionName"), given: try input.string("Qualifier"), context)
    }

    static func qualified(_ name: String, given: String?, _ context: RequestContext) throws -> (arn: String, qualifier: String?) {
        let parts = name.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let derived: String? = switch (name.hasPrefix("arn:"), parts.count) {
        case (true, 8...): parts[7]
        case (false, 2): parts[1]
        case (false, 4...): parts[3]
        default: nil
        }
        if let derived, let given, derived != given {
            throw LambdaError.invalidParameter("The derived qualifier from the function name does not match the specified qualifier.")
        }
        let qualifier = given ?? derived
        return (arn(name, context), qualifier == "$LATEST" ? nil : qualifier)
    }

    static func isVersionNumber(_ text: String) -> Bool { !text.isEmpty && text.allSatisfy(\.isNumber) }

    /// The configuration a qualifier names, and the version that runs (`$LATEST` or a number).
    func resolve(_ arn: String, qualifier: String?, db: Connection) throws -> (FunctionConfiguration, String) {
        guard let qualifier else { return (try configuration(arn, db: db), "$LATEST") }
        if Self.isVersionNumber(qualifier) { return (try version(arn, qualifier, db: db), qualifier) }
        let alias = try storedAlias(arn, qualifier, db: db)
        var target = alias["FunctionVersion"]?.stringValue ?? "$LATEST"
        // A routing configuration sends each extra version its weight of the invocations.
        var roll = Double.random(in: 0..<1)
        for member in alias["RoutingConfig"]?["AdditionalVersionWeights"]?.objectValue ?? JSONObject() {
            let weight = Double(member.value.jsonString) ?? 0
            if roll < weight {
                target = member.key
                break
            }
            roll -= weight
        }
        if target == "$LATEST" { return (try configuration(arn, db: db), "$LATEST") }
        return (try version(arn, target, db: db), target)
    }

    func version(_ arn: String, _ number: String, db: Connection) throws -> FunctionConfiguration {
        _ = try configuration(arn, db: db)
        guard let text = try db.first("SELECT configuration FROM lambda_versions WHERE function_arn = ? AND version = ?",
                                      [.text(arn), .integer(Int64(number) ?? -1)], { $0.text(0) }),
              case .object(let o) = try JSONValue.parse(Array(text.utf8)) else {
            throw LambdaError.resourceNotFound("Function not found: \(arn):\(number)")
        }
        return FunctionConfiguration(json: o)
    }

    func storedAlias(_ arn: String, _ name: String, db: Connection) throws -> JSONObject {
        _ = try configuration(arn, db: db)
        guard let text = try db.first("SELECT definition FROM lambda_aliases WHERE function_arn = ? AND name = ?",
                                      [.text(arn), .text(name)], { $0.text(0) }),
              case .object(let o) = try JSONValue.parse(Array(text.utf8)) else {
            throw LambdaError.resourceNotFound("Cannot find alias arn: \(arn):\(name)")
        }
        return o
    }

    /// What a version must match of `$LATEST` for PublishVersion to return it instead of a new one.
    static func publishable(_ configuration: JSONObject) -> JSONObject {
        JSONObject(configuration.members.filter { !["Version", "FunctionArn", "LastModified", "RevisionId", "Description"].contains($0.key) })
    }

    func publishVersion(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let arn = Self.arn(try input.requiredString("FunctionName"), context)
        let expectedSha = try input.string("CodeSha256"), expectedRevision = try input.string("RevisionId")
        let description = try input.string("Description")
        return .object(try await database.transaction { [self] db in
            let latest = try configuration(arn, db: db).json
            if let expectedSha, latest["CodeSha256"]?.stringValue != expectedSha {
                throw LambdaError("InvalidParameterValueException", "CodeSHA256 (\(expectedSha)) is different from current CodeSHA256 in $LATEST (\(latest["CodeSha256"]?.stringValue ?? "")). Please try again with the CodeSHA256 in $LATEST.")
            }
            if let expectedRevision, latest["RevisionId"]?.stringValue != expectedRevision {
                throw LambdaError("PreconditionFailedException", "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id", status: 412)
            }
            let last = try db.first("SELECT version, configuration FROM lambda_versions WHERE function_arn = ? ORDER BY version DESC LIMIT 1",
                                    [.text(arn)], { ($0.int(0), $0.text(1)) })
            if let last, case .object(let previous) = try JSONValue.parse(Array(last.1.utf8)),
               Self.publishable(previous) == Self.publishable(latest) {
                return previous      // nothing changed since the last version: AWS returns it
            }
            let number = (last?.0 ?? 0) + 1
            var snapshot = latest
            snapshot["Version"] = .string(String(number))
            snapshot["FunctionArn"] = .string("\(arn):\(number)")
            snapshot["RevisionId"] = .string(UUID().uuidString.lowercased())
            if let description { snapshot["Description"] = .string(description) }
            try db.run("INSERT INTO lambda_versions (function_arn, version, configuration) VALUES (?, ?, ?)",
                       .text(arn), .integer(Int64(number)), .text(JSONValue.object(snapshot).jsonString))
            return snapshot
        })
    }

    func listVersionsByFunction(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let arn = Self.arn(try input.requiredString("FunctionName"), context)
        let maxItems = try input.int("MaxItems") ?? 50
        let start = Int(try input.string("Marker") ?? "0") ?? 0
        let all: [JSONValue] = try await database.read { [self] db in
            let latest = try configuration(arn, db: db).json
            let versions = try db.all("SELECT configuration FROM lambda_versions WHERE function_arn = ? ORDER BY version",
                                      [.text(arn)]) { $0.text(0) }
            return [.object(latest)] + versions.compactMap { try? JSONValue.parse(Array($0.utf8)) }
        }
        let page = Array(all.dropFirst(start).prefix(maxItems))
        var o: JSONObject = ["Versions": .array(page)]
        if start + page.count < all.count { o.append("NextMarker", .string(String(start + page.count))) }
        return .object(o)
    }

    static func checkAliasName(_ name: String) throws {
        guard !name.isEmpty, name.count <= 128, !isVersionNumber(name), name != "$LATEST",
              name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw LambdaError.validation("1 validation error detected: Value '\(name)' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)")
        }
    }

    /// The version must exist; weights must name other existing versions and sum to at most 1.
    func checkTargets(_ arn: String, version: String, routing: JSONValue?, db: Connection) throws {
        if version != "$LATEST" {
            guard Self.isVersionNumber(version) else {
                throw LambdaError.validation("1 validation error detected: Value '\(version)' at 'functionVersion' failed to satisfy constraint: Member must satisfy regular expression pattern: (\\$LATEST|[0-9]+)")
            }
            _ = try self.version(arn, version, db: db)
        }
        let weights = routing?["AdditionalVersionWeights"]?.objectValue ?? JSONObject()
        var total = 0.0
        for member in weights {
            guard let weight = Double(member.value.jsonString), weight >= 0, weight <= 1 else {
                throw LambdaError.validation("1 validation error detected: Value at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0]")
            }
            guard member.key != version else {
                throw LambdaError.invalidParameter("Invalid function version \(member.key). Function version \(member.key) is already included in routing configuration.")
            }
            guard Self.isVersionNumber(member.key) else {
                throw LambdaError.invalidParameter("Invalid function version \(member.key). Routing configuration supports only published versions.")
            }
            _ = try self.version(arn, member.key, db: db)
            total += weight
        }
        if weights.count > 1 || total > 1 {
            throw LambdaError.invalidParameter("Number of items in AdditionalVersionWeights cannot be greater than 1")
        }
    }

    func createAlias(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let arn = Self.arn(try input.requiredString("FunctionName"), context)
        let name = try input.requiredString("Name")
        try Self.checkAliasName(name)
        let version = try input.requiredString("FunctionVersion")
        let routing = input.value("RoutingConfig")
        let description = try input.string("Description") ?? ""
        return .object(try await database.transaction { [self] db in
            try checkTargets(arn, version: version, routing: routing, db: db)
            if try db.first("SELECT 1 FROM lambda_aliases WHERE function_arn = ? AND name = ?", [.text(arn), .text(name)], { _ in true }) != nil {
                throw LambdaError.conflict("Alias already exists: \(arn):\(name)")
            }
            var alias: JSONObject = ["AliasArn": .string("\(arn):\(name)"), "Name": .string(name), "FunctionVersion": .string(version),
                                     "Description": .string(description), "RevisionId": .string(UUID().uuidString.lowercased())]
            if let routing { alias.append("RoutingConfig", routing) }
            try db.run("INSERT INTO lambda_aliases (function_arn, name, definition) VALUES (?, ?, ?)",
                       .text(arn), .text(name), .text(JSONValue.object(alias).jsonString))
            return alias
        })
    }

    func getAlias(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let arn = Self.arn(try input.requiredString("FunctionName"), context)
        let name = try input.requiredString("Name")
        return .object(try await database.read { [self] db in try storedAlias(arn, name, db: db) })
    }

    func updateAlias(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let arn = Self.arn(try input.requiredString("FunctionName"), context)
        let name = try input.requiredString("Name")
        let version = try input.string("FunctionVersion"), description = try input.string("Description")
        let routing = input.value("RoutingConfig"), revision = try input.string("RevisionId")
        return .object(try await database.transaction { [self] db in
            var alias = try storedAlias(arn, name, db: db)
            if let revision, alias["RevisionId"]?.stringValue != revision {
                throw LambdaError("PreconditionFailedException", "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id", status: 412)
            }
            if let version { alias["FunctionVersion"] = .string(version) }
            if let description { alias["Description"] = .string(description) }
            if let routing { alias["RoutingConfig"] = routing }
            try checkTargets(arn, version: alias["FunctionVersion"]?.stringValue ?? "$LATEST", routing: alias["RoutingConfig"], db: db)
            alias["RevisionId"] = .string(UUID().uuidString.lowercased())
            try db.run("UPDATE lambda_aliases SET definition = ? WHERE function_arn = ? AND name = ?",
                       .text(JSONValue.object(alias).jsonString), .text(arn), .text(name))
            return alias
        })
    }

    func deleteAlias(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let arn = Self.arn(try input.requiredString("FunctionName"), context)
        let name = try input.requiredString("Name")
        try await database.transaction { [self] db in
            _ = try configuration(arn, db: db)
            // Deleting an alias that does not exist succeeds, as on AWS.
            try db.run("DELETE FROM lambda_aliases WHERE function_arn = ? AND name = ?", .text(arn), .text(name))
        }
        return [:]
    }

    func listAliases(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let arn = Self.arn(try input.requiredString("FunctionName"), context)
        let version = try input.string("FunctionVersion")
        let maxItems = try input.int("MaxItems") ?? 50
        let start = Int(try input.string("Marker") ?? "0") ?? 0
        let all: [JSONValue] = try await database.read { [self] db in
            _ = try configuration(arn, db: db)
            return try db.all("SELECT definition FROM lambda_aliases WHERE function_arn = ? ORDER BY name", [.text(arn)]) { $0.text(0) }
                .compactMap { try? JSONValue.parse(Array($0.utf8)) }
                .filter { version == nil || $0["FunctionVersion"]?.stringValue == version }
        }
        let page = Array(all.dropFirst(start).prefix(maxItems))
        var o: JSONObject = ["Aliases": .array(page)]
        if start + page.count < all.count { o.append("NextMarker", .string(String(start + page.count))) }
        return .object(o)
    }

    /// DeleteFunction with a version number deletes that version only; an alias pointing at
    /// it keeps it alive.
    func deleteVersion(_ arn: String, _ qualifier: String) async throws {
        guard Self.isVersionNumber(qualifier) else {
            throw LambdaError.invalidParameter("Deletion of aliases is not supported via DeleteFunction; use DeleteAlias, or give a version number.")
        }
        try await database.transaction { [self] db in
            _ = try version(arn, qualifier, db: db)
            let aliases = try db.all("SELECT definition FROM lambda_aliases WHERE function_arn = ?", [.text(arn)]) { $0.text(0) }
            for text in aliases {
                guard let alias = try? JSONValue.parse(Array(text.utf8)) else { continue }
                let routed = alias["RoutingConfig"]?["AdditionalVersionWeights"]?[qualifier] != nil
                if alias["FunctionVersion"]?.stringValue == qualifier || routed {
                    throw LambdaError.conflict("Unable to delete version because the following aliases reference it: [\(alias["AliasArn"]?.stringValue ?? "")]")
                }
            }
            try db.run("DELETE FROM lambda_versions WHERE function_arn = ? AND version = ?", .text(arn), .integer(Int64(qualifier) ?? -1))
        }
    }
}
