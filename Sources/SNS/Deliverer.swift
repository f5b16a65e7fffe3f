import Foundation
import JSON
import Storage
import Wire

/// One pending delivery of a stored message to one subscription.
struct DeliveryJob: Sendable {
    var id: Int64
    var messageSeq: Int64
    var subscriptionArn: String
    var `protocol`: SNSProtocol
    var attempt: Int
    var due: Int64
    var message: PublishedMessage
}

/// How many attempts a subscription's lane runs at once, and how many jobs each takes.
struct LaneLimits: Sendable {
    var concurrency: Int
    var batch: Int
    var fifo: Bool
}

/// What became of one attempt.
enum DeliveryOutcome: Sendable {
    /// Delivered, dead-lettered or dropped: the job is finished.
    case done
    /// Try again after this many milliseconds.
    case retry(Int64)
}

/// Drains pending deliveries. Each subscription has its own lane with a bounded number
/// of attempts in flight, so a slow or unreachable webhook holds up only its own
/// subscription; a FIFO topic's lanes run one batch at a time to keep group order.
/// Finished jobs are deleted from SQLite in batches; a retry's schedule is written
/// before it waits, so a restart resumes it.
actor Deliverer {
    private struct Lane {
        var queue: [DeliveryJob] = []
        var head = 0
        var inflight = 0
        /// A FIFO lane waits for its head's retry before anything behind it.
        var blocked = false
        var pending: Int { queue.count - head }
    }

    private let database: Database
    private let clock: any EpochClock
    private nonisolated let serviceBox = LockedValue<SNSService?>(nil)
    private var lanes: [String: Lane] = [:]
    private var finished: [(id: Int64, seq: Int64)] = []
    private var flushing = false
    private var stopped = false
    /// Bumped by `clear()`, so work started before a reset does not touch the new state.
    private var epoch = 0
    private var timers: [Task<Void, Never>] = []

    init(database: Database, clock: any EpochClock) {
        self.database = database
        self.clock = clock
    }

    nonisolated func attach(_ service: SNSService) { serviceBox.value = service }

    func enqueue(_ jobs: [DeliveryJob]) {
        guard !stopped else { return }
        var touched: [String] = []
        for job in jobs {
            if lanes[job.subscriptionArn] == nil { lanes[job.subscriptionArn] = Lane() }
            lanes[job.subscriptionArn]!.queue.append(job)
            if touched.last != job.subscriptionArn { touched.append(job.subscriptionArn) }
        }
        for arn in Set(touched) { pump(arn) }
    }

    /// Loads every pending delivery after a restart, in publish order.
    func resume() async {
        let rows: [(Int64, Int64, String, Int, Int64, String, String)] = (try? await database.read { db in
            try db.all("""
                SELECT d.id, d.message_seq, d.subscription_arn, d.attempt, d.due, m.message, d.kind
                FROM sns_deliveries d JOIN sns_messages m ON m.seq = d.message_seq ORDER BY d.id
                """) { ($0.int64(0), $0.int64(1), $0.text(2), $0.int(3), $0.int64(4), $0.text(5), $0.text(6)) }
        }) ?? []
        var jobs: [DeliveryJob] = []
        for (id, seq, arn, attempt, due, text, kind) in rows {
            guard let json = try? JSONValue.parse(Array(text.utf8)), let message = PublishedMessage(json: json),
                  let proto = SNSProtocol(rawValue: kind) else { continue }
            jobs.append(DeliveryJob(id: id, messageSeq: seq, subscriptionArn: arn, protocol: proto, attempt: attempt, due: due,
                                    message: message))
        }
        let now = clock.nowMilliseconds()
        let ready = jobs.filter { $0.due <= now }
        enqueue(ready)
        for job in jobs where job.due > now { schedule(job, fifo: false) }
    }

    func clear() {
        epoch += 1
        lanes.removeAll()
        finished.removeAll()
        for t in timers { t.cancel() }
        timers.removeAll()
    }

    func stop() {
        stopped = true
        clear()
    }

    private func pump(_ arn: String) {
        guard !stopped, let service = serviceBox.value, var lane = lanes[arn] else { return }
        guard lane.pending > 0 || lane.inflight > 0 || lane.blocked else { lanes[arn] = nil; return }
        let limits = lane.pending > 0 ? SNSService.laneLimits(lane.queue[lane.head]) : LaneLimits(concurrency: 1, batch: 1, fifo: false)
        while !lane.blocked, lane.inflight < limits.concurrency, lane.pending > 0 {
            let count = min(limits.batch, lane.pending)
            let batch = Array(lane.queue[lane.head..<(lane.head + count)])
            lane.head += count
            lane.inflight += 1
            let epoch = self.epoch
            let fifo = limits.fifo
            Task {
                let outcomes = await service.deliver(batch)
                await self.complete(arn, batch, outcomes, epoch: epoch, fifo: fifo)
            }
        }
        if lane.head > 1024, lane.head * 2 > lane.queue.count {
            lane.queue.removeFirst(lane.head)
            lane.head = 0
        }
        if lane.pending == 0 && lane.inflight == 0 && !lane.blocked {
            lanes[arn] = nil
        } else {
            lanes[arn] = lane
        }
    }

    private func complete(_ arn: String, _ batch: [DeliveryJob], _ outcomes: [DeliveryOutcome], epoch: Int, fifo: Bool) {
        guard epoch == self.epoch, !stopped else { return }
        lanes[arn]?.inflight -= 1
        for (job, outcome) in zip(batch, outcomes) {
            switch outcome {
            case .done:
                finished.append((job.id, job.messageSeq))
            case .retry(let delay):
                var next = job
                next.attempt += 1
                next.due = clock.nowMilliseconds() + delay
                if fifo { lanes[arn, default: Lane()].blocked = true }
                persistRetry(next)
                schedule(next, fifo: fifo)
            }
        }
        if !finished.isEmpty && !flushing {
            flushing = true
            Task { await self.flush() }
        }
        pump(arn)
    }

    /// Waits for a retry's due time, then puts the job back in its lane (at the front
    /// for FIFO lanes, which were blocked meanwhile).
    private func schedule(_ job: DeliveryJob, fifo: Bool) {
        let epoch = self.epoch
        let clock = self.clock
        let timer = Task {
            await clock.sleep(untilMilliseconds: job.due)
            if Task.isCancelled { return }
            await self.retryDue(job, fifo: fifo, epoch: epoch)
        }
        timers.append(timer)
        if timers.count > 256 { timers.removeAll { $0.isCancelled } }
    }

    private func retryDue(_ job: DeliveryJob, fifo: Bool, epoch: Int) {
        guard epoch == self.epoch, !stopped else { return }
        var lane = lanes[job.subscriptionArn] ?? Lane()
        if fifo {
            lane.queue.insert(job, at: lane.head)
            lane.blocked = false
        } else {
            lane.queue.append(job)
        }
        lanes[job.subscriptionArn] = lane
        pump(job.subscriptionArn)
    }

    private func persistRetry(_ job: DeliveryJob) {
        let (id, attempt, due) = (job.id, job.attempt, job.due)
        Task {
            _ = try? await database.transaction { db in
                try db.run("UPDATE sns_deliveries SET attempt = ?, due = ? WHERE id = ?", .integer(Int64(attempt)), .integer(due), .integer(id))
            }
        }
    }

    private func flush() async {
        while !finished.isEmpty {
            let batch = finished
            finished.removeAll()
            _ = try? await database.transaction { db in
                for (id, _) in batch { try db.run("DELETE FROM sns_deliveries WHERE id = ?", .integer(id)) }
                for seq in Set(batch.map(\.seq)) {
                    try db.run("DELETE FROM sns_messages WHERE seq = ? AND NOT EXISTS (SELECT 1 FROM sns_deliveries WHERE message_seq = ?)",
                               .integer(seq), .integer(seq))
                }
            }
        }
        flushing = false
    }
}
