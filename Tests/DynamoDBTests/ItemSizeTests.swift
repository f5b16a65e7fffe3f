import XCTest
import JSON
@testable import DynamoDB

final class ItemSizeTests: XCTestCase {
    private func n(_ text: String) -> DynamoNumber { try! DynamoNumber(parsing: text) }

    func testNumberSizesMeasuredAgainstAWS() {
        // The 23 literals dynamodb-conformance measured to the byte at the 400 KB gate
        // (src/item-size.js, CAPTURED_NUMBER_BYTES, eu-west-2 2026-08-18).
        let captured: [(String, Int)] = [
            ("0", 1), ("1", 2), ("12", 2), ("123", 3), ("1234", 3),
            ("12345678901234567890123456789012345678", 20), ("0042", 2), ("100", 2), ("1010", 3),
            ("0.0000001", 2), ("1E125", 2), ("1E-100", 2), ("1.5", 3), ("15", 2), ("1.2", 3),
            ("1.200", 3), ("1.234", 4), ("3.14159", 5), ("123456", 4), ("100.5", 4), ("0.15", 2),
            ("-42", 3), ("-0", 1),
        ]
        for (literal, bytes) in captured {
            XCTAssertEqual(ItemSize.of(n(literal)), bytes, literal)
        }
    }

    func testNumberSizesFromOtherSources() {
        // moto tests/test_dynamodb/models/test_dynamo_type_size.py
        for (literal, bytes) in [("27", 2), ("-27", 3), ("461", 3), ("1786461547", 6), ("0.5", 2), ("-0.010", 3), (String(repeating: "1", count: 38), 20)] {
            XCTAssertEqual(ItemSize.of(n(literal)), bytes, literal)
        }
        // Digit pairs align on the decimal point: 1|20 is two pairs, 0.0|12 too.
        XCTAssertEqual(ItemSize.of(n("120")), 3)
        XCTAssertEqual(ItemSize.of(n("0.012")), 3)
        XCTAssertEqual(ItemSize.of(n("0.12")), 2)
        // 38 digits straddling the point would need 20 pairs; the size caps at 21.
        XCTAssertEqual(ItemSize.of(n("1.234567890123456789012345678901234567")), 20)
        XCTAssertEqual(ItemSize.of(n("1.2345678901234567890123456789012345678")), 21)
        XCTAssertEqual(ItemSize.of(n("-1.2345678901234567890123456789012345678")), 21)
    }

    func testScalarSizes() {
        XCTAssertEqual(ItemSize.of(AttributeValue.s("")), 0)
        XCTAssertEqual(ItemSize.of(AttributeValue.s("café")), 5)
        XCTAssertEqual(ItemSize.of(AttributeValue.s("😀")), 4)
        XCTAssertEqual(ItemSize.of(AttributeValue.b([1, 2, 3])), 3)
        XCTAssertEqual(ItemSize.of(AttributeValue.bool(true)), 1)
        XCTAssertEqual(ItemSize.of(AttributeValue.null), 1)
    }

    func testDocumentAndSetSizes() {
        XCTAssertEqual(ItemSize.of(AttributeValue.m([])), 3)
        XCTAssertEqual(ItemSize.of(AttributeValue.l([])), 3)
        // 3 + (1 + "ab" 2) + (1 + 1 for NULL)
        XCTAssertEqual(ItemSize.of(AttributeValue.l([.s("ab"), .null])), 3 + 3 + 2)
        // 3 + ("k" 1 + "xyz" 3 + 1)
        XCTAssertEqual(ItemSize.of(AttributeValue.m([("k", .s("xyz"))])), 8)
        XCTAssertEqual(ItemSize.of(AttributeValue.m([("outer", .m([("i", .bool(true))]))])), 3 + 5 + (3 + 1 + 1 + 1) + 1)
        XCTAssertEqual(ItemSize.of(AttributeValue.ss(["a", "bc", ""])), 3)
        XCTAssertEqual(ItemSize.of(AttributeValue.ns([n("27"), n("-27"), n("461")])), 8)
        XCTAssertEqual(ItemSize.of(AttributeValue.bs([[1], [2, 3]])), 3)
    }

    func testItemSizeCountsNamesAndValues() throws {
        let item = try AttributeValue.decodeItem(try JSONValue.parse(
            #"{"id":{"S":"abc"},"n":{"N":"12345"},"flag":{"BOOL":true},"l":{"L":[{"S":"xy"}]}}"#))
        // 2+3, 1+4, 4+1, 1+(3+2+1)
        XCTAssertEqual(ItemSize.of(item), 5 + 5 + 5 + 7)
        let naive: Item = [("na\u{ef}ve", .s("x"))]
        XCTAssertEqual(ItemSize.of(naive), 7)
    }

    func testFourHundredKilobyteLimitIsInclusive() throws {
        let name = "p"
        let exactly: Item = [(name, .s(String(repeating: "x", count: ItemSize.maximum - 1)))]
        XCTAssertEqual(ItemSize.of(exactly), 409_600)
        XCTAssertNoThrow(try ItemSize.check(exactly))
        let over: Item = [(name, .s(String(repeating: "x", count: ItemSize.maximum)))]
        XCTAssertThrowsError(try ItemSize.check(over)) {
            XCTAssertEqual($0 as? DynamoDBError, .validation("Item size has exceeded the maximum allowed size"))
        }
        XCTAssertThrowsError(try ItemSize.checkUpdate(over)) {
            XCTAssertEqual($0 as? DynamoDBError, .validation("Item size to update has exceeded the maximum allowed size"))
        }
    }
}
