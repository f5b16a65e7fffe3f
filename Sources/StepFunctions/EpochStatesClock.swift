import States
import Wire

/// The emulator's clock as the interpreter sees it, so a virtual clock moved through
/// `/_offcloud/clock` moves Wait states, Retry intervals and task timeouts too. It
/// waits rather than jumps: time passes only when the clock is moved.
public struct EpochStatesClock: StatesClock {
    let clock: any EpochClock

    public init(_ clock: any EpochClock) { self.clock = clock }

    public func nowMilliseconds() -> Int64 { clock.nowMilliseconds() }

    public func sleep(untilMilliseconds milliseconds: Int64) async throws {
        await clock.sleep(untilMilliseconds: milliseconds)
        try Task.checkCancellation()
    }

    public var isReal: Bool { true }
}
