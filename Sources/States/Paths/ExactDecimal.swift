/// A JSON number compared by its decimal value, exactly: `1`, `1.0` and `1e0` are equal,
/// and `12345678901234567890` is not rounded to a Double on the way. Used by JSONPath
/// filters (and available to Choice rules) so numbers compare as written.
public struct ExactDecimal: Sendable, Hashable, Comparable {
    /// True for values below zero (never for zero itself).
    let negative: Bool
    /// Significant digits without leading or trailing zeros; empty for zero.
    let digits: [UInt8]
    /// The value is `0.d1d2d3… × 10^pointPosition`. Saturated, so absurd exponents
    /// (`1e999999999999999999`) still order correctly instead of overflowing.
    let pointPosition: Int

    /// Parses JSON number syntax (`-12.5e3`). Returns nil for anything else.
    public init?(_ spelling: String) {
        var bytes = Array(spelling.utf8)[...]
        var negative = false
        if bytes.first == UInt8(ascii: "-") {
            negative = true
            bytes = bytes.dropFirst()
        }
        var integerPart: [UInt8] = []
        var fractionPart: [UInt8] = []
        while let b = bytes.first, isDigit(b) { integerPart.append(b); bytes = bytes.dropFirst() }
        guard !integerPart.isEmpty else { return nil }
        if integerPart.count > 1, integerPart[0] == UInt8(ascii: "0") { return nil }
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            while let b = bytes.first, isDigit(b) { fractionPart.append(b); bytes = bytes.dropFirst() }
            guard !fractionPart.isEmpty else { return nil }
        }
        var exponent = 0
        if let e = bytes.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            var exponentNegative = false
            if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                exponentNegative = sign == UInt8(ascii: "-")
                bytes = bytes.dropFirst()
            }
            var sawDigit = false
            while let b = bytes.first, isDigit(b) {
                sawDigit = true
                exponent = min(exponent * 10 + Int(b - UInt8(ascii: "0")), ExactDecimal.exponentLimit)
                bytes = bytes.dropFirst()
            }
            guard sawDigit else { return nil }
            if exponentNegative { exponent = -exponent }
        }
        guard bytes.isEmpty else { return nil }

        var all = integerPart + fractionPart
        var point = integerPart.count
        // Strip leading zeros (each moves the point left) and trailing zeros.
        var leading = 0
        while leading < all.count, all[leading] == UInt8(ascii: "0") { leading += 1 }
        if leading == all.count {
            self.negative = false
            self.digits = []
            self.pointPosition = 0
            return
        }
        all.removeFirst(leading)
        point -= leading
        while all.last == UInt8(ascii: "0") { all.removeLast() }
        self.negative = negative
        self.digits = all
        self.pointPosition = max(-ExactDecimal.exponentLimit * 2, min(ExactDecimal.exponentLimit * 2, point + exponent))
    }

    static let exponentLimit = 1_000_000_000_000

    public var isZero: Bool { digits.isEmpty }

    /// True when the value has no fractional part (`3`, `3.0`, `3e2`, `-0`).
    public var isInteger: Bool { digits.isEmpty || pointPosition >= digits.count }

    public static func < (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
        compare(lhs, rhs) < 0
    }

    public static func == (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
        compare(lhs, rhs) == 0
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(negative)
        hasher.combine(digits)
        hasher.combine(pointPosition)
    }

    /// -1, 0 or 1.
    static func compare(_ a: ExactDecimal, _ b: ExactDecimal) -> Int {
        if a.isZero && b.isZero { return 0 }
        let signA = a.isZero ? 0 : (a.negative ? -1 : 1)
        let signB = b.isZero ? 0 : (b.negative ? -1 : 1)
        if signA != signB { return signA < signB ? -1 : 1 }
        // Same sign, both non-zero: compare magnitudes, then flip for negatives.
        let magnitude = compareMagnitude(a, b)
        return signA < 0 ? -magnitude : magnitude
    }

    private static func compareMagnitude(_ a: ExactDecimal, _ b: ExactDecimal) -> Int {
        if a.pointPosition != b.pointPosition { return a.pointPosition < b.pointPosition ? -1 : 1 }
        for (x, y) in zip(a.digits, b.digits) where x != y { return x < y ? -1 : 1 }
        if a.digits.count == b.digits.count { return 0 }
        return a.digits.count < b.digits.count ? -1 : 1
    }

    /// Compares two number spellings; nil when either is not a JSON number.
    public static func compare(_ a: String, _ b: String) -> Int? {
        guard let x = ExactDecimal(a), let y = ExactDecimal(b) else { return nil }
        return compare(x, y)
    }
}

@inline(__always)
private func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
