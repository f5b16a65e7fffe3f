import XCTest
@testable import JSON

/// `JSONObject` is an ordered map: setting a new key appends, replacing keeps the
/// position, assigning nil removes.
final class JSONObjectTests: XCTestCase {
    func testSettingANewKeyAppendsIt() {
        var object = JSONObject()
        XCTAssertTrue(object.isEmpty)
        object["b"] = 1
        object["a"] = "x"
        XCTAssertEqual(object.keys, ["b", "a"])
        XCTAssertEqual(object.count, 2)
        XCTAssertEqual(object["a"], "x")
        XCTAssertNil(object["missing"])
    }

    func testReplacingAValueKeepsItsPosition() throws {
        var object = try XCTUnwrap(JSONValue.parse(#"{"a":1,"b":2,"c":3}"#).objectValue)
        object["b"] = ["new": true]
        XCTAssertEqual(object.keys, ["a", "b", "c"])
        XCTAssertEqual(JSONValue.object(object).jsonString, #"{"a":1,"b":{"new":true},"c":3}"#)
    }

    func testAssigningNilRemovesTheMember() throws {
        var object = try XCTUnwrap(JSONValue.parse(#"{"a":1,"b":2,"c":3}"#).objectValue)
        object["b"] = nil
        XCTAssertEqual(object.keys, ["a", "c"])
        object["zzz"] = nil
        XCTAssertEqual(object.keys, ["a", "c"], "removing a missing key changes nothing")
        object["b"] = 4
        XCTAssertEqual(JSONValue.object(object).jsonString, #"{"a":1,"c":3,"b":4}"#, "a removed key comes back at the end")
    }

    func testJSONNullIsAValueNotARemoval() {
        var object = JSONObject()
        object["a"] = .null
        XCTAssertEqual(object.keys, ["a"])
        XCTAssertEqual(object["a"], .null)
        XCTAssertEqual(JSONValue.object(object).jsonString, #"{"a":null}"#)
    }

    func testAppendDoesNotCheckForDuplicates() {
        var object = JSONObject()
        object.append("k", 1)
        object.append("k", 2)
        XCTAssertEqual(object.count, 2)
        XCTAssertEqual(JSONValue.object(object).jsonString, #"{"k":1,"k":2}"#)
    }

    func testIterationFollowsMemberOrder() {
        let object = JSONObject(["z": 1, "y": 2, "x": 3])
        XCTAssertEqual(object.map(\.key), ["z", "y", "x"])
        XCTAssertEqual(object.members.map(\.value), [1, 2, 3])
    }

    func testEqualityIsOrderSensitive() {
        XCTAssertEqual(JSONObject(["a": 1, "b": 2]), JSONObject(["a": 1, "b": 2]))
        XCTAssertNotEqual(JSONObject(["a": 1, "b": 2]), JSONObject(["b": 2, "a": 1]))
    }
}
