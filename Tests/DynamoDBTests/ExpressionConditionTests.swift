import XCTest
@testable import DynamoDB

/// Evaluating conditions: comparison semantics, functions, boolean logic and precedence.
final class ExpressionConditionTests: ExpressionTestCase {
    var sample: Item { item([
        "n": N("10"), "n2": N("10.0"), "big": N("1E+100"), "neg": N("-3.5"),
        "s": S("hello"), "s2": S("hello"), "accent": S("¿"), "z": S("z"),
        "b": B([1, 2, 3]), "b2": B([1, 2, 4]),
        "t": TRUE, "f": .bool(false), "nul": NULL,
        "l": L(N("1"), S("two"), L(N("3"))), "l2": L(N("1"), S("two"), L(N("3"))),
        "m": M(["x": N("1"), "y": M(["z": S("deep")])]), "m2": M(["y": M(["z": S("deep")]), "x": N("1")]),
        "ss": SS("a", "b"), "ss2": SS("b", "a"), "ns": NS("1", "2.0"), "bs": BS([1], [2]),
        "blank": S(""), "things": L(M(["k": S("v")]), N("7")),
    ]) }

    var values: [String: AttributeValue] { [
        ":10": N("10"), ":1e1": N("1E1"), ":9": N("9"), ":11": N("11"), ":s": S("hello"), ":he": S("he"), ":ll": S("ll"),
        ":z": S("z"), ":x": S("x"), ":b": B([1, 2, 3]), ":b12": B([1, 2]), ":b3": B([3]), ":t": TRUE, ":null": NULL,
        ":l": L(N("1"), S("two"), L(N("3"))), ":m": M(["y": M(["z": S("deep")]), "x": N("1")]),
        ":ss": SS("b", "a"), ":a": S("a"), ":2": N("2"), ":two": S("two"), ":inner": L(N("3")), ":k": M(["k": S("v")]),
        ":S": S("S"), ":N": S("N"), ":B": S("B"), ":BOOL": S("BOOL"), ":NULL": S("NULL"), ":L": S("L"), ":M": S("M"),
        ":SS": S("SS"), ":NS": S("NS"), ":BS": S("BS"), ":5": N("5"), ":3": N("3"), ":7": N("7"), ":empty": S(""),
        ":n10str": S("10"), ":neg": N("-3.50"),
    ] }

    func holds(_ text: String, on target: Item?) throws -> Bool {
        let ctx = context(names: ["#n": "n", "#dot": "a.b"], values: values)
        return try ConditionExpression.parse(text, context: ctx).evaluate(on: target)
    }

    func check(_ table: [(String, Bool)], on target: Item?? = nil, file: StaticString = #filePath, line: UInt = #line) {
        for (text, expected) in table {
            do {
                let result = try holds(text, on: target ?? sample)
                XCTAssertEqual(result, expected, text, file: file, line: line)
            } catch {
                XCTFail("\(text): \(error)", file: file, line: line)
            }
        }
    }

    func testEqualityWorksForEveryTypeAndNeverAcrossTypes() {
        check([
            ("n = :10", true), ("n = :1e1", true), ("n2 = n", true), ("n = :9", false), ("n = :n10str", false),
            ("s = :s", true), ("s = s2", true), ("s = :z", false),
            ("b = :b", true), ("b = b2", false), ("t = :t", true), ("nul = :null", true), ("t = :null", false),
            ("l = :l", true), ("l = l2", true), ("m = :m", true), ("m = m2", true),
            ("ss = :ss", true), ("ss = ss2", true), ("ns = ss", false),
            ("absent = :10", false), ("absent = gone", false), ("neg = :neg", true),
            ("n <> :9", true), ("n <> :10", false), ("n <> :n10str", true), ("absent <> :10", true), ("absent <> gone", true),
        ])
    }

    func testOrderingComparesNumbersExactlyAndStringsAndBinariesByBytes() {
        check([
            ("n < :11", true), ("n < :10", false), ("n <= :10", true), ("n > :9", true), ("n >= :1e1", true), ("n > :10", false),
            ("big > n", true), ("neg < n", true), (":10 > neg", true),
            ("s > :he", true), ("s < :z", true), ("accent > z", true), ("blank < s", true),
            ("b > :b12", true), ("b < b2", true), ("b >= :b", true), (":b3 > b", true),
            ("n < :s", false), ("s > :10", false), ("l < n", false), ("absent < :10", false), (":10 > absent", false),
            ("absent < gone", false), ("t >= :10", false),
        ])
    }

    func testBetweenAndIn() {
        check([
            ("n BETWEEN :9 AND :11", true), ("n BETWEEN :10 AND :10", true), ("n BETWEEN :11 AND big", false),
            ("s BETWEEN :he AND :z", true), ("n BETWEEN :s AND :z", false), ("absent BETWEEN :9 AND :11", false),
            ("n BETWEEN neg AND big", true), ("n BETWEEN big AND neg", false), ("l BETWEEN :9 AND :11", false),
            ("n IN (:9, :10)", true), ("n IN (:9, :11)", false), ("n IN (:s, :1e1)", true), ("m IN (:m)", true),
            ("absent IN (:10)", false), ("s IN (s2)", true),
        ])
    }

