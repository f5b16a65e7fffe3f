import Foundation

/// Where `States.UUID`, `States.MathRandom` without a seed and FULL retry jitter draw
/// their randomness. Unset, the system's generator; a workflow test sets a seeded
/// source for its run (a task-local, so child tasks of Parallel and Map share it) and
/// the run repeats exactly. Concurrent branches draw from it in the order they run.
public enum StatesRandomness {
    @TaskLocal public static var source: SeededRandomSource?

    static func uuid() -> String {
        guard let source else { return UUID().uuidString.lowercased() }
        var bytes = (0..<2).flatMap { _ in withUnsafeBytes(of: source.next().bigEndian, Array.init) }
        bytes[6] = (bytes[6] & 0x0f) | 0x40
        bytes[8] = (bytes[8] & 0x3f) | 0x80
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        let parts = [hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4), hex.dropFirst(20)]
        return parts.joined(separator: "-")
    }

    static func int(in range: Range<Int>) -> Int {
        guard let source else { return Int.random(in: range) }
        var generator = source
        return Int.random(in: range, using: &generator)
    }

    static func double(in range: ClosedRange<Double>) -> Double {
        guard let source else { return Double.random(in: range) }
        var generator = source
        return Double.random(in: range, using: &generator)
    }
}

/// A seeded generator (SplitMix64) shared by the tasks of one run.
public final class SeededRandomSource: RandomNumberGenerator, @unchecked Sendable {
    // @unchecked: `state` is guarded by `lock`.
    private let lock = NSLock()
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public func next() -> UInt64 {
        lock.withLock {
            state &+= 0x9e37_79b9_7f4a_7c15
            var z = state
            z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
            z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
            return z ^ (z >> 31)
        }
    }
}
