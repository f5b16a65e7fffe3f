import XCTest
@testable import DynamoDB

/// Applying update expressions: what each action writes and the errors items can cause.
final class ExpressionUpdateTests: ExpressionTestCase {
    var values: [String: AttributeValue] { [
        ":v": S("new"), ":w": S("other"), ":1": N("1"), ":2": N("2"), ":3": N("3"), ":17": N("17"), ":neg": N("-0.5"),
        ":l": L(S("x")), ":l2": L(N("1"), N("2")), ":empty": L(), ":m": M(["k": S("v")]),
        ":ss": SS("b", "c"), ":ssa": SS("a"), ":ns": NS("2", "3"), ":bs": BS([9]), ":big": N("9E+125"),
        ":precise": N("1E+100"), ":tiny": N("1E-130"), ":t": TRUE,
    ] }

    func update(_ text: String, _ target: Item, names: [String: String] = [:], itemExists: Bool = true) throws -> (item: Item, updatedAttributes: Set<String>) {
        let ctx = context(names: names, values: values)
        return try UpdateExpression.parse(text, context: ctx).apply(to: target, itemExists: itemExists)
    }

    func updated(_ text: String, _ target: Item, names: [String: String] = [:], file: StaticString = #filePath, line: UInt = #line) -> Item {
        do {
            return try update(text, target, names: names).item
        } catch {
            XCTFail("\(text): \(error)", file: file, line: line)
            return []
        }
    }

    func failure(_ text: String, _ target: Item, itemExists: Bool = true) -> String {
        validationMessage { _ = try update(text, target, itemExists: itemExists) }
    }

    func testSetWritesTopLevelAttributesKeepingOrder() {
        let before = item(["pk": S("k"), "a": S("old"), "b": N("1")])
        assertItem(updated("SET a = :v", before), item(["pk": S("k"), "a": S("new"), "b": N("1")]))
        assertItem(updated("SET c = :v, a = :w", before), item(["pk": S("k"), "a": S("other"), "b": N("1"), "c": S("new")]))
        assertItem(updated("SET c = a", before), item(["pk": S("k"), "a": S("old"), "b": N("1"), "c": S("old")]))
        assertItem(updated("SET a = a", before), before)
        assertItem(updated("SET e = :empty, m = :m", before), item(["pk": S("k"), "a": S("old"), "b": N("1"), "e": L(), "m": M(["k": S("v")])]))
    }

    func testEveryValueIsReadFromTheItemAsItWas() {
        let before = item(["a": S("hello"), "n": N("2")])
        assertItem(updated("REMOVE a SET b = a", before), item(["n": N("2"), "b": S("hello")]))
        assertItem(updated("SET c = b REMOVE b", item(["b": S("x")])), item(["c": S("x")]))
        assertItem(updated("SET n = :17, m = n", before), item(["a": S("hello"), "n": N("17"), "m": N("2")]))
        XCTAssertEqual(failure("SET x = :v, y = x", before), UpdateExpression.missingAttribute)
    }

    func testArithmetic() {
        let before = item(["n": N("2"), "s": S("text"), "m": M(["c": N("10")])])
        assertItem(updated("SET n = n + :1", before), item(["n": N("3"), "s": S("text"), "m": M(["c": N("10")])]))
        assertItem(updated("SET n = :1 - n", before), item(["n": N("-1"), "s": S("text"), "m": M(["c": N("10")])]))
        assertItem(updated("SET m.c = m.c + :neg", before), item(["n": N("2"), "s": S("text"), "m": M(["c": N("9.5")])]))
        assertItem(updated("SET x = if_not_exists(x, :1) + :2", before), before + item(["x": N("3")]))
        assertItem(updated("SET x = (n + :2)", before), before + item(["x": N("4")]))
        XCTAssertEqual(failure("SET n = s + :1", before), UpdateExpression.incorrectType)
        XCTAssertEqual(failure("SET n = absent + :1", before), UpdateExpression.missingAttribute)
        XCTAssertEqual(failure("SET n = :big + :big", before), "Number overflow. Attempting to store a number with magnitude larger than supported range")
        XCTAssertEqual(failure("SET n = :precise + :1", before), "DynamoDB only supports precision up to 38 digits")
    }

    func testListAppendAndIfNotExists() {
        let before = item(["l": L(S("a")), "s": S("text")])
        assertItem(updated("SET l = list_append(l, :l)", before), item(["l": L(S("a"), S("x")), "s": S("text")]))
        assertItem(updated("SET l = list_append(:l2, l)", before), item(["l": L(N("1"), N("2"), S("a")), "s": S("text")]))
        assertItem(updated("SET c = list_append(l, l)", before), before + item(["c": L(S("a"), S("a"))]))
        assertItem(updated("SET n = list_append(if_not_exists(n, :empty), :l)", before), before + item(["n": L(S("x"))]))
        XCTAssertEqual(failure("SET l = list_append(s, :l)", before), UpdateExpression.incorrectType)
        XCTAssertEqual(failure("SET l = list_append(:l, absent)", before), UpdateExpression.missingAttribute)
        assertItem(updated("SET s = if_not_exists(s, :v), x = if_not_exists(x, :v)", before),
                   item(["l": L(S("a")), "s": S("text"), "x": S("new")]))
        assertItem(updated("SET y = if_not_exists(s, :v)", before), before + item(["y": S("text")]))
    }

