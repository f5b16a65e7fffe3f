import Foundation
import JSON
import Storage
import Wire

/// API Gateway v2: APIs and their routes, integrations, stages and deployments, each
/// stored as the JSON API Gateway returns (camelCase, as on the wire).
public final class APIGatewayService: Sendable {
    let database: Database
    let clock: any EpochClock
    let cache = DeployedAPICache()

    public init(database: Database, clock: any EpochClock = SystemClock()) async throws {
        self.database = database
        self.clock = clock
        try await database.migrate(APIGatewaySchema.migrations)
    }

    public var endpoint: ServiceEndpoint {
        var endpoint = ServiceEndpoint(signingName: "apigateway", jsonTargetPrefix: nil, jsonErrorTypePrefix: "", queryVersion: nil,
                                       xmlNamespace: "", queryCompatible: false, restRoutes: APIGatewayOperation.routes) { [self] name in
            guard let operation = APIGatewayOperation(name) else { return nil }
            return ServiceOperation(name: name, query: QueryOperationSchema()) { input, context in
                try await self.invoke(operation, input, context)
            }
        }
        endpoint.malformedBody = { APIGatewayError.badRequest("Invalid request body: \($0)") }
        return endpoint
    }

    public func invoke(_ operation: APIGatewayOperation, _ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        // Invalidated before and after a write, so no read racing it keeps stale rows.
        let writes = operation.verb != .get && operation.verb != .list
        if writes { cache.invalidate() }
        defer { if writes { cache.invalidate() } }
        do {
            guard let kind = operation.kind else { return try await api(operation.verb, input, context) }
            return try await resource(operation.verb, kind, input, context)
        } catch let error as ShapeError {
            throw APIGatewayError.badRequest("Invalid input: \(error.memberName)")
        }
    }

