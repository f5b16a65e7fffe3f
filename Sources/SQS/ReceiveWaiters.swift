import Foundation
import Wire

/// Long-polling receivers parked per queue. A send wakes the receivers of its
/// queue; a timeout wakes one that nobody woke. No receiver ever busy-waits.
final class ReceiveWaiters: @unchecked Sendable {
    // @unchecked: all state is guarded by `lock`.
    private let lock = NSLock()
    private let clock: any EpochClock
    private var waiters: [Int64: [UInt64: Parked]] = [:]

    /// A suspended receiver and the timer that will wake it if nobody else does.
    private struct Parked {
        var continuation: CheckedContinuation<Void, Never>
        var timer: Task<Void, Never>?
    }

    init(clock: any EpochClock) { self.clock = clock }
    private var nextId: UInt64 = 0
    /// Bumped by every notify, so a receiver that looked at an empty queue just
    /// before a send does not sleep through it.
    private var generations: [Int64: UInt64] = [:]

    func generation(queueId: Int64) -> UInt64 { lock.withLock { generations[queueId, default: 0] } }

    /// Suspends until `notify(queueId)` or until the clock reads `deadline`, whichever
    /// is first; returns at once if a notify came after `generation` was read.
    func wait(queueId: Int64, since generation: UInt64, until deadline: Int64) async {
        guard deadline > clock.nowMilliseconds() else { return }
        let id: UInt64 = lock.withLock { nextId += 1; return nextId }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let stale: Bool = lock.withLock {
                    if generations[queueId, default: 0] != generation { return true }
                    waiters[queueId, default: [:]][id] = Parked(continuation: continuation, timer: nil)
                    return false
                }
                if stale {
                    continuation.resume()
                    return
                }
                let clock = self.clock
                let timer = Task {
                    await clock.sleep(untilMilliseconds: deadline)
                    self.resume(queueId: queueId, id: id)
                }
                let alreadyWoken: Bool = lock.withLock {
                    guard waiters[queueId]?[id] != nil else { return true }
                    waiters[queueId]?[id]?.timer = timer
                    return false
                }
                if alreadyWoken { timer.cancel() }
            }
        } onCancel: {
            self.resume(queueId: queueId, id: id)
        }
    }

    private func resume(queueId: Int64, id: UInt64) {
        let parked: Parked? = lock.withLock { waiters[queueId]?.removeValue(forKey: id) }
        parked?.timer?.cancel()
        parked?.continuation.resume()
    }

    /// Wakes every receiver waiting on `queueId`.
    func notify(queueId: Int64) {
        let woken: [Parked] = lock.withLock {
            generations[queueId, default: 0] &+= 1
            guard let parked = waiters.removeValue(forKey: queueId) else { return [] }
            return Array(parked.values)
        }
        for p in woken {
            p.timer?.cancel()
            p.continuation.resume()
        }
    }

    func notifyAll() {
        let woken: [Parked] = lock.withLock {
            let all = waiters.values.flatMap(\.values)
            waiters.removeAll()
            return all
        }
        for p in woken {
            p.timer?.cancel()
            p.continuation.resume()
        }
    }
}