    func testAddNumbersAndSets() {
        let before = item(["n": N("3"), "s": S("hi"), "letters": SS("a", "b"), "nums": NS("1")])
        assertItem(updated("ADD n :2", before), item(["n": N("5"), "s": S("hi"), "letters": SS("a", "b"), "nums": NS("1")]))
        assertItem(updated("ADD fresh :2", before), before + item(["fresh": N("2")]))
        assertItem(updated("ADD letters :ss", before), item(["n": N("3"), "s": S("hi"), "letters": SS("a", "b", "c"), "nums": NS("1")]))
        assertItem(updated("ADD nums :ns, tags :ssa", before),
                   item(["n": N("3"), "s": S("hi"), "letters": SS("a", "b"), "nums": NS("1", "2", "3"), "tags": SS("a")]))
        XCTAssertEqual(failure("ADD s :1", before), UpdateExpression.incorrectType)
        XCTAssertEqual(failure("ADD letters :ns", before), UpdateExpression.incorrectType)
        XCTAssertEqual(failure("ADD n :ss", before), UpdateExpression.incorrectType)
        XCTAssertEqual(failure("ADD n :big, x :1", item(["n": N("9E+125")])),
                       "Number overflow. Attempting to store a number with magnitude larger than supported range")
    }

    func testDeleteFromSets() {
        let before = item(["letters": SS("a", "b", "c"), "s": S("x"), "m": M(["tags": SS("a")])])
        assertItem(updated("DELETE letters :ss", before), item(["letters": SS("a"), "s": S("x"), "m": M(["tags": SS("a")])]))
        assertItem(updated("DELETE letters :ssa", item(["letters": SS("a")])), [])
        assertItem(updated("DELETE m.tags :ssa", before), item(["letters": SS("a", "b", "c"), "s": S("x"), "m": M([:])]))
        assertItem(updated("DELETE absent :ss", before), before)
        assertItem(updated("DELETE letters :ssa, letters2 :ns", item(["letters": SS("z")])), item(["letters": SS("z")]))
        XCTAssertEqual(failure("DELETE s :ss", before), UpdateExpression.incorrectType)
        XCTAssertEqual(failure("DELETE letters :ns", before), UpdateExpression.incorrectType)
    }

    func testRemove() {
        let before = item(["a": S("x"), "m": M(["b": N("1"), "c": N("2")]), "l": L(S("a"), S("b"), S("c"), S("d"))])
        assertItem(updated("REMOVE a", before), Array(before.dropFirst()))
        assertItem(updated("REMOVE absent, m.absent, l[9]", before), before)
        assertItem(updated("REMOVE m.b", before), item(["a": S("x"), "m": M(["c": N("2")]), "l": L(S("a"), S("b"), S("c"), S("d"))]))
        assertItem(updated("REMOVE l[1], l[2]", before), item(["a": S("x"), "m": M(["b": N("1"), "c": N("2")]), "l": L(S("a"), S("d"))]))
        assertItem(updated("REMOVE l[0], l[1], l[2], l[3]", before), item(["a": S("x"), "m": M(["b": N("1"), "c": N("2")]), "l": L()]))
        assertItem(updated("REMOVE m.b, m.c", before), item(["a": S("x"), "m": M([:]), "l": L(S("a"), S("b"), S("c"), S("d"))]))
    }

    func testListIndexesMeanPositionsInTheOldList() {
        let before = item(["a": L(N("2"), N("3"), N("4"), N("5"), N("6"), N("7"))])
        assertItem(updated("REMOVE a[1] SET a[3] = :17", before), item(["a": L(N("2"), N("4"), N("17"), N("6"), N("7"))]))
        assertItem(updated("SET a[3] = :17 REMOVE a[1]", before), item(["a": L(N("2"), N("4"), N("17"), N("6"), N("7"))]))
    }

    func testSettingPastTheEndOfAListAppendsInIndexOrder() {
        let before = item(["a": L(S("one"), S("two"), S("three"))])
        assertItem(updated("SET a[7] = :v", before), item(["a": L(S("one"), S("two"), S("three"), S("new"))]))
        let ctx = context(values: [":a1": S("a1"), ":a2": S("a2"), ":a3": S("a3"), ":a4": S("a4")])
        let result = try? UpdateExpression.parse("SET a[84] = :a1, a[37] = :a2, a[17] = :a3, a[50] = :a4", context: ctx).apply(to: before)
        assertItem(result?.item ?? [], item(["a": L(S("one"), S("two"), S("three"), S("a3"), S("a2"), S("a4"), S("a1"))]))
        assertItem(updated("SET a[0] = :v", item(["a": L()])), item(["a": L(S("new"))]))
        assertItem(updated("SET a[1] = :v", before), item(["a": L(S("one"), S("new"), S("three"))]))
    }

