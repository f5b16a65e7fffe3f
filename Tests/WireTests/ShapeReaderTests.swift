import XCTest
import JSON
@testable import Wire

/// Typed reads of a decoded request, with the JSON path of anything wrong.
final class ShapeReaderTests: XCTestCase {
    func reader(_ text: String, lenient: Bool = false) throws -> ShapeReader {
        try ShapeReader(JSONValue.parse(text), lenient: lenient)
    }

    func assertShapeError<T>(_ expected: ShapeError, _ body: @autoclosure () throws -> T,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            XCTAssertEqual(error as? ShapeError, expected, file: file, line: line)
        }
    }

    func testReadsTypedMembers() throws {
        let r = try reader(#"{"s":"x","i":42,"b":true,"l":["a","b"],"m":{"k2":"v2","k1":"v1"},"o":{"n":1}}"#)
        XCTAssertEqual(try r.string("s"), "x")
        XCTAssertEqual(try r.int("i"), 42)
        XCTAssertEqual(try r.bool("b"), true)
        XCTAssertEqual(try r.stringList("l"), ["a", "b"])
        XCTAssertEqual(try r.stringMap("m")?.map(\.key), ["k2", "k1"], "maps keep the client's order")
        XCTAssertEqual(try r.structure("o")?.int("n"), 1)
        XCTAssertEqual(r.value("o"), ["n": 1])
    }

    func testMissingMembersAndNullsReadAsAbsent() throws {
        let r = try reader(#"{"n":null}"#)
        XCTAssertNil(try r.string("n"))
        XCTAssertNil(try r.int("absent"))
        XCTAssertFalse(r.has("n"))
        XCTAssertFalse(r.has("absent"))
        XCTAssertNil(r.value("n"))
        assertShapeError(.missing(path: "QueueUrl"), try r.requiredString("QueueUrl"))
        assertShapeError(.missing(path: "VisibilityTimeout"), try r.requiredInt("VisibilityTimeout"))
    }

    func testNestedPathsNameTheMember() throws {
        let r = try reader(#"{"Entries":[{"Id":"a"},{"Id":7}],"Attrs":{"k":5},"Outer":{"Inner":{}}}"#)
        let entries = try XCTUnwrap(r.structureList("Entries"))
        XCTAssertEqual(try entries[0].requiredString("Id"), "a")
        assertShapeError(.typeMismatch(path: "Entries[1].Id", expected: "string", found: "number", lenient: false),
                         try entries[1].requiredString("Id"))
        assertShapeError(.typeMismatch(path: "Attrs.k", expected: "string", found: "number", lenient: false), try r.stringMap("Attrs"))
        let inner = try XCTUnwrap(r.structure("Outer")?.structure("Inner"))
        assertShapeError(.missing(path: "Outer.Inner.Name"), try inner.requiredString("Name"))
        XCTAssertEqual(ShapeError.missing(path: "Outer.Inner.Name").memberName, "Name")
        XCTAssertEqual(ShapeError.typeMismatch(path: "Entries[1].Id", expected: "", found: "", lenient: false).memberName, "Id")
    }

    func testTypeMismatchesReportExpectedAndFound() throws {
        let r = try reader(#"{"s":1,"i":"10","f":1.5,"e":1e3,"b":"true","l":"x","li":[1],"m":[],"o":"x","ol":[1]}"#)
        let table: [(ShapeError, () throws -> Any?)] = [
            (.typeMismatch(path: "s", expected: "string", found: "number", lenient: false), { try r.string("s") }),
            (.typeMismatch(path: "i", expected: "integer", found: "string", lenient: false), { try r.int("i") }),
            (.typeMismatch(path: "f", expected: "integer", found: "number", lenient: false), { try r.int("f") }),
            (.typeMismatch(path: "e", expected: "integer", found: "number", lenient: false), { try r.int("e") }),
            (.typeMismatch(path: "b", expected: "boolean", found: "string", lenient: false), { try r.bool("b") }),
            (.typeMismatch(path: "l", expected: "list", found: "string", lenient: false), { try r.stringList("l") }),
            (.typeMismatch(path: "li[0]", expected: "string", found: "number", lenient: false), { try r.stringList("li") }),
            (.typeMismatch(path: "m", expected: "map", found: "array", lenient: false), { try r.stringMap("m") }),
            (.typeMismatch(path: "o", expected: "structure", found: "string", lenient: false), { try r.structure("o") }),
            (.typeMismatch(path: "ol[0]", expected: "structure", found: "number", lenient: false), { try r.structureList("ol") }),
        ]
        for (expected, read) in table {
            assertShapeError(expected, try read())
        }
    }

    func testTopLevelMustBeAnObject() {
        assertShapeError(.typeMismatch(path: "$", expected: "structure", found: "array", lenient: false), try ShapeReader([1]))
        assertShapeError(.typeMismatch(path: "$", expected: "structure", found: "null", lenient: true), try ShapeReader(nil, lenient: true))
    }

    func testLenientReaderAcceptsQueryProtocolText() throws {
        let r = try reader(#"{"i":"10","sp":" 7 ","neg":"-3","t":"true","f":"false","n":5,"b":false}"#, lenient: true)
        XCTAssertEqual(try r.int("i"), 10)
        XCTAssertEqual(try r.int("sp"), 7)
        XCTAssertEqual(try r.int("neg"), -3)
        XCTAssertEqual(try r.int("n"), 5, "real numbers still work")
        XCTAssertEqual(try r.bool("t"), true)
        XCTAssertEqual(try r.bool("f"), false)
        XCTAssertEqual(try r.bool("b"), false)
    }

    func testLenientReaderRejectsTextThatIsNotANumberOrBoolean() throws {
        let r = try reader(#"{"i":"ten","e":"","x":"1.5","t":"yes","T":"True"}"#, lenient: true)
        assertShapeError(.typeMismatch(path: "i", expected: "integer", found: "'ten'", lenient: true), try r.int("i"))
        assertShapeError(.typeMismatch(path: "e", expected: "integer", found: "''", lenient: true), try r.int("e"))
        assertShapeError(.typeMismatch(path: "x", expected: "integer", found: "'1.5'", lenient: true), try r.int("x"))
        assertShapeError(.typeMismatch(path: "t", expected: "boolean", found: "'yes'", lenient: true), try r.bool("t"))
        assertShapeError(.typeMismatch(path: "T", expected: "boolean", found: "'True'", lenient: true), try r.bool("T"))
    }

    func testLenienceIsInheritedByNestedReaders() throws {
        let r = try reader(#"{"Entries":[{"VisibilityTimeout":"5"}],"Map":{"k":{"n":"2"}}}"#, lenient: true)
        XCTAssertEqual(try r.structureList("Entries")?.first?.int("VisibilityTimeout"), 5)
        let map = try XCTUnwrap(r.structureMap("Map"))
        XCTAssertEqual(map.first?.key, "k")
        XCTAssertEqual(try map.first?.value.int("n"), 2)
        XCTAssertEqual(map.first?.value.path, "Map.k")
    }
}
