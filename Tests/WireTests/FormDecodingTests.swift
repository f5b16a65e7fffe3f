import XCTest
@testable import Wire

/// `application/x-www-form-urlencoded` bodies: decoded exactly, or rejected.
final class FormDecodingTests: XCTestCase {
    func pairs(_ text: String) throws -> [String] {
        try FormDecoding.decode(text).map { "\($0.name)=\($0.value)" }
    }

    func testDecodesPlusAndPercentEscapes() throws {
        let table: [(String, [String])] = [
            ("a=1&b=x%20y+z", ["a=1", "b=x y z"]),
            ("a%2Bb=c%2bd", ["a+b=c+d"]),
            ("a+b=c", ["a b=c"]),
            ("k=%E2%82%AC%e2%82%ac", ["k=€€"]),
            ("k=%26%3D%25", ["k=&=%"]),
            ("k=a=b=c", ["k=a=b=c"]),
            ("k=é😀", ["k=é😀"]),
            ("Action=SendMessage&MessageBody=%3Cxml%3E%0A%09", ["Action=SendMessage", "MessageBody=<xml>\n\t"]),
        ]
        for (text, expected) in table {
            XCTAssertEqual(try pairs(text), expected, text)
        }
    }

    func testEmptyValuesAndEmptySegments() throws {
        XCTAssertEqual(try pairs("a=&b="), ["a=", "b="])
        XCTAssertEqual(try pairs("a"), ["a="])
        XCTAssertEqual(try pairs("a&b"), ["a=", "b="])
        XCTAssertEqual(try pairs("&&a=1&&"), ["a=1"])
        XCTAssertEqual(try pairs("=x"), ["=x"])
        XCTAssertEqual(try pairs("="), ["="])
        XCTAssertEqual(try pairs(""), [])
    }

    func testRepeatedKeysAreKeptInOrder() throws {
        XCTAssertEqual(try pairs("k=1&j=2&k=3&k=4"), ["k=1", "j=2", "k=3", "k=4"])
    }

    func testBadEscapesAreRejected() {
        for text in ["a=%", "a=%2", "a=%zz", "a=%G0", "a=%0G", "%=1", "a=1&b=%%41", "a=%+1"] {
            XCTAssertThrowsError(try FormDecoding.decode(text), text) { error in
                XCTAssertEqual((error as? FormDecoding.Failure)?.reason, "Invalid percent-encoding", text)
            }
        }
    }

    func testInvalidUTF8IsRejected() {
        let table = ["a=%FF", "a=%C0%AF", "a=%ED%A0%80", "a=%E2%82", "%80=1", "a=%F4%90%80%80"]
        for text in table {
            XCTAssertThrowsError(try FormDecoding.decode(text), text) { error in
                XCTAssertEqual((error as? FormDecoding.Failure)?.reason, "Invalid UTF-8", text)
            }
        }
        XCTAssertThrowsError(try FormDecoding.decode([UInt8(ascii: "a"), UInt8(ascii: "="), 0xFF]), "raw invalid byte")
    }

    func testDecodesFromAnyByteCollection() throws {
        let body = Array("a=1&b=2".utf8)
        XCTAssertEqual(try FormDecoding.decode(body[4...]).map(\.value), ["2"])
    }

    func testPathSegmentsKeepPlusAndRejectBadEscapes() {
        XCTAssertEqual(FormDecoding.decodePathSegment("a%2Fb"), "a/b")
        XCTAssertEqual(FormDecoding.decodePathSegment("a+b"), "a+b")
        XCTAssertEqual(FormDecoding.decodePathSegment("%E2%82%AC"), "€")
        XCTAssertEqual(FormDecoding.decodePathSegment(""), "")
        XCTAssertNil(FormDecoding.decodePathSegment("%zz"))
        XCTAssertNil(FormDecoding.decodePathSegment("%4"))
        XCTAssertNil(FormDecoding.decodePathSegment("%FF"))
    }
}
