import JSON

extension IntrinsicEvaluator {
    /// `States.MathRandom(start, end[, seed])`: an integer in `start..<end`. Bounds lose
    /// their fraction as on AWS; with a seed the result is deterministic.
    func mathRandom() throws -> JSONValue {
        let start = try truncatedInt(0)
        let end = try truncatedInt(1)
        guard start < end else { throw invalidArguments() }
        let span = end - start
        if arguments.count == 3 {
            guard case .number(let spelling) = arguments[2], let seed = Double(spelling), seed.isFinite,
                  abs(seed) < 9.2e18
            else { throw invalidArguments() }
            var random = JavaRandom(seed: Int64(seed.rounded(.towardZero)))
            return .integer(start + random.nextInt(bound: span))
        }
        return .integer(StatesRandomness.int(in: start..<end))
    }

    /// `States.MathAdd(a, b)`: integer addition. Operands are rounded half up to integers
    /// (as Java's `Math.round`), and operands and sum must fit a 32-bit signed integer.
    func mathAdd() throws -> JSONValue {
        let a = try roundedInt(0)
        let b = try roundedInt(1)
        let sum = a + b
        guard sum >= Int(Int32.min), sum <= Int(Int32.max) else { throw invalidArguments() }
        return .integer(sum)
    }

    func roundedInt(_ index: Int) throws -> Int {
        let value = (try number(index) + 0.5).rounded(.down)
        guard value >= Double(Int32.min), value <= Double(Int32.max) else { throw invalidArguments() }
        return Int(value)
    }
}

/// `java.util.Random`'s 48-bit linear congruential generator, so a seeded
/// `States.MathRandom` is repeatable (and plausibly matches a JVM implementation).
struct JavaRandom {
    private var state: UInt64
    private static let multiplier: UInt64 = 0x5_DEEC_E66D
    private static let mask: UInt64 = (1 << 48) - 1

    init(seed: Int64) {
        state = (UInt64(bitPattern: seed) ^ Self.multiplier) & Self.mask
    }

    mutating func next(bits: Int) -> Int32 {
        state = (state &* Self.multiplier &+ 0xB) & Self.mask
        return Int32(truncatingIfNeeded: Int64(bitPattern: state) >> (48 - bits))
    }

    /// Uniform in `0..<bound`; bounds above `Int32.max` fall back to 64-bit draws.
    mutating func nextInt(bound: Int) -> Int {
        precondition(bound > 0)
        if bound > Int(Int32.max) {
            let high = UInt64(UInt32(bitPattern: next(bits: 32)))
            let low = UInt64(UInt32(bitPattern: next(bits: 32)))
            return Int((high << 32 | low) % UInt64(bound))
        }
        let bound32 = Int32(bound)
        if bound32 & -bound32 == bound32 {  // a power of two
            return Int((Int64(bound32) * Int64(next(bits: 31))) >> 31)
        }
        var bits: Int32
        var value: Int32
        repeat {
            bits = next(bits: 31)
            value = bits % bound32
        } while bits &- value &+ (bound32 &- 1) < 0
        return Int(value)
    }
}
