import Foundation
import XCTest
@testable import Storage

/// A job whose statement makes SQLite abandon the whole transaction must not take
/// the innocent jobs of its group commit down with it.
final class BatchRollbackTests: XCTestCase {
    func testAJobThatRollsBackTheTransactionFailsAloneAndOthersCommit() async throws {
        let db = try Database(path: nil)
        defer { db.close() }
        try await db.migrate([Migration("1-u", "CREATE TABLE u (k TEXT PRIMARY KEY); INSERT INTO u VALUES ('taken');")])

        // Hold the writer so the next three jobs share one batch.
        async let holder: Void = db.transaction { _ in Thread.sleep(forTimeInterval: 0.2) }
        try await Task.sleep(nanoseconds: 50_000_000)
        async let before: Void = db.transaction { c in try c.run("INSERT INTO u VALUES ('before')") }
        async let offender: Void = db.transaction { c in try c.run("INSERT OR ROLLBACK INTO u VALUES ('taken')") }
        async let after: Void = db.transaction { c in try c.run("INSERT INTO u VALUES ('after')") }

        try await holder
        try await before
        try await after
        do {
            try await offender
            XCTFail("the conflicting insert should fail")
        } catch {}
        let keys = try await db.transaction { c in try c.all("SELECT k FROM u ORDER BY k") { $0.text(0) } }
        XCTAssertEqual(keys, ["after", "before", "taken"])
    }
}
