import CSQLite
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The one SQLite database of a running emulator.
///
/// A single writer thread owns the connection, so blocking `sqlite3_step` never
/// occupies an event loop or a cooperative-pool thread. Work arrives as short
/// synchronous closures; the writer takes everything queued, runs each closure in
/// its own SAVEPOINT inside one transaction, and commits once (group commit).
///
/// With `.full` durability the fsync is pipelined: SQLite commits to the WAL without
/// syncing, and a second thread fdatasyncs the WAL and only then resumes the callers
/// of the batches committed before that sync. The writer goes on with the next batch
/// meanwhile, so a caller is still answered only once its write is on disk, but the
/// disk's flush latency no longer caps throughput. (SQLite itself syncs the WAL before
/// every checkpoint, so frames moved into the main file are durable too.)
public final class Database: @unchecked Sendable {
    // @unchecked: `queue`, `closed` and `thread` are guarded by `condition`; the
    // connection is touched only by the writer thread after `init`.

    /// How hard a commit presses the data to disk.
    public enum Durability: String, Sendable {
        /// fsync on every commit: survives power loss.
        case full
        /// WAL without fsync per commit: survives a process crash, not power loss.
        case normal
        /// Nothing is flushed; for throwaway in-memory runs.
        case off
    }

    public let path: String?
    private let connection: Connection
    private let condition = NSCondition()
    private var queue: [Job] = []
    private var closed = false
    private var thread: Thread?
    private let durability: Durability
    /// Batches committed but not yet synced, waiting for the sync thread.
    private let syncCondition = NSCondition()
    private var unsynced: [[Job]] = []
    private var syncClosed = false
    private var walDescriptor: Int32 = -1
    /// At most this many closures share one transaction.
    private let maxBatch = 512
    private var resets = 0

    /// How many times `reset()` has wiped the database; engines that cache rows
    /// compare it to know their cache is stale.
    public var generation: Int { condition.withLock { resets } }

    final class Job {
        let run: (Connection) -> Void
        let finish: (Error?) -> Void
        /// Reads change nothing: no savepoint, and no wait for the WAL sync.
        let readOnly: Bool
        init(readOnly: Bool = false, run: @escaping (Connection) -> Void, finish: @escaping (Error?) -> Void) {
            self.readOnly = readOnly
            self.run = run
            self.finish = finish
        }
    }

    /// Opens (creating if needed) the database at `path`, or an in-memory one when nil.
    public init(path: String?, durability: Durability = .full) throws {
        self.path = path
        self.durability = path == nil ? .off : durability
        connection = try Connection(path: path ?? ":memory:")
        if path != nil {
            try connection.execute("PRAGMA journal_mode=WAL")
        }
        // `.full` syncs the WAL itself on the sync thread (see above); SQLite's NORMAL
        // still syncs around checkpoints.
        try connection.execute("PRAGMA synchronous=\(self.durability == .off ? "OFF" : "NORMAL")")
        try connection.execute("PRAGMA foreign_keys=ON")
        try connection.execute("PRAGMA busy_timeout=5000")
        let thread = Thread { self.writerLoop() }
        thread.name = "offcloud-sqlite"
        thread.stackSize = 4 << 20
        self.thread = thread
        thread.start()
        if self.durability == .full {
            let syncer = Thread { self.syncLoop() }
            syncer.name = "offcloud-fsync"
            syncer.start()
        }
    }

    /// Applies the migrations not yet recorded, in order, in one transaction.
    public func migrate(_ migrations: [Migration]) async throws {
        try await transaction { db in try db.apply(migrations) }
    }

    /// Runs `body` in its own savepoint within the next group transaction and returns
    /// its result once that transaction has committed. If `body` throws, only its own
    /// changes roll back and its error is rethrown to the caller.
    public func transaction<T: Sendable>(_ body: @escaping @Sendable (Connection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
            let box = ResultBox<T>()
            let job = Job(
                run: { db in
                    do {
                        try db.run("SAVEPOINT job")
                        do {
                            box.result = .success(try body(db))
                            try db.run("RELEASE job")
                        } catch {
                            box.result = .failure(error)
                            try db.run("ROLLBACK TO job")
                            try db.run("RELEASE job")
                        }
                    } catch {
                        box.result = .failure(error)
                    }
                },
                finish: { commitError in
                    if let commitError {
                        continuation.resume(throwing: commitError)
                    } else {
                        continuation.resume(with: box.result ?? .failure(StorageError(code: -1, message: "job did not run")))
                    }
                })
            enqueue(job, continuation: continuation)
        }
    }