    /// Ten lower-case letters and digits, as API Gateway's identifiers.
    static func identifier() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        return String((0..<10).map { _ in alphabet.randomElement()! })
    }

    func timestamp() -> String {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: Date(timeIntervalSince1970: Double(clock.nowMilliseconds() / 1000)))
    }

    /// What GetApi answers: the stored definition plus the endpoint as the client reaches it.
    static func presented(_ api: JSONObject, host: String) -> JSONValue {
        var o = api
        let id = api["apiId"]?.stringValue ?? ""
        let scheme = api["protocolType"]?.stringValue == "WEBSOCKET" ? "ws" : "http"
        o["apiEndpoint"] = .string("\(scheme)://\(host)/_aws/execute-api/\(id)")
        return .object(o)
    }

    func storedAPI(_ id: String, db: Connection) throws -> JSONObject {
        guard let text = try db.first("SELECT definition FROM apigateway_apis WHERE api_id = ?", [.text(id)], { $0.text(0) }),
              let o = try JSONValue.parse(Array(text.utf8)).objectValue else {
            throw APIGatewayError.notFound("API", id)
        }
        return o
    }

    func api(_ verb: APIGatewayOperation.Verb, _ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        switch verb {
        case .create:
            let definition = try APIDefinition.create(input, id: Self.identifier(), created: timestamp())
            try await database.transaction { db in
                try db.run("INSERT INTO apigateway_apis (api_id, account, region, definition) VALUES (?, ?, ?, ?)",
                           .text(definition["apiId"]?.stringValue ?? ""), .text(context.accountId), .text(context.region),
                           .text(JSONValue.object(definition).jsonString))
            }
            return Self.presented(definition, host: context.host)
        case .get:
            let id = try input.requiredString("apiId")
            return Self.presented(try await database.read { [self] db in try storedAPI(id, db: db) }, host: context.host)
        case .list:
            let rows = try await database.read { db in
                try db.all("SELECT definition FROM apigateway_apis WHERE account = ? AND region = ? ORDER BY api_id",
                           [.text(context.accountId), .text(context.region)]) { $0.text(0) }
            }
            return ["items": .array(rows.compactMap { try? JSONValue.parse(Array($0.utf8)).objectValue }.map { Self.presented($0, host: context.host) })]
        case .update:
            let id = try input.requiredString("apiId")
            let updated: JSONObject = try await database.transaction { [self] db in
                var o = try storedAPI(id, db: db)
                try APIDefinition.update(&o, input)
                try db.run("UPDATE apigateway_apis SET definition = ? WHERE api_id = ?", .text(JSONValue.object(o).jsonString), .text(id))
                return o
            }
            return Self.presented(updated, host: context.host)
        case .delete:
            let id = try input.requiredString("apiId")
            try await database.transaction { db in
                guard try db.run("DELETE FROM apigateway_apis WHERE api_id = ?", .text(id)) > 0 else { throw APIGatewayError.notFound("API", id) }
                try db.run("DELETE FROM apigateway_resources WHERE api_id = ?", .text(id))
            }
            return [:]
        }
    }

    func resource(_ verb: APIGatewayOperation.Verb, _ kind: ResourceKind, _ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let apiId = try input.requiredString("apiId")
        // A route or integration response is stored under its parent: `routeId/routeResponseId`.
        let parentId = try kind.parent.map { try input.requiredString($0.idMember) }
        @Sendable func key(_ id: String) -> String { parentId.map { "\($0)/\(id)" } ?? id }
        @Sendable func checkParent(_ db: Connection) throws {
            if let parent = kind.parent, let parentId { _ = try stored(parent, apiId: apiId, id: parentId, db: db) }
        }
        switch verb {
        case .create:
            let now = timestamp()
            let created: JSONObject = try await database.transaction { [self] db in
                let api = try storedAPI(apiId, db: db)
                try checkParent(db)
                let definition = try ResourceDefinition.create(kind, input, api: api, id: Self.identifier(), created: now)
                let id = key(definition[kind.idMember]?.stringValue ?? "")
                if try db.first("SELECT 1 FROM apigateway_resources WHERE api_id = ? AND kind = ? AND id = ?",
                                [.text(apiId), .text(kind.rawValue), .text(id)], { _ in true }) != nil {
                    throw APIGatewayError.conflict("\(kind.operationNoun) already exists for this API: \(id)")
                }
                if kind == .route, let key = definition["routeKey"]?.stringValue,
                   try db.all("SELECT definition FROM apigateway_resources WHERE api_id = ? AND kind = 'route'", [.text(apiId)], { $0.text(0) })
                    .contains(where: { (try? JSONValue.parse(Array($0.utf8)))?["routeKey"]?.stringValue == key }) {
                    throw APIGatewayError.conflict("Unable to create route \(key). A route with the same key already exists.")
                }
                try db.run("INSERT INTO apigateway_resources (api_id, kind, id, definition) VALUES (?, ?, ?, ?)",
                           .text(apiId), .text(kind.rawValue), .text(id), .text(JSONValue.object(definition).jsonString))
                return definition
            }
            return .object(created)
        case .get:
            let id = key(try input.requiredString(kind.idMember))
            return .object(try await database.read { [self] db in
                try checkParent(db)
                return try stored(kind, apiId: apiId, id: id, db: db)
            })
        case .list:
            let rows = try await database.read { [self] db in
                _ = try storedAPI(apiId, db: db)
                try checkParent(db)
                let all = try db.all("SELECT id, definition FROM apigateway_resources WHERE api_id = ? AND kind = ? ORDER BY rowid",
                                     [.text(apiId), .text(kind.rawValue)]) { ($0.text(0), $0.text(1)) }
                return all.filter { parentId == nil || $0.0.hasPrefix(parentId! + "/") }.map(\.1)
            }
            return ["items": .array(rows.compactMap { try? JSONValue.parse(Array($0.utf8)) })]
        case .update:
            let id = key(try input.requiredString(kind.idMember))
            let now = timestamp()
            return .object(try await database.transaction { [self] db in
                let api = try storedAPI(apiId, db: db)
                try checkParent(db)
                var o = try stored(kind, apiId: apiId, id: id, db: db)
                try ResourceDefinition.update(kind, &o, input, api: api, updated: now)
                try db.run("UPDATE apigateway_resources SET definition = ? WHERE api_id = ? AND kind = ? AND id = ?",
                           .text(JSONValue.object(o).jsonString), .text(apiId), .text(kind.rawValue), .text(id))
                return o
            })
        case .delete:
            let id = key(try input.requiredString(kind.idMember))
            try await database.transaction { [self] db in
                _ = try storedAPI(apiId, db: db)
                try checkParent(db)
                guard try db.run("DELETE FROM apigateway_resources WHERE api_id = ? AND kind = ? AND id = ?",
                                 .text(apiId), .text(kind.rawValue), .text(id)) > 0 else {
                    throw APIGatewayError.notFound(kind.operationNoun, String(id.split(separator: "/").last ?? ""))
                }
                // A route's or integration's responses go with it.
                if let child = ResourceKind.allCases.first(where: { $0.parent == kind }) {
                    try db.run("DELETE FROM apigateway_resources WHERE api_id = ? AND kind = ? AND substr(id, 1, ?) = ?",
                               .text(apiId), .text(child.rawValue), .integer(Int64(id.utf8.count + 1)), .text(id + "/"))
                }
            }
            return [:]
        }
    }

    func stored(_ kind: ResourceKind, apiId: String, id: String, db: Connection) throws -> JSONObject {
        _ = try storedAPI(apiId, db: db)
        guard let text = try db.first("SELECT definition FROM apigateway_resources WHERE api_id = ? AND kind = ? AND id = ?",
                                      [.text(apiId), .text(kind.rawValue), .text(id)], { $0.text(0) }),
              let o = try JSONValue.parse(Array(text.utf8)).objectValue else {
            throw APIGatewayError.notFound(kind.operationNoun, String(id.split(separator: "/").last ?? ""))
        }
        return o
    }

    /// An API with its routes, integrations and stages, for the runtime.
    public func deployedAPI(_ apiId: String) async throws -> DeployedAPI? {
        let generation = database.generation
        if let cached = cache.lookup(apiId, generation: generation) { return cached }
        let version = cache.version
        let deployed = try await loadDeployedAPI(apiId)
        cache.store(apiId, deployed, generation: generation, version: version)
        return deployed
    }

    func loadDeployedAPI(_ apiId: String) async throws -> DeployedAPI? {
        try await database.read { db -> DeployedAPI? in
            guard let (text, account, region) = try db.first("SELECT definition, account, region FROM apigateway_apis WHERE api_id = ?",
                                                             [.text(apiId)], { ($0.text(0), $0.text(1), $0.text(2)) }),
                  let api = try JSONValue.parse(Array(text.utf8)).objectValue
            else { return nil }
            var resources: [ResourceKind: [JSONObject]] = [:]
            for (kind, id, definition) in try db.all("SELECT kind, id, definition FROM apigateway_resources WHERE api_id = ? ORDER BY rowid",
                                                     [.text(apiId)], { ($0.text(0), $0.text(1), $0.text(2)) }) {
                guard let kind = ResourceKind(rawValue: kind), var o = try? JSONValue.parse(Array(definition.utf8)).objectValue else { continue }
                // The runtime finds a response by its parent's id.
                if let parent = kind.parent { o[parent.idMember] = .string(String(id.prefix { $0 != "/" })) }
                resources[kind, default: []].append(o)
            }
            return DeployedAPI(api: api, account: account, region: region, routes: resources[.route] ?? [],
                               integrations: resources[.integration] ?? [], stages: resources[.stage] ?? [],
                               authorizers: resources[.authorizer] ?? [], routeResponses: resources[.routeResponse] ?? [],
                               integrationResponses: resources[.integrationResponse] ?? [])
        }
    }
}

/// Deployed APIs as the runtime last read them. Any control-plane write bumps the
/// version and a database reset bumps its generation; either makes entries stale.
final class DeployedAPICache: @unchecked Sendable {
    // @unchecked: every field is guarded by `lock`.
    private let lock = NSLock()
    private var entries: [String: (api: DeployedAPI?, generation: Int, version: Int)] = [:]
    private var _version = 0

    var version: Int { lock.withLock { _version } }

    func invalidate() {
        lock.withLock {
            _version += 1
            entries.removeAll()
        }
    }

    func lookup(_ apiId: String, generation: Int) -> DeployedAPI?? {
        lock.withLock {
            guard let entry = entries[apiId], entry.generation == generation, entry.version == _version else { return nil }
            return .some(entry.api)
        }
    }

    /// Keeps what was read unless a write happened meanwhile.
    func store(_ apiId: String, _ api: DeployedAPI?, generation: Int, version: Int) {
        lock.withLock {
            guard version == _version else { return }
            if entries.count > 1_000 { entries.removeAll() }
            entries[apiId] = (api, generation, version)
        }
    }
}
