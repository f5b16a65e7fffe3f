import Storage
import Wire

extension SQSService {
    /// Deletes messages past their queue's `MessageRetentionPeriod`, and expired
    /// deduplication and receive-attempt records. Expired messages sit at the low end
    /// of each queue's sequence, so each queue is swept from there in small slices.
    public func sweepExpired() async throws {
        let now = clock.nowMilliseconds()
        try await database.transaction { db in
            let queues = try db.all("SELECT id, attributes FROM sqs_queues") {
                ($0.int64(0), QueueConfiguration.decode($0.text(1)).messageRetentionPeriod)
            }
            for (id, retention) in queues {
                let cutoff = now - Int64(retention) * 1000
                for _ in 0..<100 {
                    let deleted = try db.run("""
                        DELETE FROM sqs_messages WHERE seq IN
                          (SELECT seq FROM sqs_messages WHERE queue_id = ? ORDER BY seq LIMIT 500) AND sent_at <= ?
                        """, .integer(id), .integer(cutoff))
                    if deleted < 500 { break }
                }
            }
            try db.run("DELETE FROM sqs_deduplication WHERE expires_at <= ?", .integer(now))
            try db.run("DELETE FROM sqs_receive_attempts WHERE created_at <= ?", .integer(now - SQSLimits.receiveAttemptInterval))
        }
    }

    /// Sweeps every `seconds` until cancelled; a failed sweep is retried next time.
    public func runRetentionSweeper(every seconds: UInt64 = 30) async {
        while !Task.isCancelled {
            await clock.sleep(untilMilliseconds: clock.nowMilliseconds() + Int64(seconds) * 1000)
            if Task.isCancelled { return }
            try? await sweepExpired()
        }
    }
}
