import Foundation
import XCTest
@testable import Storage

struct JobFailed: Error, Equatable {
    var index: Int
}

/// Which of the concurrent jobs throw after writing.
func jobFails(_ i: Int) -> Bool { i % 7 == 3 }

/// A temporary directory removed when the test ends.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("offcloud-storage-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: url) }
}

final class MigrationTests: XCTestCase {
    static let first = [
        Migration("1-items", "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL)"),
        Migration("2-seed", "INSERT INTO items (name) VALUES ('seed')"),
    ]

    func testMigrationsApplyOnceAndAreRecordedInOrder() async throws {
        let db = try Database(path: nil)
        defer { db.close() }
        try await db.migrate(Self.first)
        // Running the same list again must not re-run the seed (or fail on CREATE TABLE).
        try await db.migrate(Self.first)
        try await db.migrate(Self.first + [Migration("3-more", "INSERT INTO items (name) VALUES ('more')")])
        let names = try await db.transaction { c in try c.all("SELECT name FROM items ORDER BY id") { $0.text(0) } }
        XCTAssertEqual(names, ["seed", "more"])
        let ids = try await db.transaction { c in try c.all("SELECT id FROM offcloud_migrations ORDER BY rowid") { $0.text(0) } }
        XCTAssertEqual(ids, ["1-items", "2-seed", "3-more"])
        let stamped = try await db.transaction { c in
            try c.first("SELECT COUNT(*) FROM offcloud_migrations WHERE applied_at LIKE '____-__-__ __:__:__'") { $0.int(0) }
        }
        XCTAssertEqual(stamped, 3)
    }

    func testAFailingMigrationRollsBackTheWholeRun() async throws {
        let db = try Database(path: nil)
        defer { db.close() }
        do {
            try await db.migrate(Self.first + [Migration("3-broken", "INSERT INTO no_such_table VALUES (1)")])
            XCTFail("a broken migration must throw")
        } catch let error as StorageError {
            XCTAssertTrue(error.message.contains("no_such_table"), error.description)
        }
        let tables = try await db.transaction { c in
            try c.all("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name") { $0.text(0) }
        }
        XCTAssertEqual(tables, [], "nothing of the failed run remains, not even the record table")
        // Fixed, the run applies cleanly.
        try await db.migrate(Self.first)
        let count = try await db.transaction { c in try c.first("SELECT COUNT(*) FROM items") { $0.int(0) } }
        XCTAssertEqual(count, 1)
    }

    func testResetEmptiesTablesButKeepsMigrations() async throws {
        let db = try Database(path: nil)
        defer { db.close() }
        try await db.migrate(Self.first)
        _ = try await db.transaction { c in try c.run("INSERT INTO items (name) VALUES ('x')") }
        try await db.reset()
        let count = try await db.transaction { c in try c.first("SELECT COUNT(*) FROM items") { $0.int(0) } }
        XCTAssertEqual(count, 0)
        let migrations = try await db.transaction { c in try c.first("SELECT COUNT(*) FROM offcloud_migrations") { $0.int(0) } }
        XCTAssertEqual(migrations, 2)
        // The seed is recorded as applied, so migrating again does not bring it back.
        try await db.migrate(Self.first)
        let after = try await db.transaction { c in try c.first("SELECT COUNT(*) FROM items") { $0.int(0) } }
        XCTAssertEqual(after, 0)
    }
}

