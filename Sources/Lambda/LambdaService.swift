import Foundation
import JSON
import Storage
import SQS
import Wire

/// The Lambda engine: functions backed by registered Swift handlers (or an external
/// command), invocations with AWS's error and log behaviour, event source mappings.
public final class LambdaService: Sendable {
    let database: Database
    let clock: any EpochClock
    public let handlers: LambdaHandlers
    /// The in-process client handlers get in their context (set once the gateway exists).
    let aws = LockedValue<(any InProcessAWS)?>(nil)
    let pollers = MappingPollers()
    /// The SQS engine event source mappings read from (set by the emulator).
    let sqsBox = LockedValue<SQSService?>(nil)

    public init(database: Database, handlers: LambdaHandlers = LambdaHandlers(), clock: any EpochClock = SystemClock()) async throws {
        self.database = database
        self.handlers = handlers
        self.clock = clock
        try await database.migrate(LambdaSchema.migrations)
    }

    /// The in-process client handlers get in their context (set once the gateway exists).
    public func connect(_ client: any InProcessAWS) { aws.value = client }

    public var endpoint: ServiceEndpoint {
        var endpoint = ServiceEndpoint(signingName: "lambda", jsonTargetPrefix: nil, jsonErrorTypePrefix: "", queryVersion: nil,
                                       xmlNamespace: "", queryCompatible: false, restRoutes: LambdaOperation.routes) { [self] name in
            guard let operation = LambdaOperation(rawValue: name) else { return nil }
            return ServiceOperation(name: name, query: QueryOperationSchema()) { input, context in
                try await self.invoke(operation, input, context)
            }
        }
        endpoint.malformedBody = { LambdaError.invalidRequestContent("Could not parse request body into json: \($0)") }
        return endpoint
    }

    public func invoke(_ operation: LambdaOperation, _ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        do {
            switch operation {
            case .createFunction: return try await createFunction(input, context)
            case .getFunction: return try await getFunction(input, context)
            case .getFunctionConfiguration: return try await getFunction(input, context)["Configuration"] ?? [:]
            case .listFunctions: return try await listFunctions(input, context)
            case .deleteFunction: return try await deleteFunction(input, context)
            case .updateFunctionConfiguration: return try await updateFunctionConfiguration(input, context)
            case .invoke: return try await invokeFunction(input, context)
            case .publishVersion: return try await publishVersion(input, context)
            case .listVersionsByFunction: return try await listVersionsByFunction(input, context)
            case .createAlias: return try await createAlias(input, context)
            case .getAlias: return try await getAlias(input, context)
            case .updateAlias: return try await updateAlias(input, context)
            case .deleteAlias: return try await deleteAlias(input, context)
            case .listAliases: return try await listAliases(input, context)
            case .createEventSourceMapping: return try await createEventSourceMapping(input, context)
            case .getEventSourceMapping: return try await getEventSourceMapping(input, context)
            case .listEventSourceMappings: return try await listEventSourceMappings(input, context)
            case .updateEventSourceMapping: return try await updateEventSourceMapping(input, context)
            case .deleteEventSourceMapping: return try await deleteEventSourceMapping(input, context)
            case .updateFunctionCode: return try await updateFunctionCode(input, context)
            case .addPermission: return try await addPermission(input, context)
            case .removePermission: return try await removePermission(input, context)
            case .getPolicy: return try await getPolicy(input, context)
            case .tagResource: return try await tagResource(input, context)
            case .untagResource: return try await untagResource(input, context)
            case .listTags: return try await listTags(input, context)
            case .getAccountSettings: return try await getAccountSettings(context)
            }
        } catch let error as ShapeError {
            switch error {
            case .missing(let path):
                throw LambdaError.validation("1 validation error detected: Value null at '\(path.prefix(1).lowercased() + path.dropFirst())' failed to satisfy constraint: Member must not be null")
            case .typeMismatch(let path, let expected, _, _):
                throw LambdaError.invalidRequestContent("Could not parse request body into json: expected \(expected) at \(path)")
            }
        }
    }

    /// `my-function`, its ARN, or `account:function:name`, to the function's ARN.
    static func arn(_ nameOrArn: String, _ context: RequestContext) -> String {
        if nameOrArn.hasPrefix("arn:") {
            let parts = nameOrArn.split(separator: ":", omittingEmptySubsequences: false)
            return parts.prefix(7).joined(separator: ":")
        }
        // `name`, `name:qualifier`, or the partial ARN `account:function:name[:qualifier]`.
        let parts = nameOrArn.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let name = parts.count >= 3 ? parts[2] : parts[0]
        return "arn:aws:lambda:\(context.region):\(context.accountId):function:\(name)"
    }

    func configuration(_ arn: String, db: Connection) throws -> FunctionConfiguration {
        guard let text = try db.first("SELECT configuration FROM lambda_functions WHERE arn = ?", [.text(arn)], { $0.text(0) }),
              case .object(let o) = try JSONValue.parse(Array(text.utf8)) else {
            throw LambdaError.functionNotFound(arn)
        }
        return FunctionConfiguration(json: o)
    }