    /// Runs a read-only `body` in the next group transaction. It is answered as soon as
    /// that transaction commits, without waiting for the fsync that makes the group's
    /// writes durable (it wrote nothing). `body` must not write.
    public func read<T: Sendable>(_ body: @escaping @Sendable (Connection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
            let box = ResultBox<T>()
            let job = Job(readOnly: true, run: { db in
                do { box.result = .success(try body(db)) } catch { box.result = .failure(error) }
            }, finish: { commitError in
                if let commitError {
                    continuation.resume(throwing: commitError)
                } else {
                    continuation.resume(with: box.result ?? .failure(StorageError(code: -1, message: "job did not run")))
                }
            })
            enqueue(job, continuation: continuation)
        }
    }

    private func enqueue<T>(_ job: Job, continuation: CheckedContinuation<T, Error>) {
        condition.lock()
        if closed {
            condition.unlock()
            continuation.resume(throwing: StorageError(code: SQLITE_MISUSE, message: "database is closed"))
            return
        }
        queue.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Deletes every row of every table but the migration record: a clean slate for tests.
    public func reset() async throws {
        try await transaction { db in
            let tables = try db.all(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'offcloud_migrations'"
            ) { $0.text(0) }
            for table in tables { try db.execute("DELETE FROM \"\(table)\"") }
        }
        condition.withLock { resets += 1 }
    }

    /// Finishes queued work, then stops the writer thread and closes the file.
    public func close() {
        condition.lock()
        closed = true
        condition.signal()
        condition.unlock()
    }

    private func writerLoop() {
        while true {
            condition.lock()
            while queue.isEmpty && !closed { condition.wait() }
            if queue.isEmpty && closed {
                condition.unlock()
                syncCondition.lock()
                syncClosed = true
                syncCondition.signal()
                syncCondition.unlock()
                try? connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                return
            }
            let batch: [Job]
            if queue.count <= maxBatch {
                batch = queue
                queue.removeAll(keepingCapacity: true)
            } else {
                batch = Array(queue.prefix(maxBatch))
                queue.removeFirst(maxBatch)
            }
            condition.unlock()
            runBatch(batch)
        }
    }

    private func runBatch(_ batch: [Job]) {
        do {
            try connection.run("BEGIN IMMEDIATE")
        } catch {
            for job in batch { job.finish(error) }
            return
        }
        // Jobs whose work is in the open transaction. If a job makes SQLite roll the
        // whole transaction back, that job has its error; the others did nothing wrong,
        // so they run again in a fresh transaction.
        var pending: [Job] = []
        for job in batch {
            job.run(connection)
            guard connection.isAutocommit else {
                pending.append(job)
                continue
            }
            do {
                try connection.run("BEGIN IMMEDIATE")
            } catch {
                for j in pending { j.finish(error) }
                job.finish(nil)
                pending = []
                continue
            }
            for j in pending { j.run(connection) }
            if connection.isAutocommit {
                // Only possible if the disk itself is failing; give up on this batch.
                let error = StorageError(code: SQLITE_ABORT, message: "transaction was rolled back")
                for j in pending { j.finish(error) }
                pending = []
                try? connection.run("BEGIN IMMEDIATE")
            }
            job.finish(nil)
        }
        do {
            try connection.run("COMMIT")
            let writes = pending.filter { !$0.readOnly }
            for job in pending where job.readOnly { job.finish(nil) }
            if durability == .full {
                syncCondition.lock()
                unsynced.append(writes)
                syncCondition.signal()
                syncCondition.unlock()
            } else {
                for job in writes { job.finish(nil) }
            }
        } catch {
            try? connection.run("ROLLBACK")
            for job in pending { job.finish(error) }
        }
    }
}

extension Database {
    /// Flushes the WAL, then answers every batch committed before the flush began.
    fileprivate func syncLoop() {
        while true {
            syncCondition.lock()
            while unsynced.isEmpty && !syncClosed { syncCondition.wait() }
            if unsynced.isEmpty && syncClosed {
                syncCondition.unlock()
                if walDescriptor >= 0 { _ = Glibc.close(walDescriptor) }
                return
            }
            let batches = unsynced
            unsynced.removeAll(keepingCapacity: true)
            syncCondition.unlock()
            var failure: Error?
            if walDescriptor < 0, let path {
                walDescriptor = open(path + "-wal", O_RDWR | O_CLOEXEC)
            }
            if walDescriptor < 0 || fdatasync(walDescriptor) != 0 {
                failure = StorageError(code: SQLITE_IOERR, message: "could not sync the write-ahead log (errno \(errno))")
            }
            for batch in batches {
                for job in batch { job.finish(failure) }
            }
        }
    }
}

/// Carries a job's result from the writer thread to the resumed caller; written
/// before the commit and read after it, never concurrently.
private final class ResultBox<T>: @unchecked Sendable {
    var result: Result<T, Error>?
}
