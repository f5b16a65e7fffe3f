/// A DynamoDB number: an exact decimal of up to 38 significant digits whose magnitude
/// lies between 1E-130 and 9.99…E+125, or zero. Kept as sign, significant digits and
/// the power of ten of the last digit, so it never passes through a Double.
public struct DynamoNumber: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// True for negative numbers (never for zero).
    public let negative: Bool
    /// Significant digits, no leading or trailing zeros; empty for zero.
    public let digits: [UInt8]
    /// The value is digits × 10^exponent.
    public let exponent: Int

    public enum Failure: Error, Equatable {
        case notANumber
        case tooManyDigits
        case overflow
        case underflow
    }

    public static let zero = DynamoNumber(negative: false, digits: [], exponent: 0)

    init(negative: Bool, digits: [UInt8], exponent: Int) {
        var d = digits
        var e = exponent
        while let first = d.first, first == 0 { d.removeFirst() }
        while let last = d.last, last == 0 { d.removeLast(); e += 1 }
        self.negative = d.isEmpty ? false : negative
        self.digits = d
        self.exponent = d.isEmpty ? 0 : e
    }

    /// Parses `12`, `-0.5`, `1.5e3`, `+7`, `.5`; rejects what DynamoDB rejects. The
    /// exponent is read in full (any 64-bit value) before the range is applied, so
    /// `1e99999999999` overflows rather than wrapping, and only an exponent past 64
    /// bits is not a number at all. Zero is range-checked by the exponent it is
    /// written with (`0e126` overflows, `0e125` is `0`), as DynamoDB does.
    public init(parsing text: String) throws(Failure) {
        var bytes = Array(text.utf8)[...]
        guard !bytes.isEmpty else { throw .notANumber }
        var negative = false
        if bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+") {
            negative = bytes.first == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        var digits: [UInt8] = []
        var fractionCount = 0
        var sawPoint = false
        while let c = bytes.first, c != UInt8(ascii: "e"), c != UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if c == UInt8(ascii: ".") {
                guard !sawPoint else { throw .notANumber }
                sawPoint = true
                continue
            }
            guard c >= 48 && c <= 57 else { throw .notANumber }
            digits.append(c - 48)
            if sawPoint { fractionCount += 1 }
        }
        guard !digits.isEmpty else { throw .notANumber }
        var written = 0
        if !bytes.isEmpty {
            bytes = bytes.dropFirst()  // the `e`
            var expNegative = false
            if bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+") {
                expNegative = bytes.first == UInt8(ascii: "-")
                bytes = bytes.dropFirst()
            }
            guard !bytes.isEmpty else { throw .notANumber }
            for c in bytes {
                guard c >= 48 && c <= 57 else { throw .notANumber }
                let (shifted, o1) = written.multipliedReportingOverflow(by: 10)
                let (next, o2) = expNegative ? shifted.subtractingReportingOverflow(Int(c - 48))
                                             : shifted.addingReportingOverflow(Int(c - 48))
                guard !o1, !o2 else { throw .notANumber }
                written = next
            }
        }
        let leading = digits.prefix { $0 == 0 }.count
        guard leading < digits.count else {
            // Zero: the written exponent still has to be in range.
            let (adjusted, o) = written.subtractingReportingOverflow(fractionCount)
            if o || adjusted < -130 { throw .underflow }
            if adjusted > 125 { throw .overflow }
            self = .zero
            return
        }
        // Power of ten of the first significant digit, before the written exponent.
        let position = digits.count - fractionCount - 1 - leading
        let (magnitude, o) = position.addingReportingOverflow(written)
        if o { throw written > 0 ? .overflow : .underflow }
        if magnitude > 125 { throw .overflow }
        if magnitude < -130 { throw .underflow }
        var significant = Array(digits[leading...])
        while significant.last == 0 { significant.removeLast() }
        if significant.count > 38 { throw .tooManyDigits }
        self.init(negative: negative, digits: significant, exponent: magnitude - (significant.count - 1))
    }

    /// The power of ten of the most significant digit (zero for zero).
    var magnitude: Int { digits.isEmpty ? 0 : exponent + digits.count - 1 }

    func checkRange() throws(Failure) {
        guard !digits.isEmpty else { return }
        if magnitude > 125 { throw .overflow }
        if magnitude < -130 { throw .underflow }
        if digits.count > 38 { throw .tooManyDigits }
    }

    public var isZero: Bool { digits.isEmpty }

    /// Plain decimal notation, as DynamoDB returns numbers: `100`, `-0.25`, `0`.
    public var description: String {
        guard !digits.isEmpty else { return "0" }
        var out = negative ? "-" : ""
        let chars = digits.map { Character(Unicode.Scalar($0 + 48)) }
        if exponent >= 0 {
            out += String(chars) + String(repeating: "0", count: exponent)
        } else if -exponent >= chars.count {
            out += "0." + String(repeating: "0", count: -exponent - chars.count) + String(chars)
        } else {
            let split = chars.count + exponent
            out += String(chars[..<split]) + "." + String(chars[split...])
        }
        return out
    }

    public static func < (a: DynamoNumber, b: DynamoNumber) -> Bool { compare(a, b) < 0 }

    static func compare(_ a: DynamoNumber, _ b: DynamoNumber) -> Int {
        if a.negative != b.negative { return a.negative ? -1 : 1 }
        let m = compareMagnitude(a, b)
        return a.negative ? -m : m
    }

    /// Compares absolute values.
    static func compareMagnitude(_ a: DynamoNumber, _ b: DynamoNumber) -> Int {
        if a.digits.isEmpty || b.digits.isEmpty { return a.digits.isEmpty ? (b.digits.isEmpty ? 0 : -1) : 1 }
        if a.magnitude != b.magnitude { return a.magnitude < b.magnitude ? -1 : 1 }
        for i in 0..<max(a.digits.count, b.digits.count) {
            let x = i < a.digits.count ? a.digits[i] : 0
            let y = i < b.digits.count ? b.digits[i] : 0
            if x != y { return x < y ? -1 : 1 }
        }
        return 0
    }

    /// Exact sum; fails like DynamoDB when the result leaves the supported range.
    public static func + (a: DynamoNumber, b: DynamoNumber) throws(Failure) -> DynamoNumber {
        if a.isZero { return b }
        if b.isZero { return a }
        let e = min(a.exponent, b.exponent)
        let x = a.digits + [UInt8](repeating: 0, count: a.exponent - e)
        let y = b.digits + [UInt8](repeating: 0, count: b.exponent - e)
        let result: DynamoNumber
        if a.negative == b.negative {
            result = DynamoNumber(negative: a.negative, digits: addDigits(x, y), exponent: e)
        } else if compareMagnitude(a, b) >= 0 {
            result = DynamoNumber(negative: a.negative, digits: subtractDigits(x, y), exponent: e)
        } else {
            result = DynamoNumber(negative: b.negative, digits: subtractDigits(y, x), exponent: e)
        }
        try result.checkRange()
        return result
    }

    public static func - (a: DynamoNumber, b: DynamoNumber) throws(Failure) -> DynamoNumber {
        try a + DynamoNumber(negative: !b.negative, digits: b.digits, exponent: b.exponent)
    }

    static func addDigits(_ x: [UInt8], _ y: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var carry: UInt8 = 0
        var i = x.count - 1, j = y.count - 1
        while i >= 0 || j >= 0 || carry > 0 {
            let s = (i >= 0 ? x[i] : 0) + (j >= 0 ? y[j] : 0) + carry
            out.append(s % 10)
            carry = s / 10
            i -= 1
            j -= 1
        }
        return out.reversed()
    }

    /// x − y for x ≥ y.
    static func subtractDigits(_ x: [UInt8], _ y: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var borrow: Int = 0
        var i = x.count - 1, j = y.count - 1
        while i >= 0 {
            var d = Int(x[i]) - borrow - (j >= 0 ? Int(y[j]) : 0)
            borrow = d < 0 ? 1 : 0
            if d < 0 { d += 10 }
            out.append(UInt8(d))
            i -= 1
            j -= 1
        }
        return out.reversed()
    }
}
