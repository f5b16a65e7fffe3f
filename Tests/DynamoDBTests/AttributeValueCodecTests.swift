import Foundation
import XCTest
import JSON
@testable import DynamoDB

final class AttributeValueCodecTests: XCTestCase {
    private func decode(_ text: String, style: AttributeValue.MessageStyle = .current) throws -> AttributeValue {
        try AttributeValue.decode(try JSONValue.parse(text), style: style)
    }

    /// The error decoding `text` raises, as `code: message`.
    private func failure(_ text: String, style: AttributeValue.MessageStyle = .current,
                         file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            let value = try decode(text, style: style)
            XCTFail("\(text) decoded to \(value)", file: file, line: line)
            return ""
        } catch let error as DynamoDBError {
            XCTAssertEqual(error.httpStatus, 400, file: file, line: line)
            return "\(error.code): \(error.message)"
        } catch {
            XCTFail("\(text) threw \(error)", file: file, line: line)
            return ""
        }
    }

    private func validation(_ message: String) -> String { "ValidationException: \(message)" }
    private func serialization(_ message: String) -> String { "SerializationException: \(message)" }
    private func n(_ text: String) -> DynamoNumber { try! DynamoNumber(parsing: text) }

    // MARK: - Every type

    func testDecodesEveryType() throws {
        XCTAssertEqual(try decode(#"{"S":"x"}"#), .s("x"))
        XCTAssertEqual(try decode(#"{"S":""}"#), .s(""))
        XCTAssertEqual(try decode(#"{"N":"1.50"}"#), .n(n("1.5")))
        XCTAssertEqual(try decode(#"{"B":"AP8="}"#), .b([0x00, 0xFF]))
        XCTAssertEqual(try decode(#"{"B":""}"#), .b([]))
        XCTAssertEqual(try decode(#"{"BOOL":true}"#), .bool(true))
        XCTAssertEqual(try decode(#"{"BOOL":false}"#), .bool(false))
        XCTAssertEqual(try decode(#"{"NULL":true}"#), .null)
        XCTAssertEqual(try decode(#"{"SS":["b","a",""]}"#), .ss(["b", "a", ""]))
        XCTAssertEqual(try decode(#"{"NS":["2","1.0"]}"#), .ns([n("2"), n("1")]))
        XCTAssertEqual(try decode(#"{"BS":["AQ==",""]}"#), .bs([[1], []]))
        XCTAssertEqual(try decode(#"{"L":[{"S":"a"},{"N":"1"},{"L":[]}]}"#), .l([.s("a"), .n(n("1")), .l([])]))
        let map = try decode(#"{"M":{"z":{"S":"1"},"a":{"M":{}}}}"#)
        guard case .m(let members) = map else { return XCTFail("\(map)") }
        XCTAssertEqual(members.map(\.key), ["z", "a"])
        XCTAssertEqual(map["a"], .m([]))
    }

    func testEncodesCanonicallyAndKeepsOrder() throws {
        let text = #"{"M":{"z":{"N":"001.50"},"a":{"NS":["3","1e2","-0"]},"b":{"BS":["/w==","AA=="]},"s":{"SS":["b","a"]},"l":{"L":[{"NULL":true},{"BOOL":false},{"B":"AQID"}]}}}"#
        let value = try decode(text)
        XCTAssertEqual(value.json.jsonString,
                       #"{"M":{"z":{"N":"1.5"},"a":{"NS":["3","100","0"]},"b":{"BS":["/w==","AA=="]},"s":{"SS":["b","a"]},"l":{"L":[{"NULL":true},{"BOOL":false},{"B":"AQID"}]}}}"#)
        XCTAssertEqual(try AttributeValue.decode(value.json), value)
    }

    func testItemsRoundTripInOrder() throws {
        let text = #"{"pk":{"S":"user#1"},"n":{"N":"42"},"tags":{"SS":["x"]},"blob":{"B":"aGk="}}"#
        let item = try AttributeValue.decodeItem(try JSONValue.parse(text))
        XCTAssertEqual(item.map(\.key), ["pk", "n", "tags", "blob"])
        XCTAssertEqual(AttributeValue.itemJSON(item).jsonString, text)
    }

    func testRepeatedNamesKeepFirstPositionAndLastValue() throws {
        let item = try AttributeValue.decodeItem(try JSONValue.parse(#"{"a":{"S":"1"},"b":{"S":"2"},"a":{"S":"3"}}"#))
        XCTAssertEqual(item.map(\.key), ["a", "b"])
        XCTAssertEqual(item.first?.value, .s("3"))
        XCTAssertEqual(try decode(#"{"S":"first","S":"last"}"#), .s("last"))
    }

    func testUnknownAndNullMembersAreIgnored() throws {
        XCTAssertEqual(try decode(#"{"S":"x","Q":"ignored"}"#), .s("x"))
        XCTAssertEqual(try decode(#"{"S":"x","N":null}"#), .s("x"))
    }

    func testStringsKeepTheirText() throws {
        let value = try decode(#"{"S":"caf\u00e9 \ud83d\ude00 \"quoted\" \\ \n"}"#)
        XCTAssertEqual(value, .s("café 😀 \"quoted\" \\ \n"))
        XCTAssertEqual(try AttributeValue.decode(try JSONValue.parse(value.json.jsonString)), value)
    }

    // MARK: - Validation messages

    func testEmptyAndAmbiguousValues() {
        let empty = validation("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes")
        XCTAssertEqual(failure("{}"), empty)
        XCTAssertEqual(failure(#"{"X":"y"}"#), empty)
        XCTAssertEqual(failure(#"{"S":null}"#), empty)
        XCTAssertEqual(failure(#"{"L":[null]}"#), empty)
        XCTAssertEqual(failure(#"{"M":{"a":{}}}"#), empty)
        XCTAssertEqual(failure(#"{"S":"a","N":"1"}"#),
                       validation("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes"))
        // Each type's content is checked before the count of types.
        XCTAssertEqual(failure(#"{"S":"a","N":"abc"}"#), validation("The parameter cannot be converted to a numeric value: abc"))
    }

    func testNullMustBeTrue() {
        XCTAssertEqual(failure(#"{"NULL":false}"#),
                       validation("One or more parameter values were invalid: Null attribute value types must have the value of true"))
    }

    func testNumberMessages() {
        // dynamodb-conformance tests/tier3/error-messages/valueLayers.test.ts (PutItem, current layer).
        let cases: [(String, String)] = [
            ("abc", "The parameter cannot be converted to a numeric value: abc"),
            ("1.2.3", "The parameter cannot be converted to a numeric value: 1.2.3"),
            ("", "The parameter cannot be converted to a numeric value: "),
            (" 1", "The parameter cannot be converted to a numeric value:  1"),
            ("NaN", "The parameter cannot be converted to a numeric value: NaN"),
            ("1e99999999999", "Number overflow. Attempting to store a number with magnitude larger than supported range"),
            ("1e126", "Number overflow. Attempting to store a number with magnitude larger than supported range"),
            ("1e-131", "Number underflow. Attempting to store a number with magnitude smaller than supported range"),
            ("1234567890123456789012345678901234567890", "Attempting to store more than 38 significant digits in a Number"),
        ]
        for (text, message) in cases {
            XCTAssertEqual(failure(#"{"N":"\#(text)"}"#), validation(message), text)
            XCTAssertEqual(failure(#"{"NS":["1","\#(text)"]}"#), validation(message), "NS \(text)")
            XCTAssertEqual(failure(#"{"M":{"x":{"L":[{"N":"\#(text)"}]}}}"#), validation(message), "nested \(text)")
        }
        XCTAssertEqual(failure(#"{"N":""}"#, style: .legacy), validation("The parameter cannot be converted to a numeric value"))
    }

    func testEmptySets() {
        XCTAssertEqual(failure(#"{"SS":[]}"#), validation("One or more parameter values were invalid: An string set  may not be empty"))
        XCTAssertEqual(failure(#"{"NS":[]}"#), validation("One or more parameter values were invalid: An number set  may not be empty"))
        XCTAssertEqual(failure(#"{"BS":[]}"#), validation("One or more parameter values were invalid: Binary sets should not be empty"))
    }

    func testDuplicateSetMembersInTheCurrentWording() {
        // Members in byte order up to the first repeat, then the repeat, then the rest as sent.
        XCTAssertEqual(failure(#"{"SS":["b","a","b"]}"#),
                       validation(#"One or more parameter values were invalid: Input collection ["a", "b", "b"] contains duplicates."#))
        XCTAssertEqual(failure(#"{"SS":["a","a"]}"#),
                       validation(#"One or more parameter values were invalid: Input collection ["a", "a"] contains duplicates."#))
        XCTAssertEqual(failure(#"{"SS":["c","a","c","z","b"]}"#),
                       validation(#"One or more parameter values were invalid: Input collection ["a", "c", "c", "z", "b"] contains duplicates."#))
        XCTAssertEqual(failure(#"{"SS":["",""]}"#),
                       validation(#"One or more parameter values were invalid: Input collection ["", ""] contains duplicates."#))
        XCTAssertEqual(failure(#"{"BS":["/w==","AA==","AA=="]}"#),
                       validation(#"One or more parameter values were invalid: Input collection ["AA==","/w==","AA=="]of type BS contains duplicates."#))
        XCTAssertEqual(failure(#"{"NS":["2","1","2"]}"#),
                       validation("One or more parameter values were invalid: Input collection contains duplicates."))
        XCTAssertEqual(failure(#"{"NS":["1","1.0"]}"#),
                       validation("One or more parameter values were invalid: Input collection contains duplicates."))
    }

    func testDuplicateSetMembersInTheLegacyWording() {
        XCTAssertEqual(failure(#"{"SS":["b","a","b"]}"#, style: .legacy),
                       validation("One or more parameter values were invalid: Input collection [b, a, b] contains duplicates."))
        XCTAssertEqual(failure(#"{"BS":["/w==","AA==","AA=="]}"#, style: .legacy),
                       validation("One or more parameter values were invalid: Input collection [/w==, AA==, AA==]of type BS contains duplicates."))
        XCTAssertEqual(failure(#"{"NS":["2","1","2"]}"#, style: .legacy), validation("Input collection contains duplicates"))
    }

    func testStringSetsCompareBytesNotCanonicalEquivalence() throws {
        // "é" precomposed and decomposed are different strings to DynamoDB.
        guard case .ss(let members) = try decode(#"{"SS":["\u00e9","e\u0301"]}"#) else { return XCTFail() }
        XCTAssertEqual(members.map { Array($0.utf8) }, [[0xC3, 0xA9], [0x65, 0xCC, 0x81]])
    }

    // MARK: - Nesting

    private func nested(_ depth: Int, wrapper: (String) -> String = { #"{"M":{"n":\#($0)}}"# }) -> String {
        var text = #"{"S":"leaf"}"#
        for _ in 0..<depth { text = wrapper(text) }
        return text
    }

    func testNestingLimitIs32Levels() throws {
        // dynamodb-conformance tests/tier3/limits/nestingDepth.test.ts: 31 wrappers accepted, 32 refused.
        XCTAssertNoThrow(try decode(nested(31)))
        XCTAssertNoThrow(try decode(nested(31) { #"{"L":[\#($0)]}"# }))
        let message = validation("Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit")
        XCTAssertEqual(failure(nested(32)), message)
        XCTAssertEqual(failure(nested(32) { #"{"L":[\#($0)]}"# }), message)
        XCTAssertEqual(failure(nested(100)), message)
        XCTAssertNoThrow(try AttributeValue.decode(try JSONValue.parse(nested(40)), style: .current, checkNesting: false))
        // In an item the attribute itself is level 1 too.
        XCTAssertNoThrow(try AttributeValue.decodeItem(try JSONValue.parse(#"{"d":\#(nested(31))}"#)))
        XCTAssertThrowsError(try AttributeValue.decodeItem(try JSONValue.parse(#"{"d":\#(nested(32))}"#)))
    }

    func testNestingIsReportedBeforeOtherProblemsInTheItem() {
        let text = #"{"bad":{"SS":[]},"deep":\#(nested(40))}"#
        XCTAssertThrowsError(try AttributeValue.decodeItem(try JSONValue.parse(text))) {
            XCTAssertEqual(($0 as? DynamoDBError)?.message,
                           "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit")
        }
    }

    // MARK: - Serialization (wire shape)

    func testScalarMembersOfTheWrongJSONType() {
        XCTAssertEqual(failure(#"{"S":123}"#), serialization("NUMBER_VALUE cannot be converted to String"))
        XCTAssertEqual(failure(#"{"S":1.5}"#), serialization("DECIMAL_VALUE cannot be converted to String"))
        XCTAssertEqual(failure(#"{"S":true}"#), serialization("TRUE_VALUE cannot be converted to String"))
        XCTAssertEqual(failure(#"{"S":false}"#), serialization("FALSE_VALUE cannot be converted to String"))
        XCTAssertEqual(failure(#"{"S":{"S":"asdf"}}"#), serialization("Start of structure or map found where not expected"))
        XCTAssertEqual(failure(#"{"S":["a"]}"#), serialization("Unrecognized collection type class java.lang.String"))
        XCTAssertEqual(failure(#"{"N":5}"#), serialization("NUMBER_VALUE cannot be converted to String"))
        XCTAssertEqual(failure(#"{"BOOL":"true"}"#), serialization("Unexpected token received from parser"))
        XCTAssertEqual(failure(#"{"BOOL":1}"#), serialization("NUMBER_VALUE cannot be converted to Boolean"))
        XCTAssertEqual(failure(#"{"NULL":[]}"#), serialization("Unrecognized collection type class java.lang.Boolean"))
        XCTAssertEqual(failure(#"{"NULL":{}}"#), serialization("Start of structure or map found where not expected"))
        XCTAssertEqual(failure(#"{"B":7}"#), serialization("NUMBER_VALUE cannot be converted to ByteBuffer"))
    }

    func testCollectionMembersOfTheWrongJSONType() {
        XCTAssertEqual(failure(#"{"SS":"a"}"#), serialization("Unexpected field type"))
        XCTAssertEqual(failure(#"{"L":{}}"#), serialization("Start of structure or map found where not expected"))
        XCTAssertEqual(failure(#"{"SS":[1]}"#), serialization("NUMBER_VALUE cannot be converted to String"))
        XCTAssertEqual(failure(#"{"NS":[1]}"#), serialization("NUMBER_VALUE cannot be converted to String"))
        XCTAssertEqual(failure(#"{"M":[]}"#),
                       serialization("Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>"))
        XCTAssertEqual(failure(#"{"M":"x"}"#), serialization("Unexpected field type"))
        XCTAssertEqual(failure(#"{"L":["x"]}"#), serialization("Unexpected value type in payload"))
        XCTAssertEqual(failure(#"{"L":[[]]}"#),
                       serialization("Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue"))
        XCTAssertEqual(failure(#""x""#), serialization("Unexpected value type in payload"))
        XCTAssertThrowsError(try AttributeValue.decodeItem(try JSONValue.parse(#"{"a":"x"}"#))) {
            XCTAssertEqual(($0 as? DynamoDBError)?.code, "SerializationException")
        }
        XCTAssertThrowsError(try AttributeValue.decodeItem(try JSONValue.parse("[]"))) {
            XCTAssertEqual(($0 as? DynamoDBError)?.message,
                           "Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>")
        }
    }

    func testSerializationErrorsComeBeforeValidationErrors() {
        // A later mistyped member beats an earlier invalid value.
        XCTAssertEqual(failure(#"{"M":{"a":{"NS":[]},"b":{"S":1}}}"#), serialization("NUMBER_VALUE cannot be converted to String"))
        XCTAssertEqual(failure(#"{"NULL":false,"S":true}"#), serialization("TRUE_VALUE cannot be converted to String"))
    }

    func testInvalidBase64() {
        let prefix = "SerializationException: "
        XCTAssertEqual(failure(#"{"B":"23456"}"#),
                       prefix + "'23456' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: 5")
        XCTAssertEqual(failure(#"{"B":"=+/="}"#), prefix + "'=+/=' can not be converted to a Blob: Invalid Base64 character: '='")
        XCTAssertEqual(failure(#"{"B":"a*b="}"#), prefix + "'a*b=' can not be converted to a Blob: Invalid Base64 character: '*'")
        XCTAssertEqual(failure(#"{"B":"YQ-_"}"#), prefix + "'YQ-_' can not be converted to a Blob: Invalid Base64 character: '-'")
        XCTAssertEqual(failure(#"{"B":"YR=="}"#), prefix + "'YR==' can not be converted to a Blob: Invalid last non-pad Base64 character dectected")
        XCTAssertEqual(failure(#"{"B":"A==="}"#), prefix + "'A===' can not be converted to a Blob: Invalid last non-pad Base64 character dectected")
        XCTAssertEqual(failure(#"{"BS":["AQ==","a"]}"#),
                       prefix + "'a' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: 1")
    }

    func testStrictBase64DecodesEveryLength() {
        for length in 0..<40 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            let text = Data(bytes).base64EncodedString()
            XCTAssertEqual(Base64Blob.decode(text), bytes, text)
            XCTAssertNil(Base64Blob.problem(text), text)
        }
    }
}
