import JSON
import XCTest
@testable import States

/// Step Functions' JSONPath dialect: selection, filters, roots, error wording, ResultPath
/// assignment and resistance to hostile paths. Most tests are tables, one row per behaviour.
final class JSONPathTests: XCTestCase {
    static let document = json(#"""
        {
          "store": {
            "name": "Corner",
            "book": [
              {"category": "reference", "author": "Nigel Rees", "title": "Sayings", "price": 8.95},
              {"category": "fiction", "author": "Evelyn Waugh", "title": "Sword", "price": 12.99},
              {"category": "fiction", "author": "Herman Melville", "title": "Moby Dick", "isbn": "0-553-21311-3", "price": 8.99},
              {"category": "fiction", "author": "J. R. R. Tolkien", "title": "The Lord of the Rings", "isbn": "0-395-19395-8", "price": 22.99}
            ],
            "bicycle": {"color": "red", "price": 19.95}
          },
          "items": [
            {"a": "x", "b": 3, "id": 1},
            {"a": "x", "b": 1, "id": 2},
            {"a": "y", "b": 5, "id": 3},
            {"a": "x", "b": 2.5, "id": 4}
          ],
          "numbers": [0, 1, 2, 3, 4, 5],
          "floats": [1.0, 2.50, 1e3],
          "big": 12345678901234567890,
          "ids": [{"n": 12345678901234567890}, {"n": 12345678901234567891}],
          "flags": [{"on": true, "v": null}, {"on": false, "v": 1}],
          "odd key": {"dot.ted": true, "detail-type": "Scheduled Event"},
          "nested": [[1, 2], [3], []],
          "flag": false,
          "nothing": null
        }
        """#)

    static func json(_ text: String) -> JSONValue {
        do { return try JSONValue.parse(text) } catch { fatalError("bad test JSON \(text): \(error)") }
    }

    func select(_ path: String, in document: JSONValue = JSONPathTests.document,
                file: StaticString = #filePath, line: UInt = #line) -> JSONValue? {
        do {
            return try JSONPath.parse(path).resolve(in: EvaluationScope(input: document))
        } catch {
            XCTFail("\(path) did not parse: \(error)", file: file, line: line)
            return nil
        }
    }

    func assertSelects(_ rows: [(String, String)], file: StaticString = #filePath, line: UInt = #line) {
        for (path, expected) in rows {
            let value = select(path, file: file, line: line)
            XCTAssertEqual(value?.jsonString, Self.json(expected).jsonString, path, file: file, line: line)
        }
    }

    // MARK: - Single nodes

    func testReferencePathsSelectOneNode() {
        assertSelects([
            ("$.store.name", #""Corner""#),
            ("$['store']['name']", #""Corner""#),
            (#"$["store"].name"#, #""Corner""#),
            ("$.store.book[0].title", #""Sayings""#),
            ("$.store.book[-1].title", #""The Lord of the Rings""#),
            ("$.store.book[2]['isbn']", #""0-553-21311-3""#),
            ("$.store.bicycle", #"{"color":"red","price":19.95}"#),
            ("$.nested[0][1]", "2"),
            ("$['odd key']['dot.ted']", "true"),
            ("$.['odd key'].detail-type", #""Scheduled Event""#),
            ("$.flag", "false"),
            ("$.nothing", "null"),
            ("$.numbers", "[0,1,2,3,4,5]"),
        ])
    }

    func testDollarAloneIsTheWholeInput() {
        XCTAssertEqual(select("$"), Self.document)
    }

    func testNumbersKeepTheirSpelling() {
        XCTAssertEqual(select("$.store.book[0].price"), .number("8.95"))
        XCTAssertEqual(select("$.big"), .number("12345678901234567890"))
        XCTAssertEqual(select("$.floats[*]")?.jsonString, "[1.0,2.50,1e3]")
        XCTAssertEqual(select("$.floats[0]"), .number("1.0"))
    }

    // MARK: - Multiple nodes

    func testWildcardsSlicesUnionsAndDescentReturnArrays() {
        assertSelects([
            ("$.numbers[*]", "[0,1,2,3,4,5]"),
            ("$.numbers[1:3]", "[1,2]"),
            ("$.numbers[:2]", "[0,1]"),
            ("$.numbers[-2:]", "[4,5]"),
            ("$.numbers[4:]", "[4,5]"),
            ("$.numbers[::2]", "[0,2,4]"),
            ("$.numbers[::-1]", "[5,4,3,2,1,0]"),
            ("$.numbers[-100:2]", "[0,1]"),
            ("$.numbers[10:20]", "[]"),
            ("$.numbers[3:1]", "[]"),
            ("$.numbers[0,2,5]", "[0,2,5]"),
            ("$.numbers[0,9]", "[0]"),
            ("$.store.book[*].author", #"["Nigel Rees","Evelyn Waugh","Herman Melville","J. R. R. Tolkien"]"#),
            ("$.store.bicycle.*", #"["red",19.95]"#),
            ("$.store['name','bicycle'].color", #"["red"]"#),
            ("$['store'].book[1:2].title", #"["Sword"]"#),
            ("$..price", "[8.95,12.99,8.99,22.99,19.95]"),
            ("$.store..price", "[8.95,12.99,8.99,22.99,19.95]"),
            ("$..isbn", #"["0-553-21311-3","0-395-19395-8"]"#),
            ("$..book[2].title", #"["Moby Dick"]"#),
            ("$..['color']", #"["red"]"#),
            ("$.nested[*][*]", "[1,2,3]"),
            ("$.nested[*][0]", "[1,3]"),
            ("$.nested..*", "[[1,2],[3],[],1,2,3]"),
            ("$.missing[*]", "[]"),
            ("$..nope", "[]"),
        ])
    }

    func testFiltersSelectMatchingObjects() {
        assertSelects([
            ("$.store.book[?(@.isbn)].title", #"["Moby Dick","The Lord of the Rings"]"#),
            ("$.store.book[?(!@.isbn)].title", #"["Sayings","Sword"]"#),
            ("$.store.book[?(!(@.isbn))].title", #"["Sayings","Sword"]"#),
            ("$.store.book[?(@.price < 10)].title", #"["Sayings","Moby Dick"]"#),
            ("$.store.book[?(@.price <= 8.99)].title", #"["Sayings","Moby Dick"]"#),
            ("$.store.book[?(@.price > 12.99)].title", #"["The Lord of the Rings"]"#),
            ("$.store.book[?(@.price >= 12.99)].title", #"["Sword","The Lord of the Rings"]"#),
            ("$.store.book[?(@.category == 'reference')].author", #"["Nigel Rees"]"#),
            ("$.store.book[?(@.category != 'fiction')].title", #"["Sayings"]"#),
            (#"$.store.book[?(@.category == "fiction" && @.price < 20)].title"#, #"["Sword","Moby Dick"]"#),
            ("$.store.book[?(@.price < 9 || @.price > 20)].title", #"["Sayings","Moby Dick","The Lord of the Rings"]"#),
            ("$.store.book[?((@.price < 9 || @.price > 20) && @.isbn)].title", #"["Moby Dick","The Lord of the Rings"]"#),
            ("$.store.book[?(@.price < $.store.bicycle.price)].title", #"["Sayings","Sword","Moby Dick"]"#),
            ("$.store.book[ ?( @.price<9 ) ].price", "[8.95,8.99]"),
            // The CDK's JsonPath.listAt style.
            ("$.items[?(@.a == 'x' && @.b > 2)]", #"[{"a":"x","b":3,"id":1},{"a":"x","b":2.5,"id":4}]"#),
            ("$.items[?(@.a == 'x' && @.b > 2)].id", "[1,4]"),
            ("$.items[?(@.b == 2.50)].id", "[4]"),
            ("$.items[?(@.b == 25e-1)].id", "[4]"),
            ("$.items[?(@.a > 'x')].id", "[3]"),
            ("$.items[?(@.a == 'z')]", "[]"),
            ("$.items[?(@.nope == 1)]", "[]"),
            ("$.items[?(@.nope != 'q')].id", "[1,2,3,4]"),
            ("$.items[?(@.a == 1)]", "[]"),
            ("$.flags[?(@.on == true)].v", "[null]"),
            ("$.flags[?(@.v == null)].on", "[true]"),
            ("$.flags[?(@.on)].v", "[null,1]"),
            // Big integers compare exactly, not as Doubles.
            ("$.ids[?(@.n > 12345678901234567890)].n", "[12345678901234567891]"),
            ("$.ids[?(@.n == 12345678901234567891)].n", "[12345678901234567891]"),
            ("$.ids[?(@.n == 1.2345678901234567891e19)].n", "[12345678901234567891]"),
            // AWS: "@ … does not match scalar values. It only matches objects."
            ("$.numbers[?(@ > 2)]", "[]"),
            // Applied to an object, a filter tests the object itself.
            ("$.store.bicycle[?(@.color == 'red')].price", "[19.95]"),
            ("$..[?(@.color)].price", "[19.95]"),
            ("$..[?(@.id == 3)].b", "[5]"),
        ])
    }

    // MARK: - Roots

    func testContextAndVariableRoots() throws {
        let scope = EvaluationScope(
            input: Self.json(#"{"a":1}"#),
            context: Self.json(#"{"Execution":{"Id":"arn:aws:states:us-east-1:000000000000:execution:m:e","Name":"e"},"Map":{"Item":{"Index":2}}}"#),
            variables: ["myVar": Self.json(#"{"field":"v","list":[10,20]}"#), "my_var2": Self.json("[7]")])
        let rows: [(String, JSONPath.Root, String)] = [
            ("$$.Execution.Id", .context, #""arn:aws:states:us-east-1:000000000000:execution:m:e""#),
            ("$$.Map.Item.Index", .context, "2"),
            ("$$['Execution'].Name", .context, #""e""#),
            ("$myVar", .variable("myVar"), #"{"field":"v","list":[10,20]}"#),
            ("$myVar.field", .variable("myVar"), #""v""#),
            ("$myVar.list[1]", .variable("myVar"), "20"),
            ("$myVar.list[*]", .variable("myVar"), "[10,20]"),
            ("$my_var2[0]", .variable("my_var2"), "7"),
            ("$.a", .input, "1"),
        ]
        for (text, root, expected) in rows {
            let path = try JSONPath.parse(text)
            XCTAssertEqual(path.root, root, text)
            XCTAssertEqual(try path.evaluate(in: scope, field: "F").jsonString, Self.json(expected).jsonString, text)
        }
        XCTAssertEqual(try JSONPath.parse("$$").resolve(in: scope), scope.context)
        XCTAssertNil(try JSONPath.parse("$undefinedVar").resolve(in: scope))
        XCTAssertNil(try JSONPath.parse("$undefinedVar.x").resolve(in: scope))
        XCTAssertThrowsError(try JSONPath.parse("$undefinedVar").evaluate(in: scope, field: "F")) { error in
            XCTAssertEqual((error as? StatesError)?.error, "States.Runtime")
        }
    }

    // MARK: - Missing paths

    func testMissingSingleNodePathsFailWithAWSWording() throws {
        let scope = EvaluationScope(input: Self.json(#"{"a":1}"#))
        XCTAssertThrowsError(try JSONPath.parse("$.missing").evaluate(in: scope, field: "InputPath")) { error in
            XCTAssertEqual(error as? StatesError, StatesError(
                "States.Runtime",
                #"The JSONPath '$.missing' specified for the field 'InputPath' could not be found in the input '{"a":1}'"#))
        }
        let contextScope = EvaluationScope(input: .null, context: Self.json(#"{"Execution":{}}"#))
        XCTAssertThrowsError(try JSONPath.parse("$$.Execution.Id").evaluate(in: contextScope, field: "id.$")) { error in
            XCTAssertEqual((error as? StatesError)?.cause,
                           #"The JSONPath '$$.Execution.Id' specified for the field 'id.$' could not be found in the input '{"Execution":{}}'"#)
        }
    }

    func testPathsThatMatchNothingResolveToNil() throws {
        let paths = [
            "$.missing", "$.store.book[10]", "$.store.book[-5]", "$.store.name.first", "$.numbers.x",
            "$.store.book[0].title[0]", "$.store['nope']", "$.nothing.x", "$.flag[0]", "$.nested[2][0]",
        ]
        for text in paths {
            let path = try JSONPath.parse(text)
            XCTAssertNil(path.resolve(in: EvaluationScope(input: Self.document)), text)
            XCTAssertThrowsError(try path.evaluate(in: EvaluationScope(input: Self.document), field: "OutputPath"), text) { error in
                XCTAssertEqual((error as? StatesError)?.error, "States.Runtime", text)
                XCTAssertTrue((error as? StatesError)?.cause.hasPrefix("The JSONPath '\(text)' specified for the field 'OutputPath'") == true, text)
            }
        }
    }

    // MARK: - Classification

    func testReferencePathClassification() throws {
        let rows: [(String, Bool)] = [
            ("$", true), ("$.a.b", true), ("$['a'][0]", true), ("$.a[-1]", true), ("$$.Execution.Id", true),
            ("$v.x", true), ("$.['a b'].c", true),
            ("$.a[*]", false), ("$..a", false), ("$.a[0,1]", false), ("$['a','b']", false), ("$.a[1:]", false),
            ("$.a[?(@.x)]", false), ("$.*", false),
        ]
        for (text, expected) in rows {
            XCTAssertEqual(try JSONPath.parse(text).isReferencePath, expected, text)
        }
    }

    func testTextDescriptionAndNormalizedForm() throws {
        let path = try JSONPath.parse("$.a['b c'][0]")
        XCTAssertEqual(path.text, "$.a['b c'][0]")
        XCTAssertEqual(path.description, "$.a['b c'][0]")
        XCTAssertEqual(path.normalized, "$['a']['b c'][0]")
        XCTAssertEqual(try JSONPath.parse("$.missing").normalized, "$['missing']")
        XCTAssertEqual(try JSONPath.parse("$$.a..b[*][1:2]").normalized, "$$['a']..['b'][*][1:2]")
        XCTAssertEqual(try JSONPath.parse("$.a"), try JSONPath.parse("$.a"))
        XCTAssertNotEqual(try JSONPath.parse("$.a"), try JSONPath.parse("$['a']"))
    }

    // MARK: - Syntax errors

    func testMalformedPathsAreRejectedWithAMessage() {
        let rows: [(String, String)] = [
            ("", "must start with '$'"),
            ("a.b", "must start with '$'"),
            (" $.a", "must start with '$'"),
            ("$.", "expected a field name after '.'"),
            ("$..", "expected a field name after '..'"),
            ("$.a.", "expected a field name after '.'"),
            ("$.a[", "unclosed '['"),
            ("$.a[1", "unclosed '['"),
            ("$.a['b", "unterminated string"),
            ("$.a['b'", "unclosed '['"),
            ("$.a[]", "unexpected ']' in brackets"),
            ("$[x]", "unexpected 'x' in brackets"),
            ("$.a[?(@.b == )]", "unexpected ')' in the filter"),
            ("$.a[?(@.b = 1)]", "use '=='"),
            ("$.a[?(@.b =~ /x/)]", "regular expression"),
            ("$.a[?(@.b in ['x'])]", "unsupported filter operator 'in'"),
            ("$.a[?(@.b > 1)", "unclosed '['"),
            ("$.a[?(@.b > 1]", "expected ')' to close the filter"),
            ("$.a[?@.b]", "expected '(' after '?'"),
            ("$.a[?(@.b > 01)]", "invalid number '01'"),
            ("$.a[?(@.b > 1.)]", "invalid number '1.'"),
            ("$.a[?(@.b > $$.x)]", "only '@' and '$' paths"),
            ("$.a[?(@.b > yes)]", "unexpected 'yes' in the filter"),
            ("$.a.length()", "unexpected '('"),
            ("$.a b", "unexpected ' '"),
            ("$.a ", "unexpected ' '"),
            ("$-x", "unexpected '-'"),
            ("$.a[1:2:0]", "slice step cannot be zero"),
            ("$.a[99999999999999999999]", "index out of range"),
            ("$.a[-]", "expected digits after '-'"),
            ("$.a[1,]", "expected an index after ','"),
            (#"$.a['x\q']"#, #"invalid escape '\q'"#),
            ("$.a['x',3]", "expected a quoted name after ','"),
        ]
        for (text, fragment) in rows {
            XCTAssertThrowsError(try JSONPath.parse(text), text) { error in
                guard let error = error as? PathSyntaxError else { return XCTFail("\(text): \(error)") }
                XCTAssertTrue(error.message.contains(fragment), "\(text): \(error.message)")
                XCTAssertTrue(error.message.hasPrefix("Invalid JSONPath '\(text)': "), "\(text): \(error.message)")
            }
        }
    }

    func testErrorMessagesGiveThePosition() {
        XCTAssertThrowsError(try JSONPath.parse("$.a[x]")) { error in
            XCTAssertEqual((error as? PathSyntaxError)?.message, "Invalid JSONPath '$.a[x]': unexpected 'x' in brackets at position 4")
        }
    }

    // MARK: - ResultPath

    func testAssignPlacesValuesAtReferencePaths() throws {
        let rows: [(path: String, target: String, value: String, expected: String)] = [
            ("$", #"{"a":1}"#, #""x""#, #""x""#),
            ("$.result", #"{"a":1}"#, #"{"ok":true}"#, #"{"a":1,"result":{"ok":true}}"#),
            ("$.a", #"{"a":1,"b":2}"#, "5", #"{"a":5,"b":2}"#),
            ("$.x.y.z", #"{"a":1}"#, "1", #"{"a":1,"x":{"y":{"z":1}}}"#),
            ("$.a.b", #"{"a":{"c":1}}"#, "2", #"{"a":{"c":1,"b":2}}"#),
            ("$.list[1]", #"{"list":[1,2,3]}"#, #""two""#, #"{"list":[1,"two",3]}"#),
            ("$.list[-1].v", #"{"list":[{},{"v":0}]}"#, "9", #"{"list":[{},{"v":9}]}"#),
            ("$['odd key'].n", "{}", "1.50", #"{"odd key":{"n":1.50}}"#),
            ("$.a", "{}", "null", #"{"a":null}"#),
        ]
        for row in rows {
            let result = try JSONPath.parse(row.path).assign(Self.json(row.value), into: Self.json(row.target))
            XCTAssertEqual(result.jsonString, Self.json(row.expected).jsonString, row.path)
        }
    }

    func testAssignFailsThroughNonObjects() throws {
        let rows: [(path: String, target: String)] = [
            ("$.a.b", #"{"a":"text"}"#),
            ("$.a", #""hello""#),
            ("$.a", "[1]"),
            ("$.a.b", #"{"a":null}"#),
            ("$.a.b", #"{"a":[1]}"#),
            ("$.list[5]", #"{"list":[1]}"#),
            ("$.list[0]", #"{"list":{}}"#),
            ("$.list[0]", "{}"),
            ("$.a[*]", #"{"a":[1]}"#),
            ("$..a", "{}"),
            ("$$.x", "{}"),
            ("$v.x", "{}"),
        ]
        for row in rows {
            XCTAssertThrowsError(try JSONPath.parse(row.path).assign(1, into: Self.json(row.target)), row.path) { error in
                XCTAssertEqual((error as? StatesError)?.error, "States.ResultPathMatchFailure", row.path)
            }
        }
        XCTAssertThrowsError(try JSONPath.parse("$.a.b").assign(1, into: Self.json(#"{"a":"text"}"#))) { error in
            XCTAssertEqual((error as? StatesError)?.cause, #"Unable to apply ReferencePath $.a.b to input {"a":"text"}"#)
        }
    }

    // MARK: - Exact numbers

    func testExactDecimalComparison() {
        let rows: [(String, String, Int)] = [
            ("1", "1.0", 0), ("1", "1e0", 0), ("-0", "0", 0), ("0.0", "-0.000", 0), ("0.1", "0.10", 0),
            ("1E-2", "0.01", 0), ("100", "1e2", 0), ("12.5", "125e-1", 0),
            ("12345678901234567890", "12345678901234567891", -1), ("9007199254740993", "9007199254740992", 1),
            ("-5", "3", -1), ("-5", "-3", -1), ("3", "-5", 1), ("0", "-0.0001", 1), ("0.000001", "0", 1),
            ("1e2", "99.999", 1), ("0.30000000000000004", "0.3", 1), ("-1.5", "-1.50001", 1),
            ("1e999999999999999999999", "1e3", 1), ("-1e99999999999999999", "-1", -1), ("1e-99999999999999999", "0", 1),
        ]
        for (a, b, expected) in rows {
            XCTAssertEqual(ExactDecimal.compare(a, b), expected, "\(a) vs \(b)")
            XCTAssertEqual(ExactDecimal.compare(b, a), -expected, "\(b) vs \(a)")
        }
        for invalid in ["01", "1.", ".5", "abc", "", "-", "1e", "+1", "1e+", "0x1", "1 "] {
            XCTAssertNil(ExactDecimal(invalid), invalid)
        }
        XCTAssertEqual(ExactDecimal("1.0"), ExactDecimal("1"))
        XCTAssertEqual(Set([ExactDecimal("1.0")!, ExactDecimal("1")!, ExactDecimal("10e-1")!]).count, 1)
        XCTAssertTrue(ExactDecimal("3e2")!.isInteger)
        XCTAssertFalse(ExactDecimal("2.5")!.isInteger)
    }

    // MARK: - Hostile input

    func testLongPathsAndDeepDocumentsDoNotCrash() throws {
        // 500-deep document, addressed by a 500-segment path.
        let depth = 500
        let text = String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth)
        let deep = try JSONValue.parse(text)
        let path = try JSONPath.parse("$" + String(repeating: ".a", count: depth))
        XCTAssertEqual(path.resolve(in: EvaluationScope(input: deep)), 1)
        XCTAssertEqual(try JSONPath.parse("$..a").resolve(from: deep)?.arrayValue?.count, depth)

        // ResultPath building a 1,000-level chain of objects.
        let longPath = try JSONPath.parse("$" + String(repeating: ".x", count: 1000))
        let built = try longPath.assign("leaf", into: .object(JSONObject()))
        XCTAssertEqual(longPath.resolve(from: built), "leaf")

        // Too many segments, absurd brackets and filters fail cleanly.
        for hostile in [
            "$" + String(repeating: ".a", count: 5000),
            "$" + String(repeating: "[", count: 10_000),
            "$.a[?(" + String(repeating: "(", count: 10_000) + "@.x" + String(repeating: ")", count: 10_000) + ")]",
            "$.a[?(" + String(repeating: "!", count: 10_000) + "@.x)]",
            "$" + String(repeating: "..", count: 10_000),
        ] {
            XCTAssertThrowsError(try JSONPath.parse(hostile)) { error in
                XCTAssertTrue(error is PathSyntaxError)
            }
        }
        // A very long member name is just a name.
        let name = String(repeating: "n", count: 100_000)
        let object = JSONValue.object(JSONObject([JSONObject.Member(name, 7)]))
        XCTAssertEqual(try JSONPath.parse("$." + name).resolve(from: object), 7)
        XCTAssertEqual(try JSONPath.parse("$['" + name + "']").resolve(from: object), 7)
    }

    func testRandomPathsNeverCrash() {
        var generator = StatesFuzzRandom(seed: 0x5EED)
        let alphabet = Array("$@.[]()'\"*?:,-0129abx =!<>&|\\")
        var parsed = 0
        for _ in 0..<5000 {
            let length = Int(generator.next() % 24)
            var text = "$"
            for _ in 0..<length { text.append(alphabet[Int(generator.next() % UInt64(alphabet.count))]) }
            do {
                let path = try JSONPath.parse(text)
                parsed += 1
                _ = path.resolve(in: EvaluationScope(input: Self.document))
                _ = try? path.assign(1, into: Self.document)
            } catch {
                XCTAssertTrue(error is PathSyntaxError, text)
            }
        }
        XCTAssertGreaterThan(parsed, 0)
    }
}

/// A small deterministic generator for fuzz-style tests.
struct StatesFuzzRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