    func testNestedPaths() {
        let before = item(["a": M(["b": N("3"), "c": L(S("hi"), M(["x": M(["y": L(N("3"), N("5"), N("7"))])]))])])
        assertItem(updated("SET a.c[1].#x.y[1] = :17", before, names: ["#x": "x"]),
                   item(["a": M(["b": N("3"), "c": L(S("hi"), M(["x": M(["y": L(N("3"), N("17"), N("7"))])]))])]))
        assertItem(updated("SET a.z = a.c[1].x.y[2], a.b = :v", before),
                   item(["a": M(["b": S("new"), "c": L(S("hi"), M(["x": M(["y": L(N("3"), N("5"), N("7"))])])), "z": N("7")])]))
        assertItem(updated("REMOVE a.c[1].x.y[1], a.b", before),
                   item(["a": M(["c": L(S("hi"), M(["x": M(["y": L(N("3"), N("7"))])]))])]))
        assertItem(updated("SET #ab = :v", item(["a": M([:])]), names: ["#ab": "a.b"]), item(["a": M([:]), "a.b": S("new")]))
    }

    func testPathsThatCannotBeWritten() {
        let before = item(["a": S("hello"), "b": L(S("hi")), "m": M(["x": N("1")])])
        for text in ["SET a.c = :v", "SET b.c = :v", "SET c.c = :v", "REMOVE a.c", "REMOVE b.c", "REMOVE c.c",
                     "SET a[0] = :v", "SET m[0] = :v", "REMOVE a[0]", "SET c[0] = :v", "ADD c.d :1", "SET m.x.y = :v"] {
            XCTAssertEqual(failure(text, before), UpdateExpression.invalidPath, text)
        }
        XCTAssertEqual(failure("SET c.c = :v", item(["pk": S("k")]), itemExists: false), UpdateExpression.invalidPath)
        // On an item that does not exist yet, removing nested paths does nothing.
        XCTAssertEqual(failure("REMOVE x.y, z[0]", item(["pk": S("k")]), itemExists: false), "<no error>")
    }

    func testErrorOrderTypesThenPathsThenMissingAttributes() {
        let before = item(["s": S("x"), "a": S("hello")])
        // A wrong type anywhere is reported before a path that can't be written.
        XCTAssertEqual(failure("SET q.r = :v, z = s + :1", before), UpdateExpression.incorrectType)
        // A parent of the wrong kind is reported before a wrong type.
        XCTAssertEqual(failure("SET z = s + :1, a.b = :v", before), UpdateExpression.invalidPath)
        // A path that can't be written comes before a absent attribute in the same section.
        XCTAssertEqual(failure("SET z = absent, q.r = :v", before), UpdateExpression.invalidPath)
        // Sections are checked from the last one written.
        XCTAssertEqual(failure("SET z = absent REMOVE q.r", before), UpdateExpression.invalidPath)
        XCTAssertEqual(failure("REMOVE q.r SET z = absent", before), UpdateExpression.missingAttribute)
    }

    func testUpdatedAttributesAndValues() throws {
        let ctx = context(values: values)
        let u = try UpdateExpression.parse("SET a.b = :v, c = :1 REMOVE d ADD e :2 DELETE f :ss", context: ctx)
        XCTAssertEqual(u.updatedAttributes, ["a", "c", "d", "e", "f"])
        XCTAssertEqual(u.paths.map(\.description), ["a.b", "c", "d", "e", "f"])
        let before = item(["pk": S("k"), "a": M(["b": N("1"), "keep": N("2")]), "d": S("gone"), "z": N("0")])
        let result = try u.apply(to: before)
        XCTAssertEqual(result.updatedAttributes, ["a", "c", "d", "e", "f"])
        assertItem(u.updatedValues(in: before), item(["a": M(["b": N("1")]), "d": S("gone")]))
        assertItem(u.updatedValues(in: result.item), item(["a": M(["b": S("new")]), "c": N("1"), "e": N("2")]))
    }

    func testKeyAttributesMayNotBeUpdated() throws {
        let ctx = context(values: values)
        for (text, message) in [
            ("SET pk = :v", "One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key"),
            ("REMOVE sk", "One or more parameter values were invalid: Cannot update attribute sk. This attribute is part of the key"),
            ("ADD sk :1", "One or more parameter values were invalid: Cannot update attribute sk. This attribute is part of the key"),
            ("SET pk.x = :v", "One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key"),
            ("SET a = pk.x", "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: pk"),
            ("SET a = pk", "<no error>"),
        ] {
            let u = try UpdateExpression.parse(text, context: ctx)
            XCTAssertEqual(validationMessage { try u.checkKeyAttributesUntouched(["pk", "sk"]) }, message, text)
        }
    }

    func testParsedUpdateCanBeAppliedManyTimes() throws {
        let u = try UpdateExpression.parse("ADD n :1", context: context(values: values))
        var current = item(["n": N("0")])
        for _ in 0..<5 { current = try u.apply(to: current).item }
        assertItem(current, item(["n": N("5")]))
    }
}
