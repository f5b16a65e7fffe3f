import Foundation

/// Where services read the time and wait for it. Injected, so tests can set and
/// advance it rather than sleep.
public protocol EpochClock: Sendable {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    func nowMilliseconds() -> Int64
    /// Suspends until the clock reads `milliseconds` or the task is cancelled.
    func sleep(untilMilliseconds milliseconds: Int64) async
}

public struct SystemClock: EpochClock {
    public init() {}
    public func nowMilliseconds() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }
    public func sleep(untilMilliseconds milliseconds: Int64) async {
        let delay = milliseconds - nowMilliseconds()
        if delay > 0 { try? await Task.sleep(nanoseconds: UInt64(delay) * 1_000_000) }
    }
}

/// A clock that moves only when told to; sleepers wake when `advance` or `set`
/// reaches their deadline.
public final class ManualClock: EpochClock, @unchecked Sendable {
    // @unchecked: `now` and `sleepers` are guarded by `lock`.
    private let lock = NSLock()
    private var now: Int64
    private var sleepers: [UInt64: (deadline: Int64, continuation: CheckedContinuation<Void, Never>)] = [:]
    private var nextId: UInt64 = 0

    public init(milliseconds: Int64 = 1_767_225_600_000) { now = milliseconds }

    public func nowMilliseconds() -> Int64 { lock.withLock { now } }

    public func advance(milliseconds: Int64) { move { $0 += milliseconds } }
    public func set(milliseconds: Int64) { move { $0 = milliseconds } }

    private func move(_ change: (inout Int64) -> Void) {
        let due: [CheckedContinuation<Void, Never>] = lock.withLock {
            change(&now)
            let ready = sleepers.filter { $0.value.deadline <= now }
            for id in ready.keys { sleepers[id] = nil }
            return ready.values.map(\.continuation)
        }
        for c in due { c.resume() }
    }

    public func sleep(untilMilliseconds milliseconds: Int64) async {
        let id: UInt64 = lock.withLock { nextId += 1; return nextId }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready: Bool = lock.withLock {
                    if milliseconds <= now || Task.isCancelled { return true }
                    sleepers[id] = (milliseconds, continuation)
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            let c = lock.withLock { sleepers.removeValue(forKey: id)?.continuation }
            c?.resume()
        }
    }
}
