import XCTest
@testable import DynamoDB

final class DynamoNumberTests: XCTestCase {
    private func n(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> DynamoNumber {
        do {
            return try DynamoNumber(parsing: text)
        } catch {
            XCTFail("\(text) did not parse: \(error)", file: file, line: line)
            return .zero
        }
    }

    private func failure(_ text: String) -> DynamoNumber.Failure? {
        do {
            _ = try DynamoNumber(parsing: text)
            return nil
        } catch {
            return error
        }
    }

    func testCanonicalTextIsPlainDecimalWithoutInsignificantZeros() {
        let cases: [(String, String)] = [
            ("1.50", "1.5"), ("1e2", "100"), ("1E2", "100"), ("-0", "0"), ("+7", "7"), ("0042.1200", "42.12"),
            ("0.0", "0"), ("-0.000", "0"), (".5", "0.5"), ("5.", "5"), ("-1.25e1", "-12.5"), ("1e-3", "0.001"),
            ("12345e-2", "123.45"), ("100", "100"), ("1.0e+1", "10"), ("0e125", "0"), ("-00.010", "-0.01"),
        ]
        for (text, canonical) in cases {
            XCTAssertEqual(n(text).description, canonical, text)
        }
    }

    func testExtremesExpandInFull() {
        XCTAssertEqual(n("1E125").description, "1" + String(repeating: "0", count: 125))
        XCTAssertEqual(n("1E-130").description, "0." + String(repeating: "0", count: 129) + "1")
        XCTAssertEqual(n("-9.9999999999999999999999999999999999999E+125").description,
                       "-99999999999999999999999999999999999999" + String(repeating: "0", count: 88))
    }

    func testRejectsWhatIsNotANumber() {
        for text in ["", "abc", "1.2.3", " 1", "1 ", "0x10", "1e", "1e+", "NaN", "Infinity", "-", "+", ".", "e5", "1e5.0", "--1", "1,000", "١"] {
            XCTAssertEqual(failure(text), .notANumber, "'\(text)'")
        }
    }

    func testRangeIsOneEMinus130ToJustUnderOneE126() {
        XCTAssertNil(failure("9.9999999999999999999999999999999999999E+125"))
        XCTAssertNil(failure("1E-130"))
        XCTAssertNil(failure("-1E-130"))
        XCTAssertEqual(failure("1E126"), .overflow)
        XCTAssertEqual(failure("-1E126"), .overflow)
        XCTAssertEqual(failure("0.1E-130"), .underflow)
        XCTAssertNil(failure("0.1E-129"))
        XCTAssertEqual(failure("1E-131"), .underflow)
    }

    func testExponentsAreReadInFullBeforeTheRangeApplies() {
        // dynamodb-conformance tests/tier3/limits/numberExponent.test.ts (AWS, 2026-10).
        XCTAssertEqual(failure("1e99999999999"), .overflow)
        XCTAssertEqual(failure("-1e99999999999"), .overflow)
        XCTAssertEqual(failure("1e-99999999999"), .underflow)
        XCTAssertEqual(failure("1e2147483648"), .overflow)
        XCTAssertEqual(failure("1e2147483647"), .overflow)
        XCTAssertEqual(failure("1e-2147483648"), .underflow)
        XCTAssertEqual(failure("1e9223372036854775807"), .overflow)
        XCTAssertEqual(failure("1e-9223372036854775808"), .underflow)
        XCTAssertEqual(failure("1e9223372036854775808"), .notANumber)
        XCTAssertEqual(failure("1e-9223372036854775809"), .notANumber)
        XCTAssertEqual(n("1000e-3").description, "1")
    }

    func testZeroIsRangeCheckedByItsWrittenExponent() {
        XCTAssertEqual(failure("0e126"), .overflow)
        XCTAssertEqual(failure("0e-131"), .underflow)
        XCTAssertEqual(n("0e125"), .zero)
        XCTAssertEqual(n("0e-130"), .zero)
        XCTAssertEqual(failure("0e99999999999"), .overflow)
    }

    func testAtMost38SignificantDigits() {
        XCTAssertNil(failure("12345678901234567890123456789012345678"))
        XCTAssertEqual(failure("1234567890123456789012345678901234567890"), .tooManyDigits)
        XCTAssertEqual(failure("1.234567890123456789012345678901234567890"), .tooManyDigits)
        // Leading and trailing zeros are not significant.
        XCTAssertNil(failure("000000000012345678901234567890123456789012345678000000000"))
        XCTAssertNil(failure("0.00000000000000000000000000000000000000000000001"))
        // Overflow is reported before the digit count.
        XCTAssertEqual(failure("1234567890123456789012345678901234567890e200"), .overflow)
    }

    func testEqualityAndHashIgnoreSpelling() {
        XCTAssertEqual(n("1"), n("1.000"))
        XCTAssertEqual(n("100"), n("1e2"))
        XCTAssertEqual(n("-0"), n("0"))
        XCTAssertEqual(Set([n("1.0"), n("1"), n("10e-1")]).count, 1)
        XCTAssertNotEqual(n("1"), n("-1"))
    }

    func testComparisonIsNumeric() {
        let ascending = ["-1E125", "-100", "-99.99", "-10", "-9", "-1.01", "-1", "-0.5", "-1E-130", "0",
                         "1E-130", "0.001", "0.5", "1", "1.01", "9", "10", "99.99", "100", "1E125"]
        let values = ascending.map { n($0) }
        for i in values.indices {
            for j in values.indices {
                XCTAssertEqual(values[i] < values[j], i < j, "\(ascending[i]) < \(ascending[j])")
                XCTAssertEqual(values[i] == values[j], i == j, "\(ascending[i]) == \(ascending[j])")
            }
        }
        XCTAssertLessThan(n("12345678901234567890123456789012345677"), n("12345678901234567890123456789012345678"))
        XCTAssertLessThan(n("0.12345678901234567890123456789012345677"), n("0.12345678901234567890123456789012345678"))
    }

    func testAdditionIsExact() throws {
        XCTAssertEqual(try (n("0.1") + n("0.2")).description, "0.3")
        XCTAssertEqual(try (n("1") + n("-1")).description, "0")
        XCTAssertEqual(try (n("-5") + n("3")).description, "-2")
        XCTAssertEqual(try (n("3") + n("-5")).description, "-2")
        XCTAssertEqual(try (n("999") + n("1")).description, "1000")
        XCTAssertEqual(try (n("1000") + n("-0.001")).description, "999.999")
        XCTAssertEqual(try (n("12345678901234567890123456789012345678") + n("1")).description,
                       "12345678901234567890123456789012345679")
        XCTAssertEqual(try (n("1E100") + n("1E100")).description, "2" + String(repeating: "0", count: 100))
        XCTAssertEqual(try (n("0") + n("-7.5")).description, "-7.5")
        XCTAssertEqual(try (n("10") - n("9.99")).description, "0.01")
        XCTAssertEqual(try (n("-10") - n("-10")).description, "0")
        XCTAssertEqual(try (n("1.5") - n("2.25")).description, "-0.75")
    }

    func testArithmeticLeavingTheRangeFails() {
        let big = n("9.9999999999999999999999999999999999999E+125")
        XCTAssertThrowsError(try big + big) { XCTAssertEqual($0 as? DynamoNumber.Failure, .overflow) }
        XCTAssertThrowsError(try n("-9E125") - n("9E125")) { XCTAssertEqual($0 as? DynamoNumber.Failure, .overflow) }
        XCTAssertThrowsError(try n("12345678901234567890123456789012345678") + n("0.1")) {
            XCTAssertEqual($0 as? DynamoNumber.Failure, .tooManyDigits)
        }
        XCTAssertThrowsError(try n("1.1E-130") - n("1E-130")) { XCTAssertEqual($0 as? DynamoNumber.Failure, .underflow) }
    }

    func testRandomSumsMatchIntegerArithmetic() throws {
        var rng = DynamoTestRandom(seed: 7)
        for _ in 0..<500 {
            let a = Int64(bitPattern: rng.next()) >> 20, b = Int64(bitPattern: rng.next()) >> 20
            let scale = Int(rng.next() % 6)
            let x = n(scaled(a, scale)), y = n(scaled(b, scale))
            XCTAssertEqual(try (x + y), n(scaled(a + b, scale)), "\(a) + \(b) at scale \(scale)")
            XCTAssertEqual(try (x - y), n(scaled(a - b, scale)), "\(a) - \(b) at scale \(scale)")
            XCTAssertEqual(x < y, a < b)
        }
    }

    /// `value` × 10^-scale as text.
    private func scaled(_ value: Int64, _ scale: Int) -> String { "\(value)e-\(scale)" }
}

/// A small deterministic generator for property tests.
struct DynamoTestRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
