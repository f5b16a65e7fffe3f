import XCTest
@testable import JSON

/// Parse → serialize keeps what the client wrote: member order, number spelling,
/// and the text of strings.
final class JSONRoundTripTests: XCTestCase {
    func testCompactDocumentsRoundTripByteForByte() throws {
        let documents = [
            #"{"b":1,"a":2,"c":{"z":true,"y":false,"x":null}}"#,
            #"[1,1.0,1e5,1E+5,-0,-0.0,0.5e-3,123456789012345678901234567890]"#,
            #"{"big":-99999999999999999999999999999999999999,"tiny":1e-400,"huge":1e400}"#,
            #"{"nested":[[],{},[{}],{"a":[]}],"s":""}"#,
            #"{"a":1,"a":2}"#,
            #""just a string""#,
            "0",
            "-0",
            "true",
            "null",
            "[]",
            "{}",
        ]
        for text in documents {
            let value = try JSONValue.parse(text)
            XCTAssertEqual(value.jsonString, text, "round trip of \(text)")
            XCTAssertEqual(value.serialized(), Array(text.utf8))
        }
    }

    func testWhitespaceIsDroppedButOrderAndSpellingKept() throws {
        let value = try JSONValue.parse(" \t\r\n{ \"z\" : 1.50 ,\n \"a\" : [ 1e5 , -0 ] } \n")
        XCTAssertEqual(value.jsonString, #"{"z":1.50,"a":[1e5,-0]}"#)
        XCTAssertEqual(value.objectValue?.keys, ["z", "a"])
    }

    func testNumbersKeepTheirSpelling() throws {
        let table: [(String, JSONValue)] = [
            ("1", .number("1")),
            ("1.0", .number("1.0")),
            ("1e5", .number("1e5")),
            ("1E-5", .number("1E-5")),
            ("-0", .number("-0")),
            ("123456789012345678901234567890", .number("123456789012345678901234567890")),
        ]
        for (text, expected) in table {
            XCTAssertEqual(try JSONValue.parse(text), expected, text)
        }
        // `1` and `1.0` are different values: the spelling is the value.
        XCTAssertNotEqual(try JSONValue.parse("1"), try JSONValue.parse("1.0"))
    }

    func testIntValueOnlyForIntegersThatFitInSixtyFourBits() throws {
        XCTAssertEqual(try JSONValue.parse("42").intValue, 42)
        XCTAssertEqual(try JSONValue.parse("-9223372036854775808").intValue, Int.min)
        XCTAssertNil(try JSONValue.parse("9223372036854775808").intValue)
        XCTAssertNil(try JSONValue.parse("123456789012345678901234567890").intValue)
        XCTAssertNil(try JSONValue.parse("1.0").intValue)
        XCTAssertNil(try JSONValue.parse("1e5").intValue)
        XCTAssertNil(JSONValue.string("1").intValue)
        XCTAssertEqual(JSONValue.integer(Int64(-7)), .number("-7"))
    }

    func testParsesFromNonContiguousCollections() throws {
        let text = #"{"a":[1,"é\n"]}"#
        // A lazy map has no contiguous storage, so the parser copies it first.
        let lazy = Array(text.utf8).lazy.map { $0 }
        XCTAssertEqual(try JSONValue.parse(lazy).jsonString, text)
        // A slice that does not start at index 0.
        let padded = Array("xx\(text)".utf8)
        XCTAssertEqual(try JSONValue.parse(padded[2...]).jsonString, text)
    }

    func testLiteralsBuildValuesInOrder() {
        let value: JSONValue = ["z": 1, "a": ["x", true, nil], "m": "s"]
        XCTAssertEqual(value.jsonString, #"{"z":1,"a":["x",true,null],"m":"s"}"#)
        XCTAssertEqual(value.objectValue?.keys, ["z", "a", "m"])
        XCTAssertEqual(value["a"]?.arrayValue?.count, 3)
        XCTAssertNil(JSONValue.string("x")["a"], "subscript on a non-object is nil")
    }

    func testTypeNamesAsAWSSpellsThem() throws {
        let table: [(String, String)] = [
            ("null", "null"), ("true", "boolean"), ("1", "number"), ("\"s\"", "string"), ("[]", "array"), ("{}", "object"),
        ]
        for (text, name) in table {
            XCTAssertEqual(try JSONValue.parse(text).typeName, name)
        }
    }
}
