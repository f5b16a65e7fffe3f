import XCTest
@testable import DynamoDB

/// Projections keep the structure of what they select, as DynamoDB returns it.
final class ExpressionProjectionTests: ExpressionTestCase {
    var sample: Item { item([
        "pk": S("k"), "a": S("x"), "n": N("1"),
        "m": M(["b": N("1"), "c": M(["d": S("deep"), "e": S("other")]), "f": L(S("f0"), S("f1"))]),
        "l": L(M(["x": N("0"), "y": N("1")]), S("one"), M(["x": N("2")]), L(S("inner0"), S("inner1"))),
    ]) }

    func project(_ text: String, names: [String: String] = [:]) throws -> Item {
        try ProjectionExpression.parse(text, context: context(names: names)).apply(to: sample)
    }

    func testProjections() throws {
        let cases: [(String, Item)] = [
            ("a", item(["a": S("x")])),
            ("n, a", item(["a": S("x"), "n": N("1")])),
            ("absent", []),
            ("a, absent", item(["a": S("x")])),
            ("m.b", item(["m": M(["b": N("1")])])),
            ("m.c.d, m.b", item(["m": M(["b": N("1"), "c": M(["d": S("deep")])])])),
            ("m.c.absent", []),
            ("m.f[1]", item(["m": M(["f": L(S("f1"))])])),
            ("l[2], l[0]", item(["l": L(M(["x": N("0"), "y": N("1")]), M(["x": N("2")]))])),
            ("l[0].y, l[2].y", item(["l": L(M(["y": N("1")]))])),
            ("l[3][1]", item(["l": L(L(S("inner1")))])),
            ("l[9]", []),
            ("a.b", []),
            ("l.x", []),
            ("m[0]", []),
            ("#m.#c", item(["m": M(["c": M(["d": S("deep"), "e": S("other")])])])),
        ]
        for (text, expected) in cases {
            assertItem(try project(text, names: ["#m": "m", "#c": "c"]), expected)
        }
    }

    func testAttributesListsTopLevelNamesOnce() throws {
        let p = try ProjectionExpression.parse("m.b, a, m.c, #n", context: context(names: ["#n": "name"]))
        XCTAssertEqual(p.attributes, ["m", "a", "name"])
        XCTAssertEqual(p.paths.map(\.description), ["m.b", "a", "m.c", "name"])
    }
}
