import XCTest
@testable import Storage

/// Values bound and read back through cached prepared statements.
final class StatementTests: XCTestCase {
    var db: Database!

    override func setUp() async throws {
        db = try Database(path: nil)
        try await db.migrate([Migration("1", "CREATE TABLE v (id INTEGER PRIMARY KEY, a, b)")])
    }

    override func tearDown() async throws {
        db.close()
        db = nil
    }

    func testValuesRoundTrip() async throws {
        let values: [SQLValue] = [
            .null,
            .integer(0), .integer(Int64.max), .integer(Int64.min), .integer(-1),
            .real(1.5), .real(-0.25), .real(1e300),
            .text(""), .text("plain"), .text("é€😀"), .text("nul\u{0}inside"), .text(String(repeating: "x", count: 100_000)),
            .blob([]), .blob([0]), .blob([0, 1, 2, 0, 255]), .blob([UInt8](repeating: 0xAB, count: 70_000)),
        ]
        let read = try await db.transaction { c -> [SQLValue] in
            for v in values { try c.run("INSERT INTO v (a) VALUES (?)", v) }
            return try c.all("SELECT typeof(a), a FROM v ORDER BY id") { row -> SQLValue in
                switch row.text(0) {
                case "null": return .null
                case "integer": return .integer(row.int64(1))
                case "real": return .real(row.double(1))
                case "text": return .text(row.text(1))
                case "blob": return .blob(row.blob(1))
                default: return .text("unexpected type \(row.text(0))")
                }
            }
        }
        XCTAssertEqual(read.count, values.count)
        for (expected, actual) in zip(values, read) {
            XCTAssertEqual(actual, expected)
        }
    }

    func testNullReadersAndConvenienceInitialisers() async throws {
        let row = try await db.transaction { c in
            try c.run("INSERT INTO v (a, b) VALUES (?, ?)", [SQLValue(nil as String?), SQLValue(true)])
            try c.run("INSERT INTO v (a, b) VALUES (?, ?)", [SQLValue("s" as String?), SQLValue(7 as Int64?)])
            return try c.all("SELECT a, b FROM v ORDER BY id") {
                ($0.isNull(0), $0.optionalText(0), $0.optionalInt64(1), $0.bool(1), $0.text(0))
            }
        }
        XCTAssertEqual(row.count, 2)
        XCTAssertEqual(row[0].0, true)
        XCTAssertNil(row[0].1)
        XCTAssertEqual(row[0].2, 1)
        XCTAssertEqual(row[0].3, true)
        XCTAssertEqual(row[0].4, "", "text() of NULL is empty")
        XCTAssertEqual(row[1].1, "s")
        XCTAssertEqual(row[1].2, 7)
        XCTAssertEqual(SQLValue(42), .integer(42))
        XCTAssertEqual(SQLValue(nil as Int64?), .null)
        let literal: SQLValue = "x"
        XCTAssertEqual(literal, .text("x"))
    }

    func testAPreparedStatementIsReusedWithFreshBindings() async throws {
        let sql = "INSERT INTO v (a, b) VALUES (?, ?)"
        let rows = try await db.transaction { c -> [(Int64?, String?)] in
            for i in 0..<100 {
                try c.run(sql, .integer(Int64(i)), .text("row \(i)"))
            }
            // Fewer values than parameters: the previous bindings are cleared, not kept.
            try c.run(sql, .integer(100))
            return try c.all("SELECT a, b FROM v ORDER BY id") { ($0.optionalInt64(0), $0.optionalText(1)) }
        }
        XCTAssertEqual(rows.count, 101)
        XCTAssertEqual(rows[42].0, 42)
        XCTAssertEqual(rows[42].1, "row 42")
        XCTAssertEqual(rows[100].0, 100)
        XCTAssertNil(rows[100].1, "b was not bound the last time")

        let lookups = try await db.transaction { c in
            try [7, 3, 99, 1000].map { i in
                try c.first("SELECT b FROM v WHERE a = ?", [.integer(Int64(i))]) { $0.text(0) }
            }
        }
        XCTAssertEqual(lookups, ["row 7", "row 3", "row 99", nil])
    }

    func testAStatementIsUsableAgainAfterItsRowCallbackThrows() async throws {
        struct Stop: Error {}
        let count = try await db.transaction { c -> Int in
            for i in 0..<5 { try c.run("INSERT INTO v (a) VALUES (?)", .integer(Int64(i))) }
            let sql = "SELECT a FROM v ORDER BY id"
            do {
                try c.query(sql) { _ in throw Stop() }
            } catch is Stop {}
            return try c.all(sql) { $0.int(0) }.count
        }
        XCTAssertEqual(count, 5)
    }

    func testRunReportsChangedRowsAndInsertIDs() async throws {
        let (changed, lastID, updated) = try await db.transaction { c in
            try c.run("INSERT INTO v (a) VALUES (1), (2), (3)")
            let changed = try c.run("INSERT INTO v (a) VALUES (4)")
            let lastID = c.lastInsertRowID
            let updated = try c.run("UPDATE v SET b = 'x' WHERE a > ?", .integer(1))
            return (changed, lastID, updated)
        }
        XCTAssertEqual(changed, 1)
        XCTAssertEqual(lastID, 4)
        XCTAssertEqual(updated, 3)
    }

    func testBadSQLReportsTheStatement() async throws {
        do {
            _ = try await db.transaction { c in try c.run("SELEC 1") }
            XCTFail("bad SQL must throw")
        } catch let error as StorageError {
            XCTAssertEqual(error.code, 1, "SQLITE_ERROR")
            XCTAssertEqual(error.sql, "SELEC 1")
            XCTAssertTrue(error.description.contains("syntax error"), error.description)
        }
        do {
            _ = try await db.transaction { c in try c.run("INSERT INTO v (a) VALUES (?)", .integer(1), .integer(2)) }
            XCTFail("too many bindings must throw")
        } catch let error as StorageError {
            XCTAssertEqual(error.code, 25, "SQLITE_RANGE")
        }
    }
}