final class GroupCommitTests: XCTestCase {
    func testAThrowingJobRollsBackOnlyItsOwnWrites() async throws {
        let db = try Database(path: nil)
        defer { db.close() }
        try await db.transaction { c in try c.execute("CREATE TABLE t (job INTEGER NOT NULL, step INTEGER NOT NULL)") }

        let jobs = 200
        let outcomes: [(Int, Result<Int, JobFailed>)] = await withTaskGroup(of: (Int, Result<Int, JobFailed>).self) { group in
            for i in 0..<jobs {
                group.addTask {
                    do {
                        let value = try await db.transaction { c -> Int in
                            // Two writes, then maybe a failure: both writes must vanish together.
                            try c.run("INSERT INTO t (job, step) VALUES (?, 1)", .integer(Int64(i)))
                            try c.run("INSERT INTO t (job, step) VALUES (?, 2)", .integer(Int64(i)))
                            if jobFails(i) { throw JobFailed(index: i) }
                            return i * 10
                        }
                        return (i, .success(value))
                    } catch let error as JobFailed {
                        return (i, .failure(error))
                    } catch {
                        XCTFail("job \(i): unexpected \(error)")
                        return (i, .failure(JobFailed(index: -1)))
                    }
                }
            }
            var all: [(Int, Result<Int, JobFailed>)] = []
            for await outcome in group { all.append(outcome) }
            return all
        }

        XCTAssertEqual(outcomes.count, jobs)
        for (i, result) in outcomes {
            switch result {
            case .success(let value):
                XCTAssertFalse(jobFails(i), "job \(i) should have failed")
                XCTAssertEqual(value, i * 10, "each caller gets its own result")
            case .failure(let error):
                XCTAssertTrue(jobFails(i), "job \(i) should have committed")
                XCTAssertEqual(error, JobFailed(index: i), "each caller gets its own error")
            }
        }
        let rows = try await db.transaction { c in
            try c.all("SELECT job, COUNT(*) FROM t GROUP BY job ORDER BY job") { ($0.int(0), $0.int(1)) }
        }
        let expected = (0..<jobs).filter { !jobFails($0) }
        XCTAssertEqual(rows.map(\.0), expected)
        XCTAssertTrue(rows.allSatisfy { $0.1 == 2 }, "committed jobs keep both writes")
    }

    func testASQLErrorInsideAJobFailsThatJobOnly() async throws {
        let db = try Database(path: nil)
        defer { db.close() }
        try await db.transaction { c in try c.execute("CREATE TABLE u (k TEXT PRIMARY KEY)") }
        _ = try await db.transaction { c in try c.run("INSERT INTO u VALUES ('taken')") }
        async let good: Void = db.transaction { c in try c.run("INSERT INTO u VALUES ('fresh')") }
        async let bad: Void = db.transaction { c in
            try c.run("INSERT INTO u VALUES ('other')")
            try c.run("INSERT INTO u VALUES ('taken')")
        }
        do {
            try await bad
            XCTFail("duplicate key must fail")
        } catch let error as StorageError {
            XCTAssertEqual(error.code, 19, "SQLITE_CONSTRAINT")
            XCTAssertEqual(error.sql, "INSERT INTO u VALUES ('taken')")
        }
        try await good
        let keys = try await db.transaction { c in try c.all("SELECT k FROM u ORDER BY k") { $0.text(0) } }
        XCTAssertEqual(keys, ["fresh", "taken"])
    }

    func testTransactionsAfterCloseFail() async throws {
        let db = try Database(path: nil)
        db.close()
        do {
            try await db.transaction { c in try c.execute("SELECT 1") }
            XCTFail("a closed database must refuse work")
        } catch let error as StorageError {
            XCTAssertEqual(error.message, "database is closed")
        }
    }
}

final class PersistenceTests: XCTestCase {
    func testDataPersistsAcrossCloseAndReopen() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("offcloud.sqlite")
        let migrations = [Migration("1", "CREATE TABLE kv (k TEXT PRIMARY KEY, v BLOB)")]

        let first = try Database(path: path)
        try await first.migrate(migrations)
        for i in 0..<20 {
            _ = try await first.transaction { c in try c.run("INSERT INTO kv VALUES (?, ?)", .text("k\(i)"), .blob([UInt8(i), 0, 255])) }
        }
        first.close()

        let second = try Database(path: path, durability: .normal)
        defer { second.close() }
        try await second.migrate(migrations)
        let rows = try await second.transaction { c in
            try c.all("SELECT k, v FROM kv ORDER BY rowid") { ($0.text(0), $0.blob(1)) }
        }
        XCTAssertEqual(rows.map(\.0), (0..<20).map { "k\($0)" })
        XCTAssertEqual(rows.last?.1, [19, 0, 255])
        let journal = try await second.transaction { c in try c.first("PRAGMA journal_mode") { $0.text(0) } }
        XCTAssertEqual(journal, "wal")
        let recorded = try await second.transaction { c in try c.first("SELECT COUNT(*) FROM offcloud_migrations") { $0.int(0) } }
        XCTAssertEqual(recorded, 1, "the reopened database knows its migrations")
    }

    func testOpeningAnUnwritablePathFails() {
        XCTAssertThrowsError(try Database(path: "/nonexistent-dir-\(UUID().uuidString)/db.sqlite")) { error in
            XCTAssertTrue(error is StorageError)
        }
    }
}