    func createFunction(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let name = try input.requiredString("FunctionName")
        guard !name.isEmpty, name.count <= 64, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw LambdaError.validation("1 validation error detected: Value '\(name)' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?")
        }
        let arn = Self.arn(name, context)
        let configuration = try FunctionConfiguration.create(input, arn: arn, now: clock.nowMilliseconds())
        let tags = try Self.tags(input)
        try await database.transaction { db in
            if try db.first("SELECT 1 FROM lambda_functions WHERE arn = ?", [.text(arn)], { _ in true }) != nil {
                throw LambdaError.conflict("Function already exist: \(name)")
            }
            try db.run("INSERT INTO lambda_functions (arn, account, region, name, configuration) VALUES (?, ?, ?, ?, ?)",
                       .text(arn), .text(context.accountId), .text(context.region), .text(name),
                       .text(JSONValue.object(configuration.json).jsonString))
            for tag in tags { try db.run("INSERT INTO lambda_tags (arn, key, value) VALUES (?, ?, ?)", .text(arn), .text(tag.key), .text(tag.value)) }
        }
        return .object(configuration.json)
    }

    func getFunction(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let (arn, qualifier) = try Self.qualified(input, context)
        let (configuration, tags) = try await database.read { [self] db in
            (try self.resolveForDescription(arn, qualifier: qualifier, db: db), try Self.storedTags(arn, db: db))
        }
        var o: JSONObject = ["Configuration": .object(configuration.json), "Code": ["RepositoryType": "S3"]]
        if !tags.isEmpty { o.append("Tags", .object(tags)) }
        return .object(o)
    }

    func listFunctions(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let maxItems = try input.int("MaxItems") ?? 50
        let marker = try input.string("Marker") ?? ""
        let rows: [(String, String)] = try await database.read { db in
            try db.all("SELECT name, configuration FROM lambda_functions WHERE account = ? AND region = ? AND name > ? ORDER BY name LIMIT ?",
                       [.text(context.accountId), .text(context.region), .text(marker), .integer(Int64(maxItems + 1))]) { ($0.text(0), $0.text(1)) }
        }
        var o = JSONObject()
        let page = rows.prefix(maxItems)
        o.append("Functions", .array(page.compactMap { try? JSONValue.parse(Array($0.1.utf8)) }))
        if rows.count > maxItems, let last = page.last { o.append("NextMarker", .string(last.0)) }
        return .object(o)
    }

    func deleteFunction(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let (arn, qualifier) = try Self.qualified(input, context)
        if let qualifier {
            try await deleteVersion(arn, qualifier)
            return [:]
        }
        try await database.transaction { db in
            guard try db.run("DELETE FROM lambda_functions WHERE arn = ?", .text(arn)) > 0 else { throw LambdaError.functionNotFound(arn) }
            try db.run("DELETE FROM lambda_policies WHERE arn = ?", .text(arn))
            try db.run("DELETE FROM lambda_tags WHERE arn = ?", .text(arn))
            try db.run("DELETE FROM lambda_versions WHERE function_arn = ?", .text(arn))
            try db.run("DELETE FROM lambda_aliases WHERE function_arn = ?", .text(arn))
        }
        return [:]
    }

    /// GetFunction's configuration for a qualifier: an alias describes the version it points at.
    func resolveForDescription(_ arn: String, qualifier: String?, db: Connection) throws -> FunctionConfiguration {
        guard let qualifier, !Self.isVersionNumber(qualifier) else { return try resolve(arn, qualifier: qualifier, db: db).0 }
        let target = try storedAlias(arn, qualifier, db: db)["FunctionVersion"]?.stringValue ?? "$LATEST"
        var configuration = target == "$LATEST" ? try self.configuration(arn, db: db) : try version(arn, target, db: db)
        configuration.json["FunctionArn"] = .string("\(arn):\(qualifier)")
        return configuration
    }

    func updateFunctionConfiguration(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let arn = Self.arn(try input.requiredString("FunctionName"), context)
        let timeout = try FunctionConfiguration.checkedTimeout(input.int("Timeout"))
        let memory = try FunctionConfiguration.checkedMemory(input.int("MemorySize"))
        let now = clock.nowMilliseconds()
        let updated: FunctionConfiguration = try await database.transaction { [self] db in
            var c = try configuration(arn, db: db)
            if let timeout { c.json["Timeout"] = .integer(timeout) }
            if let memory { c.json["MemorySize"] = .integer(memory) }
            for key in ["Handler", "Description", "Role", "Runtime"] { if let v = try input.string(key) { c.json[key] = .string(v) } }
            if let env = input.value("Environment") { c.json["Environment"] = ["Variables": env["Variables"] ?? .object(JSONObject())] }
            c.json["LastModified"] = .string(FunctionConfiguration.timestamp(now))
            c.json["RevisionId"] = .string(UUID().uuidString.lowercased())
            try db.run("UPDATE lambda_functions SET configuration = ? WHERE arn = ?", .text(JSONValue.object(c.json).jsonString), .text(arn))
            return c
        }
        return .object(updated.json)
    }

    public func shutdown() async { await pollers.cancelAll() }
}