    func testFunctions() {
        check([
            ("attribute_exists(n)", true), ("attribute_exists(absent)", false), ("attribute_exists(m.y.z)", true),
            ("attribute_exists(m.y.q)", false), ("attribute_exists(l[2][0])", true), ("attribute_exists(l[3])", false),
            ("attribute_exists(n.x)", false), ("attribute_exists(m[0])", false),
            ("attribute_not_exists(absent)", true), ("attribute_not_exists(nul)", false), ("attribute_not_exists(#dot)", true),
            ("attribute_type(n, :N)", true), ("attribute_type(s, :S)", true), ("attribute_type(b, :B)", true),
            ("attribute_type(t, :BOOL)", true), ("attribute_type(nul, :NULL)", true), ("attribute_type(l, :L)", true),
            ("attribute_type(m, :M)", true), ("attribute_type(ss, :SS)", true), ("attribute_type(ns, :NS)", true),
            ("attribute_type(bs, :BS)", true), ("attribute_type(n, :S)", false), ("attribute_type(absent, :S)", false),
            ("begins_with(s, :he)", true), ("begins_with(s, :s)", true), ("begins_with(s, :z)", false), ("begins_with(s, :empty)", true),
            ("begins_with(b, :b12)", true), ("begins_with(b, :b3)", false), ("begins_with(b, :he)", false),
            ("begins_with(n, :he)", false), ("begins_with(absent, :he)", false), ("begins_with(:s, s2)", true),
            ("contains(s, :ll)", true), ("contains(s, :z)", false), ("contains(b, :b12)", true), ("contains(b, :b3)", true),
            ("contains(ss, :a)", true), ("contains(ss, :z)", false), ("contains(ns, :2)", true), ("contains(ns, :10)", false),
            ("contains(bs, :b)", false), ("contains(l, :two)", true), ("contains(l, :inner)", true), ("contains(l, :10)", false),
            ("contains(things, :k)", true), ("contains(n, :10)", false), ("contains(absent, :a)", false), ("contains(s, :10)", false),
            ("contains(ss, :ss)", false),
        ])
    }

    func testSizeOfEachType() {
        check([
            ("size(s) = :5", true), ("size(b) = :3", true), ("size(l) = :3", true), ("size(m) = :2", true),
            ("size(ss) = :2", true), ("size(ns) = :2", true), ("size(bs) = :2", true), ("size(blank) < :2", true),
            ("size(n) = :2", false), ("size(t) = :2", false), ("size(nul) = :2", false), ("size(absent) = :2", false),
            ("size(n) <> :2", true), ("size(s) > :3", true), ("size(s) = :s", false), ("size(s) = s", false),
            ("size(l[2]) = :10", false), ("size(l[2]) < :2", true), ("size(:s) = :5", true), ("size(accent) = :2", false),
            ("(size(s)) BETWEEN :3 AND :7", true), ("size(s) IN (:3, :5)", true),
        ])
    }

    func testPrecedenceNotThenAndThenOr() {
        // n = 10, s = "hello"
        check([
            ("n = :9 OR n = :10 AND s = :z", false),           // OR (n=9, AND(...)) → false OR false
            ("n = :10 OR n = :9 AND s = :z", true),            // true OR (...)
            ("(n = :10 OR n = :9) AND s = :z", false),
            ("NOT n = :9 AND s = :s", true),                   // (NOT n=9) AND s=hello
            ("NOT n = :10 AND s = :s", false),
            ("NOT (n = :10 AND s = :z)", true),
            ("NOT n = :10 OR s = :s", true),                   // (NOT n=10) OR s=hello
            ("NOT NOT NOT NOT n = :10", true),
            ("n BETWEEN :9 AND :11 AND s = :s", true),         // BETWEEN binds its own AND first
            ("n BETWEEN :9 AND :11 AND s = :z", false),
            ("n IN (:9) OR s IN (:s) AND NOT n < :9", true),
            ("attribute_exists(n) AND NOT attribute_exists(absent) OR n = :9", true),
            ("n = :9 OR n = :11 OR s = :s", true),
            ("n = :10 AND s = :s AND absent = :10", false),
        ])
    }

    func testMissingItemMakesEveryPathMissing() {
        check([
            ("attribute_not_exists(n)", true), ("attribute_exists(n)", false), ("n = :10", false), ("n <> :10", true),
            ("NOT n = :10", true), (":10 = :10", true), (":10 > :9", true), ("size(n) = :2", false),
        ], on: .some(nil))
        // Evaluating with no item at all goes through the same path.
        XCTAssertEqual(try holds("attribute_not_exists(n)", on: nil), true)
    }

    func testNamePlaceholdersResolveToAnyAttributeName() throws {
        let target = item(["a.b": N("1"), "and": M(["or": N("2")])])
        let ctx = context(names: ["#ab": "a.b", "#and": "and", "#or": "or"], values: [":one": N("1"), ":two": N("2")])
        XCTAssertTrue(try ConditionExpression.parse("#ab = :one AND #and.#or = :two", context: ctx).evaluate(on: target))
    }

    func testPathsListsWhatTheExpressionReads() throws {
        let c = try ConditionExpression.parse("a.b[1] = :10 AND size(c) > :9 OR contains(d, e)", kind: .filter, context: context(values: values))
        XCTAssertEqual(c.paths.map(\.description), ["a.b[1]", "c", "d", "e"])
        XCTAssertEqual(validationMessage { try c.checkNoKeyAttributes(["d"]) },
                       "Filter Expression can only contain non-primary key attributes: Primary key attribute: d")
        XCTAssertEqual(validationMessage { try c.checkNoKeyAttributes(["pk"]) }, "<no error>")
    }
}
