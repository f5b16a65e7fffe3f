/// A named, ordered schema change. Each service contributes its own list; an id
/// is applied once and recorded in `offcloud_migrations`.
public struct Migration: Sendable {
    public var id: String
    public var sql: String
    public init(_ id: String, _ sql: String) {
        self.id = id
        self.sql = sql
    }
}

extension Connection {
    func apply(_ migrations: [Migration]) throws {
        try execute("CREATE TABLE IF NOT EXISTS offcloud_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        for migration in migrations {
            let done = try first("SELECT 1 FROM offcloud_migrations WHERE id = ?", [.text(migration.id)]) { _ in true }
            if done == true { continue }
            try execute(migration.sql)
            try run("INSERT INTO offcloud_migrations (id, applied_at) VALUES (?, datetime('now'))", .text(migration.id))
        }
    }
}
