import XCTest
@testable import JSON

/// String escapes in, escapes out.
final class JSONStringTests: XCTestCase {
    func testEscapesDecode() throws {
        let table: [(String, String)] = [
            (#""\"\\\/\b\f\n\r\t""#, "\"\\/\u{8}\u{C}\n\r\t"),
            (#""\u0041\u00e9\u20AC""#, "Aé€"),
            (#""\ud83d\ude00""#, "😀"),
            (#""\uD834\uDD1E clef""#, "𝄞 clef"),
            (#""a\u0000b""#, "a\u{0}b"),
            (#""plain é 😀""#, "plain é 😀"),
            (#""mixed é\n😀""#, "mixed é\n😀"),
        ]
        for (text, expected) in table {
            XCTAssertEqual(try JSONValue.parse(text), .string(expected), text)
        }
    }

    func testSerializerEscapesQuotesBackslashesAndControlCharacters() {
        let table: [(String, String)] = [
            ("\"", #""\"""#),
            ("\\", #""\\""#),
            ("/", #""/""#),
            ("\n\r\t\u{8}\u{C}", #""\n\r\t\b\f""#),
            ("\u{0}", #""\u0000""#),
            ("\u{1}\u{1F}", #""\u0001\u001f""#),
            ("\u{7F}", #""\u007f""#),
            ("é😀", "\"é😀\""),
        ]
        for (value, expected) in table {
            XCTAssertEqual(JSONValue.string(value).jsonString, expected, "escaping \(value.unicodeScalars.map(\.value))")
        }
    }

    func testEveryControlCharacterSurvivesARoundTrip() throws {
        let all = String((0...0x7F).map { Character(Unicode.Scalar(UInt8($0))) })
        let text = JSONValue.string(all).jsonString
        XCTAssertFalse(text.utf8.dropFirst().dropLast().contains { $0 < 0x20 }, "no raw control bytes in output")
        XCTAssertEqual(try JSONValue.parse(text), .string(all))
    }

    func testObjectKeysAreEscapedToo() throws {
        let value: JSONValue = ["a\"b\n": 1]
        XCTAssertEqual(value.jsonString, #"{"a\"b\n":1}"#)
        XCTAssertEqual(try JSONValue.parse(value.jsonString), value)
    }
}
