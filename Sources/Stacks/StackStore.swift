import JSON
import Storage

/// What each stack deployed, kept in SQLite beside the resources themselves, so a
/// restart with the same template changes nothing and a changed one changes only
/// what changed.
struct StackStore: Sendable {
    let database: Database

    static let migrations = [
        Migration("stacks-1", """
            CREATE TABLE stacks (
                name TEXT PRIMARY KEY,
                resources TEXT NOT NULL,
                created_order TEXT NOT NULL
            );
            """),
    ]

    func load(_ name: String) async throws -> (resources: [String: DeployedResource], order: [String]) {
        try await database.read { db in
            guard let (text, orderText) = try db.first("SELECT resources, created_order FROM stacks WHERE name = ?", [.text(name)],
                                                       { ($0.text(0), $0.text(1)) }),
                  let object = try JSONValue.parse(Array(text.utf8)).objectValue else { return ([:], []) }
            var resources: [String: DeployedResource] = [:]
            for member in object { resources[member.key] = DeployedResource(member.value) }
            let order = (try? JSONValue.parse(Array(orderText.utf8)).arrayValue?.compactMap(\.stringValue)) ?? nil
            return (resources, order ?? [])
        }
    }

    /// Saved after every resource, so a failed deploy resumes instead of duplicating.
    func save(_ name: String, _ resources: [String: DeployedResource], order: [String]) async throws {
        let object = JSONObject(resources.keys.sorted().map { .init($0, resources[$0]!.json) })
        let orderJSON = JSONValue.array(order.filter { resources[$0] != nil }.map { .string($0) })
        _ = try await database.transaction { db in
            try db.run("INSERT INTO stacks (name, resources, created_order) VALUES (?, ?, ?) "
                       + "ON CONFLICT(name) DO UPDATE SET resources = excluded.resources, created_order = excluded.created_order",
                       .text(name), .text(JSONValue.object(object).jsonString), .text(orderJSON.jsonString))
        }
    }
}
