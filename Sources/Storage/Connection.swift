import CSQLite

/// One SQLite connection. It is only ever used from the database's own writer
/// thread (see `Database`), so it needs no locking of its own.
public final class Connection {
    let handle: OpaquePointer
    private var cache: [String: Statement] = [:]

    init(path: String) throws {
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open database"
            if let db { sqlite3_close_v2(db) }
            throw StorageError(code: rc, message: message)
        }
        handle = db
    }

    deinit {
        cache.removeAll()
        sqlite3_close_v2(handle)
    }

    var lastErrorMessage: String { String(cString: sqlite3_errmsg(handle)) }

    /// Runs one or more statements without parameters (schema, pragmas).
    public func execute(_ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &error)
        if rc != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? lastErrorMessage
            sqlite3_free(error)
            throw StorageError(code: rc, message: message, sql: sql)
        }
    }

    func statement(_ sql: String) throws -> Statement {
        if let cached = cache[sql] { return cached }
        let stmt = try Statement(connection: self, sql: sql)
        cache[sql] = stmt
        return stmt
    }

    /// Runs a statement that returns no rows; returns the number of rows changed.
    @discardableResult
    public func run(_ sql: String, _ values: SQLValue...) throws -> Int {
        try run(sql, values)
    }

    @discardableResult
    public func run(_ sql: String, _ values: [SQLValue]) throws -> Int {
        let stmt = try statement(sql)
        try stmt.bind(values)
        defer { sqlite3_reset(stmt.handle) }
        while try stmt.step() {}
        return Int(sqlite3_changes(handle))
    }

    /// Calls `row` for every result row; the statement is valid only inside the call.
    public func query(_ sql: String, _ values: [SQLValue] = [], row: (Statement) throws -> Void) throws {
        let stmt = try statement(sql)
        try stmt.bind(values)
        defer { sqlite3_reset(stmt.handle) }
        while try stmt.step() { try row(stmt) }
    }

    /// Maps every result row.
    public func all<T>(_ sql: String, _ values: [SQLValue] = [], _ map: (Statement) throws -> T) throws -> [T] {
        var out: [T] = []
        try query(sql, values) { out.append(try map($0)) }
        return out
    }

    /// Maps the first result row, if any.
    public func first<T>(_ sql: String, _ values: [SQLValue] = [], _ map: (Statement) throws -> T) throws -> T? {
        let stmt = try statement(sql)
        try stmt.bind(values)
        defer { sqlite3_reset(stmt.handle) }
        guard try stmt.step() else { return nil }
        return try map(stmt)
    }

    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// True when no transaction is open: after COMMIT, or after SQLite itself rolled
    /// one back (`INSERT OR ROLLBACK`, some I/O errors).
    var isAutocommit: Bool { sqlite3_get_autocommit(handle) != 0 }
}
