import Foundation

/// Where services read the time. Injected, so tests can set and advance it rather
/// than sleep.
public protocol EpochClock: Sendable {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    func nowMilliseconds() -> Int64
}

public struct SystemClock: EpochClock {
    public init() {}
    public func nowMilliseconds() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }
}

/// A clock that moves only when told to.
public final class ManualClock: EpochClock, @unchecked Sendable {
    // @unchecked: `now` is guarded by `lock`.
    private let lock = NSLock()
    private var now: Int64

    public init(milliseconds: Int64 = 1_767_225_600_000) { now = milliseconds }

    public func nowMilliseconds() -> Int64 { lock.withLock { now } }
    public func advance(milliseconds: Int64) { lock.withLock { now += milliseconds } }
    public func set(milliseconds: Int64) { lock.withLock { now = milliseconds } }
}
