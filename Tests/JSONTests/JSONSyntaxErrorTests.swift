import XCTest
@testable import JSON

/// Malformed documents fail with `JSONSyntaxError`, never with a crash or a guess.
final class JSONSyntaxErrorTests: XCTestCase {
    func assertRejected(_ bytes: [UInt8], _ label: String, reason: String? = nil, offset: Int? = nil,
                        file: StaticString = #filePath, line: UInt = #line) {
        do {
            let value = try JSONValue.parse(bytes)
            XCTFail("\(label): parsed as \(value.jsonString)", file: file, line: line)
        } catch let error as JSONSyntaxError {
            if let reason { XCTAssertEqual(error.reason, reason, label, file: file, line: line) }
            if let offset { XCTAssertEqual(error.offset, offset, label, file: file, line: line) }
            XCTAssertTrue(error.description.contains("at offset \(error.offset)"), file: file, line: line)
        } catch {
            XCTFail("\(label): unexpected error \(error)", file: file, line: line)
        }
    }

    func assertRejected(_ text: String, reason: String? = nil, offset: Int? = nil,
                        file: StaticString = #filePath, line: UInt = #line) {
        assertRejected(Array(text.utf8), text.debugDescription, reason: reason, offset: offset, file: file, line: line)
    }

    func testTrailingGarbageIsRejected() {
        assertRejected("{} x", reason: "Unexpected trailing characters", offset: 3)
        assertRejected("1 2", reason: "Unexpected trailing characters", offset: 2)
        assertRejected("[1]]", reason: "Unexpected trailing characters", offset: 3)
        assertRejected(#""a""b""#, reason: "Unexpected trailing characters")
        assertRejected("nullx", reason: "Unexpected trailing characters")
        assertRejected(Array("{}".utf8) + [0], "NUL after the document", reason: "Unexpected trailing characters")
    }

    func testUnterminatedInputIsRejected() {
        let table = [#""abc"#, #""abc\"#, #""abc\""#, #""\u00e9"#, "[1,", "[1", #"{"a":1"#, #"{"a":"#, #"{"a""#, "{", "[", ""]
        for text in table { assertRejected(text) }
        assertRejected(#""abc"#, reason: "Unterminated string")
        assertRejected(#""a\nb"#, reason: "Unterminated string")
        assertRejected("", reason: "Unexpected end of input", offset: 0)
        assertRejected("   ", reason: "Unexpected end of input", offset: 3)
    }

    func testBadNumbersAreRejected() {
        for text in ["01", "-01", "00", "-00.5", "1.", ".5", "+1", "1e", "1e+", "-", "--1", "0x10", "1.e5", "NaN", "Infinity", "-Infinity"] {
            assertRejected(text)
        }
        assertRejected("01", reason: "Unexpected trailing characters", offset: 1)
        assertRejected("[01]", reason: "Expected ',' or ']'", offset: 2)
    }

    func testBadStructureIsRejected() {
        for text in ["[1,]", #"{"a":1,}"#, "{a:1}", "{'a':1}", "['x']", #"{"a" 1}"#, #"{"a":1 "b":2}"#, "[1 2]", "[,1]", "{,}",
                     "tru", "nul", "fals", "True", "undefined", "}", "]", ":", ","] {
            assertRejected(text)
        }
    }

    func testBadEscapesAndRawControlCharactersAreRejected() {
        assertRejected(#""\x""#, reason: "Invalid escape")
        assertRejected(#""\'""#, reason: "Invalid escape")
        assertRejected(#""\u12""#, reason: "Invalid unicode escape")
        assertRejected(#""\u12G4""#, reason: "Invalid unicode escape")
        assertRejected("\"a\nb\"", reason: "Control character in string")
        assertRejected("\"a\tb\"", reason: "Control character in string")
        assertRejected("\"\\n\u{1}\"", reason: "Control character in string")
    }

    func testUnpairedSurrogatesAreRejected() {
        for text in [#""\ud800""#, #""\ud800x""#, #""\ud800\u0041""#, #""\udc00""#, #""\udfff\ud800""#, #""\ud83d\ud83d""#, #""\ud83d\""#] {
            assertRejected(text, reason: text == #""\ud83d\""# ? nil : "Unpaired surrogate")
        }
    }

    func testInvalidUTF8IsRejected() {
        let quote: UInt8 = 0x22
        let table: [(String, [UInt8])] = [
            ("lone continuation byte", [0x80]),
            ("invalid byte", [0xFF]),
            ("overlong slash", [0xC0, 0xAF]),
            ("truncated two-byte sequence", [0xC3]),
            ("truncated four-byte sequence", [0xF0, 0x9F, 0x98]),
            ("UTF-8 encoded surrogate", [0xED, 0xA0, 0x80]),
            ("beyond U+10FFFF", [0xF4, 0x90, 0x80, 0x80]),
        ]
        for (label, bad) in table {
            // Fast path (no escapes) and slow path (an escape before the bad bytes).
            assertRejected([quote] + bad + [quote], label, reason: "Invalid UTF-8 in string")
            assertRejected([quote, 0x5C, UInt8(ascii: "n")] + bad + [quote], "\(label) after an escape", reason: "Invalid UTF-8 in string")
            assertRejected([UInt8(ascii: "{"), quote] + bad + [quote, UInt8(ascii: ":"), UInt8(ascii: "1"), UInt8(ascii: "}")],
                           "\(label) in a key", reason: "Invalid UTF-8 in string")
        }
        assertRejected([0xFF], "invalid byte outside a string", reason: "Unexpected character", offset: 0)
        assertRejected([0xEF, 0xBB, 0xBF] + Array("{}".utf8), "byte order mark", offset: 0)
    }

    func testErrorsReportWhereParsingStopped() {
        assertRejected(#"{"a":[1,2,x]}"#, reason: "Unexpected character", offset: 10)
        assertRejected(#"{"a" 1}"#, reason: "Expected ':'", offset: 5)
        assertRejected("{1:2}", reason: "Expected object key", offset: 1)
    }
}

/// Nesting is bounded so hostile input cannot exhaust the stack.
final class JSONDepthTests: XCTestCase {
    func nested(_ depth: Int, open: String = "[", close: String = "]") -> String {
        String(repeating: open, count: depth) + String(repeating: close, count: depth)
    }

    func testNestingUpToMaxDepthParses() throws {
        XCTAssertNoThrow(try JSONValue.parse(nested(512)))
        XCTAssertNoThrow(try JSONValue.parse(Array(nested(3).utf8), maxDepth: 3))
        let objects = String(repeating: #"{"a":"#, count: 512) + "1" + String(repeating: "}", count: 512)
        let value = try JSONValue.parse(objects)
        XCTAssertEqual(value.jsonString, objects)
    }

    func testNestingBeyondMaxDepthIsRejected() {
        for (text, maxDepth) in [(nested(513), 512), (nested(4), 3), ("[{}]", 1), ("{\"a\":[]}", 1)] {
            XCTAssertThrowsError(try JSONValue.parse(Array(text.utf8), maxDepth: maxDepth)) { error in
                XCTAssertEqual((error as? JSONSyntaxError)?.reason, "Nesting too deep")
            }
        }
        XCTAssertThrowsError(try JSONValue.parse("[[1]]".utf8, maxDepth: 1))
    }

    func testHostileDepthIsRejectedWithoutCrashing() {
        // Far deeper than any stack could recurse: rejected at the limit, early.
        let unclosed = [UInt8](repeating: UInt8(ascii: "["), count: 1_000_000)
        XCTAssertThrowsError(try JSONValue.parse(unclosed)) { error in
            XCTAssertEqual(error as? JSONSyntaxError, JSONSyntaxError(offset: 512, reason: "Nesting too deep"))
        }
        let objects = String(repeating: #"{"a":"#, count: 200_000)
        XCTAssertThrowsError(try JSONValue.parse(objects)) { error in
            XCTAssertEqual((error as? JSONSyntaxError)?.reason, "Nesting too deep")
        }
    }

    func testDepthIsCountedPerPathNotPerDocument() throws {
        // Many siblings at depth 2 are fine with maxDepth 2.
        let siblings = "[" + Array(repeating: "[]", count: 1000).joined(separator: ",") + "]"
        XCTAssertNoThrow(try JSONValue.parse(Array(siblings.utf8), maxDepth: 2))
    }
}
