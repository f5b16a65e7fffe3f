/// A number as SNS filtering compares it: a fixed-point value with six decimal
/// places over the documented range of -10^9 to 10^9. Computing it the way AWS's
/// engine does (shift by 10^9, scale by 10^6, truncate) makes `5`, `5.0` and `5e0`
/// equal and reproduces AWS's precision at the edges.
struct FilterPolicyNumber: Hashable, Comparable, Sendable {
    static let limit = 1e9
    let fixedPoint: Int64

    init?(_ value: Double) {
        guard value.isFinite, value >= -Self.limit, value <= Self.limit else { return nil }
        fixedPoint = Int64((Self.limit + value) * 1e6)
    }

    /// A number as written in JSON or in a `Number` attribute; nil when the text is
    /// not a decimal number or lies outside the range.
    init?(text: String) {
        guard !text.isEmpty,
              text.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2B || $0 == 0x2D || $0 == 0x2E || $0 == 0x45 || $0 == 0x65 }),
              let value = Double(text)
        else { return nil }
        self.init(value)
    }

    static func < (lhs: Self, rhs: Self) -> Bool { lhs.fixedPoint < rhs.fixedPoint }
}
