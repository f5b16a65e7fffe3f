import Foundation

/// Long-polling receivers parked per queue. A send wakes the receivers of its
/// queue; a timeout wakes one that nobody woke. No receiver ever busy-waits.
final class ReceiveWaiters: @unchecked Sendable {
    // @unchecked: all state is guarded by `lock`.
    private let lock = NSLock()
    private var waiters: [Int64: [UInt64: CheckedContinuation<Void, Never>]] = [:]
    private var nextId: UInt64 = 0
    /// Bumped by every notify, so a receiver that looked at an empty queue just
    /// before a send does not sleep through it.
    private var generations: [Int64: UInt64] = [:]

    func generation(queueId: Int64) -> UInt64 { lock.withLock { generations[queueId, default: 0] } }

    /// Suspends until `notify(queueId)` or until `milliseconds` pass, whichever is
    /// first; returns at once if a notify came after `generation` was read.
    func wait(queueId: Int64, since generation: UInt64, milliseconds: Int64) async {
        guard milliseconds > 0 else { return }
        let id: UInt64 = lock.withLock { nextId += 1; return nextId }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let stale: Bool = lock.withLock {
                    if generations[queueId, default: 0] != generation { return true }
                    waiters[queueId, default: [:]][id] = continuation
                    return false
                }
                if stale {
                    continuation.resume()
                    return
                }
                Task {
                    try? await Task.sleep(nanoseconds: UInt64(milliseconds) * 1_000_000)
                    self.resume(queueId: queueId, id: id)
                }
            }
        } onCancel: {
            self.resume(queueId: queueId, id: id)
        }
    }

    private func resume(queueId: Int64, id: UInt64) {
        let continuation: CheckedContinuation<Void, Never>? = lock.withLock {
            waiters[queueId]?.removeValue(forKey: id)
        }
        continuation?.resume()
    }

    /// Wakes every receiver waiting on `queueId`.
    func notify(queueId: Int64) {
        let woken: [CheckedContinuation<Void, Never>] = lock.withLock {
            generations[queueId, default: 0] &+= 1
            guard let parked = waiters.removeValue(forKey: queueId) else { return [] }
            return Array(parked.values)
        }
        for c in woken { c.resume() }
    }

    func notifyAll() {
        let woken: [CheckedContinuation<Void, Never>] = lock.withLock {
            let all = waiters.values.flatMap(\.values)
            waiters.removeAll()
            return all
        }
        for c in woken { c.resume() }
    }
}
