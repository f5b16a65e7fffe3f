import XCTest
@testable import States

/// Timestamps as Step Functions reads them: RFC 3339 with an uppercase `T` and `Z`.
final class TimestampTests: XCTestCase {
    func testWhatParses() {
        let valid = [
            "2016-03-14T01:59:00Z", "2016-03-14T01:59:00.1Z", "2016-03-14T01:59:00.123456789Z", "2016-03-14T01:59:00+00:00",
            "2016-03-14T01:59:00-05:30", "2016-03-14T01:59:00.5+14:00", "2016-02-29T00:00:00Z", "2000-02-29T23:59:59Z",
            "1970-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z",
            "2016-03-14T01:59:00.1234567891234Z",
        ]
        for text in valid { XCTAssertNotNil(Timestamp(text), text) }
        let invalid = [
            "", "2016-03-14", "2016-03-14T01:59Z", "2016-03-14T01:59:00", "2016-03-14t01:59:00Z", "2016-03-14T01:59:00z",
            "2016-03-14 01:59:00Z", "2016-03-14T01:59:00.Z", "2016-03-14T01:59:00+0100", "2016-03-14T01:59:00+01",
            "2016-13-01T00:00:00Z", "2016-00-01T00:00:00Z", "2016-04-31T00:00:00Z", "2015-02-29T00:00:00Z",
            "1900-02-29T00:00:00Z", "2016-03-14T24:00:00Z", "2016-03-14T23:60:00Z", "2016-03-14T01:59:00+24:00",
            "16-03-14T01:59:00Z", "2016-3-14T01:59:00Z", "2016-03-14T01:59:00ZZ", " 2016-03-14T01:59:00Z",
            "2016-03-14T01:59:00Z ", "２０１６-03-14T01:59:00Z", "2016-03-14T01:59:00.１Z",
        ]
        for text in invalid { XCTAssertNil(Timestamp(text), text) }
    }

    func testInstantsCompareAcrossOffsetsAndFractions() throws {
        func t(_ s: String) throws -> Timestamp { try XCTUnwrap(Timestamp(s), s) }
        XCTAssertEqual(try t("2016-03-14T01:59:00Z"), try t("2016-03-14T02:59:00+01:00"))
        XCTAssertEqual(try t("2016-03-14T01:59:00Z"), try t("2016-03-13T20:29:00-05:30"))
        XCTAssertEqual(try t("2016-03-14T01:59:00.5Z"), try t("2016-03-14T01:59:00.500Z"))
        XCTAssertLessThan(try t("2016-03-14T01:59:00Z"), try t("2016-03-14T01:59:00.000000001Z"))
        XCTAssertLessThan(try t("2016-03-14T01:59:00.999999999Z"), try t("2016-03-14T01:59:01Z"))
        XCTAssertLessThan(try t("1969-12-31T23:59:59.5Z"), try t("1970-01-01T00:00:00Z"))
        XCTAssertLessThan(try t("2016-03-14T23:00:00-02:00"), try t("2016-03-15T02:00:00+00:00"))
        // Digits past nanoseconds are read but do not count.
        XCTAssertEqual(try t("2016-03-14T01:59:00.1234567891Z"), try t("2016-03-14T01:59:00.123456789Z"))
    }

    func testEpochArithmetic() throws {
        XCTAssertEqual(Timestamp("1970-01-01T00:00:00Z")?.milliseconds, 0)
        XCTAssertEqual(Timestamp("1970-01-01T00:00:01.234Z")?.milliseconds, 1_234)
        XCTAssertEqual(Timestamp("2016-03-14T01:59:00Z")?.seconds, 1_457_920_740)
        XCTAssertEqual(Timestamp("2016-03-14T02:59:00+01:00")?.seconds, 1_457_920_740)
        XCTAssertEqual(Timestamp("2026-01-01T00:00:00Z")?.milliseconds, 1_767_225_600_000)
        XCTAssertEqual(Timestamp("1969-12-31T23:59:59Z")?.seconds, -1)
    }

    func testFormatIsWhatTheContextObjectShows() {
        XCTAssertEqual(Timestamp.format(milliseconds: 0), "1970-01-01T00:00:00.000Z")
        XCTAssertEqual(Timestamp.format(milliseconds: 1_767_225_600_000), "2026-01-01T00:00:00.000Z")
        XCTAssertEqual(Timestamp.format(milliseconds: 1_457_920_740_007), "2016-03-14T01:59:00.007Z")
        XCTAssertEqual(Timestamp.format(milliseconds: 951_782_399_999), "2000-02-28T23:59:59.999Z")
        for ms: Int64 in [0, 1, 999, 1_457_920_740_007, 4_102_444_799_999] {
            XCTAssertEqual(Timestamp(Timestamp.format(milliseconds: ms))?.milliseconds, ms, "round trip \(ms)")
        }
    }
}
