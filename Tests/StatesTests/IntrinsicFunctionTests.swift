import JSON
import XCTest
@testable import States

/// Every intrinsic with good and bad arguments, the call grammar, and hostile input.
/// Rows are (expression, input, expected); one behaviour per row.
final class IntrinsicFunctionTests: XCTestCase {
    static func json(_ text: String) -> JSONValue {
        do { return try JSONValue.parse(text) } catch { fatalError("bad test JSON \(text): \(error)") }
    }

    static let context = json(#"{"Execution":{"Name":"run-1","Input":{"start":2,"end":6,"step":2}}}"#)
    static let variables: [String: JSONValue] = ["greeting": "hi", "limits": json(#"{"max":3}"#)]

    func evaluate(_ expression: String, _ input: String = "{}") throws -> JSONValue {
        let scope = EvaluationScope(input: Self.json(input), context: Self.context, variables: Self.variables)
        return try IntrinsicCall.parse(expression).evaluate(in: scope)
    }

    func assertResults(_ rows: [(String, String, String)], file: StaticString = #filePath, line: UInt = #line) {
        for (expression, input, expected) in rows {
            do {
                let value = try evaluate(expression, input)
                XCTAssertEqual(value.jsonString, Self.json(expected).jsonString, expression, file: file, line: line)
            } catch {
                XCTFail("\(expression): \(error)", file: file, line: line)
            }
        }
    }

    /// Each row must fail at run time as AWS does: States.Runtime, "Invalid arguments in <function>".
    func assertInvalidArguments(_ rows: [(String, String)], file: StaticString = #filePath, line: UInt = #line) {
        for (expression, input) in rows {
            do {
                let call = try IntrinsicCall.parse(expression)
                XCTAssertThrowsError(try evaluate(expression, input), expression, file: file, line: line) { error in
                    XCTAssertEqual(error as? StatesError,
                                   StatesError("States.Runtime", "Invalid arguments in \(call.function.rawValue)"),
                                   expression, file: file, line: line)
                }
            } catch {
                XCTFail("\(expression) should parse: \(error)", file: file, line: line)
            }
        }
    }

    // MARK: - States.Format

    func testFormat() {
        assertResults([
            ("States.Format('Hello {}', $.name)", #"{"name":"Ada"}"#, #""Hello Ada""#),
            ("States.Format('{} {} {}', $.a, $.b, $.c)", #"{"a":"x","b":2,"c":true}"#, #""x 2 true""#),
            (#"States.Format('Name: \'{}\', Surname: "{}"', $.n, $.s)"#, #"{"n":"Gabriel","s":"Moreira"}"#,
             #""Name: 'Gabriel', Surname: \"Moreira\"""#),
            ("States.Format('no placeholders')", "{}", #""no placeholders""#),
            ("States.Format($.template, $.name)", #"{"template":"Hello {}","name":"Ada"}"#, #""Hello Ada""#),
            (#"States.Format('\{\} {}', 1)"#, "{}", #""{} 1""#),
            (#"States.Format('a\\b {}', 'c')"#, "{}", #""a\\b c""#),
            ("States.Format('{}|{}|{}|{}', null, 1.50, false, $.obj)", #"{"obj":{"k":[1]}}"#, #""null|1.50|false|{\"k\":[1]}""#),
            ("States.Format('arn:{}:{}', $.svc, States.JsonToString($.obj))", #"{"svc":"lambda","obj":{"k":1}}"#,
             #""arn:lambda:{\"k\":1}""#),
            ("States.Format('{}:{}', $$.Execution.Name, $greeting)", "{}", #""run-1:hi""#),
            ("States.Format('  {}  ', 'x')", "{}", #""  x  ""#),
            ("States.Format('{}{}', 'a', 'b')", "{}", #""ab""#),
            ("States.Format('{}', 12345678901234567890)", "{}", #""12345678901234567890""#),
            (#"States.Format('\\{}', 'x')"#, "{}", #""\\x""#),
        ])
    }

    func testFormatRejectsMismatchedPlaceholdersAndBraces() {
        assertInvalidArguments([
            ("States.Format('{} {}', 'x')", "{}"),
            ("States.Format('{}', 'x', 'y')", "{}"),
            ("States.Format('none', 'x')", "{}"),
            ("States.Format($.t, 'Ada')", #"{"t":123}"#),
            ("States.Format('Hello {', 'x')", "{}"),
            ("States.Format('Hello {{}}', 'x')", "{}"),
            ("States.Format('}')", "{}"),
            ("States.Format('{x}', 'x')", "{}"),
        ])
    }

    // MARK: - JSON

    func testStringToJson() {
        assertResults([
            ("States.StringToJson($.s)", #"{"s":"{\"a\":1.0,\"b\":[true,null]}"}"#, #"{"a":1.0,"b":[true,null]}"#),
            ("States.StringToJson($.s)", #"{"s":"[1,2,3]"}"#, "[1,2,3]"),
            ("States.StringToJson($.s)", #"{"s":"\"hello\""}"#, #""hello""#),
            ("States.StringToJson($.s)", #"{"s":"12345678901234567890"}"#, "12345678901234567890"),
            ("States.StringToJson($.s)", #"{"s":"true"}"#, "true"),
            ("States.StringToJson($.s)", #"{"s":"null"}"#, "null"),
            ("States.StringToJson($.s)", #"{"s":" {\"a\":1} "}"#, #"{"a":1}"#),
            ("States.StringToJson($.s)", #"{"s":"{\"a\":\"it's\"}"}"#, #"{"a":"it's"}"#),
            ("States.StringToJson($.s)", #"{"s":""}"#, "null"),
            ("States.StringToJson(States.JsonToString($.o))", #"{"o":{"z":1,"a":{"ok":true}}}"#, #"{"z":1,"a":{"ok":true}}"#),
        ])
        assertInvalidArguments([
            ("States.StringToJson($.s)", #"{"s":"{bad json}"}"#),
            ("States.StringToJson($.s)", #"{"s":"{\"a\":1"}"#),
            ("States.StringToJson($.s)", #"{"s":"undefined"}"#),
            ("States.StringToJson(123)", "{}"),
            ("States.StringToJson($.s)", #"{"s":{"a":1}}"#),
            ("States.StringToJson($.s)", #"{"s":[1,2]}"#),
            ("States.StringToJson(null)", "{}"),
        ])
    }

    func testJsonToString() {
        assertResults([
            ("States.JsonToString($.o)", #"{"o":{"b":1.50,"a":[1, 2],"s":"q\"uote"}}"#, #""{\"b\":1.50,\"a\":[1,2],\"s\":\"q\\\"uote\"}""#),
            ("States.JsonToString('x')", "{}", #""\"x\"""#),
            ("States.JsonToString($.n)", #"{"n":12345678901234567890}"#, #""12345678901234567890""#),
            ("States.JsonToString(null)", "{}", #""null""#),
            ("States.JsonToString($)", #"{"a":[]}"#, #""{\"a\":[]}""#),
        ])
    }

    func testJsonMerge() {
        assertResults([
            ("States.JsonMerge($.a, $.b, false)", #"{"a":{"x":1},"b":{"y":2}}"#, #"{"x":1,"y":2}"#),
            ("States.JsonMerge($.a, $.b, false)", #"{"a":{"x":1,"y":2},"b":{"y":3,"z":4}}"#, #"{"x":1,"y":3,"z":4}"#),
            ("States.JsonMerge($.a, $.b, false)", #"{"a":{},"b":{"x":1}}"#, #"{"x":1}"#),
            ("States.JsonMerge($.a, $.b, false)", #"{"a":{"n":{"a1":1,"a2":2}},"b":{"n":{"a3":3}}}"#, #"{"n":{"a3":3}}"#),
            ("States.JsonMerge($.a, $.b, false)", #"{"a":{"n":{"l":true},"keep":1},"b":{"n":null}}"#, #"{"n":null,"keep":1}"#),
            ("States.JsonMerge($.a, States.StringToJson($.b), false)", #"{"a":{"value":1},"b":"{\"fallback\":true,\"value\":2}"}"#,
             #"{"value":2,"fallback":true}"#),
        ])
        assertInvalidArguments([
            ("States.JsonMerge($.a, $.b, true)", #"{"a":{},"b":{}}"#),
            ("States.JsonMerge($.a, $.b, false)", #"{"a":null,"b":{}}"#),
            ("States.JsonMerge($.a, $.b, false)", #"{"a":{},"b":null}"#),
            ("States.JsonMerge($.a, $.b, false)", #"{"a":[],"b":{}}"#),
            ("States.JsonMerge($.a, $.b, false)", #"{"a":{},"b":"x"}"#),
        ])
    }

    // MARK: - Arrays

    func testArray() {
        assertResults([
            ("States.Array()", "{}", "[]"),
            ("States.Array($.a, $.b, $.c)", #"{"a":1,"b":"2","c":true}"#, #"[1,"2",true]"#),
            ("States.Array(42, true, null, 'hello', -1.5e3, 0.10)", "{}", #"[42,true,null,"hello",-1.5e3,0.10]"#),
            ("States.Array(1, States.Array(2, 3))", "{}", "[1,[2,3]]"),
            ("States.Array( $.a , $.b )", #"{"a":1,"b":2}"#, "[1,2]"),
            ("States.Array($.o, $.l)", #"{"o":{"k":1},"l":[1,2]}"#, #"[{"k":1},[1,2]]"#),
            ("States.Array($$.Execution.Input.start, $limits.max)", "{}", "[2,3]"),
            ("States.Array($.items[*].id)", #"{"items":[{"id":1},{"id":2}]}"#, "[[1,2]]"),
            ("States.Array($.items[?(@.id > 1)])", #"{"items":[{"id":1},{"id":2}]}"#, #"[[{"id":2}]]"#),
        ])
    }

    func testArrayPartition() {
        assertResults([
            ("States.ArrayPartition($.a, 4)", #"{"a":[1,2,3,4,5,6,7,8,9]}"#, "[[1,2,3,4],[5,6,7,8],[9]]"),
            ("States.ArrayPartition($.a, 1)", #"{"a":[1,2,3]}"#, "[[1],[2],[3]]"),
            ("States.ArrayPartition($.a, 2)", #"{"a":[1,2,3,4]}"#, "[[1,2],[3,4]]"),
            ("States.ArrayPartition($.a, 10)", #"{"a":[1,2,3]}"#, "[[1,2,3]]"),
            ("States.ArrayPartition($.a, 2147483647)", #"{"a":[1,2,3]}"#, "[[1,2,3]]"),
            ("States.ArrayPartition($.a, 3)", #"{"a":[]}"#, "[]"),
            ("States.ArrayPartition($.a, 2.6)", #"{"a":[1,2,3,4,5]}"#, "[[1,2],[3,4],[5]]"),
            ("States.ArrayPartition(States.Array(1,2,3,4,5), $$.Execution.Input.start)", "{}", "[[1,2],[3,4],[5]]"),
        ])
        assertInvalidArguments([
            ("States.ArrayPartition('not-array', 2)", "{}"),
            ("States.ArrayPartition($.a, 0)", #"{"a":[1]}"#),
            ("States.ArrayPartition($.a, -1)", #"{"a":[1]}"#),
            ("States.ArrayPartition($.a, 0.49)", #"{"a":[1]}"#),
            ("States.ArrayPartition($.a, 0.6)", #"{"a":[1]}"#),
            ("States.ArrayPartition($.a, '2')", #"{"a":[1]}"#),
            ("States.ArrayPartition($.a, null)", #"{"a":[1]}"#),
            ("States.ArrayPartition($.a, 3000000000)", #"{"a":[1]}"#),
        ])
    }

    func testArrayContains() {
        assertResults([
            ("States.ArrayContains($.a, 2)", #"{"a":[1,2,3]}"#, "true"),
            ("States.ArrayContains($.a, 5)", #"{"a":[1,2,3]}"#, "false"),
            ("States.ArrayContains($.a, 'C')", #"{"a":["A","B","C"]}"#, "true"),
            ("States.ArrayContains($.a, null)", #"{"a":[1,null,3]}"#, "true"),
            ("States.ArrayContains($.a, $.t)", #"{"a":[{"a":1},{"b":2}],"t":{"a":1}}"#, "true"),
            ("States.ArrayContains($.a, $.t)", #"{"a":[{"a":1}],"t":{"a":1,"extra":null}}"#, "false"),
            ("States.ArrayContains($.a, $.t)", #"{"a":[[1,2],[3,4]],"t":[1,2]}"#, "true"),
            ("States.ArrayContains($.a, 1)", #"{"a":[]}"#, "false"),
            ("States.ArrayContains($.a, false)", #"{"a":[0,1,-1]}"#, "false"),
            ("States.ArrayContains(States.Array(1, 2, 3), 2)", "{}", "true"),
        ])
        assertInvalidArguments([
            ("States.ArrayContains('not-array', 'x')", "{}"),
            ("States.ArrayContains($.o, 1)", #"{"o":{"a":1}}"#),
        ])
    }

    func testArrayRange() throws {
        assertResults([
            ("States.ArrayRange(1, 9, 2)", "{}", "[1,3,5,7,9]"),
            ("States.ArrayRange(1, 5, 1)", "{}", "[1,2,3,4,5]"),
            ("States.ArrayRange(-2, 2, 2)", "{}", "[-2,0,2]"),
            ("States.ArrayRange(0, 10, 3)", "{}", "[0,3,6,9]"),
            ("States.ArrayRange(5, 1, -2)", "{}", "[5,3,1]"),
            ("States.ArrayRange(3, 3, 1)", "{}", "[3]"),
            ("States.ArrayRange(3, 3, -1)", "{}", "[3]"),
            ("States.ArrayRange(5, 1, 1)", "{}", "[]"),
            ("States.ArrayRange(1, 5, -1)", "{}", "[]"),
            ("States.ArrayRange(1.4, 5.6, 2.2)", "{}", "[1,3,5]"),
            ("States.ArrayRange(5.4, -0.6, -2.4)", "{}", "[5,3,1]"),
            ("States.ArrayRange(States.MathAdd($.b, 1), States.MathAdd($.b, 5), 2)", #"{"b":0}"#, "[1,3,5]"),
            ("States.ArrayRange($$.Execution.Input.start, $$.Execution.Input.end, $$.Execution.Input.step)", "{}", "[2,4,6]"),
        ])
        XCTAssertEqual(try evaluate("States.ArrayRange(1, 1000, 1)").arrayValue?.count, 1000)
        XCTAssertEqual(try evaluate("States.ArrayRange(1000, 1, -1)").arrayValue?.last, 1)
        assertInvalidArguments([
            ("States.ArrayRange('a', 5, 1)", "{}"),
            ("States.ArrayRange(1, 'b', 1)", "{}"),
            ("States.ArrayRange(1, 5, 'c')", "{}"),
            ("States.ArrayRange(1, 10, 0)", "{}"),
            ("States.ArrayRange(1, 10, 0.49)", "{}"),
            ("States.ArrayRange(1, 1001, 1)", "{}"),
            ("States.ArrayRange(1001, 1, -1)", "{}"),
            ("States.ArrayRange(0, 3000000000, 1)", "{}"),
            ("States.ArrayRange(-2147483648, 2147483647, 1)", "{}"),
        ])
    }

    func testArrayGetItem() {
        assertResults([
            ("States.ArrayGetItem($.a, 0)", #"{"a":["a","b","c"]}"#, #""a""#),
            ("States.ArrayGetItem($.a, 1)", #"{"a":["a","b","c"]}"#, #""b""#),
            ("States.ArrayGetItem($.a, $.i)", #"{"a":[10,20,30,40],"i":2}"#, "30"),
            ("States.ArrayGetItem($.a, 0)", #"{"a":[null]}"#, "null"),
            ("States.ArrayGetItem($.a, 1)", #"{"a":[{"a":1},{"b":2}]}"#, #"{"b":2}"#),
            ("States.ArrayGetItem(States.Array('x', 'y', 'z'), 1)", "{}", #""y""#),
            ("States.ArrayGetItem($.a, 1.2)", #"{"a":[10,20,30]}"#, "20"),
        ])
        assertInvalidArguments([
            ("States.ArrayGetItem('not-array', 0)", "{}"),
            ("States.ArrayGetItem($.a, 3)", #"{"a":[10,20,30]}"#),
            ("States.ArrayGetItem($.a, -1)", #"{"a":[10,20,30]}"#),
            ("States.ArrayGetItem($.a, '1')", #"{"a":[10,20,30]}"#),
            ("States.ArrayGetItem($.a, 0)", #"{"a":[]}"#),
        ])
    }

    func testArrayLengthAndUnique() {
        assertResults([
            ("States.ArrayLength($.a)", #"{"a":[1,2,3,4,5,6,7,8,9]}"#, "9"),
            ("States.ArrayLength($.a)", #"{"a":[]}"#, "0"),
            ("States.ArrayLength(States.Array(1, 2))", "{}", "2"),
            ("States.ArrayUnique($.a)", #"{"a":[1,2,3,3,3,3,3,3,4]}"#, "[1,2,3,4]"),
            ("States.ArrayUnique($.a)", #"{"a":[null,null,true,true,1,1,"a","a",[],[],{"a":1},{"a":1},{"a":2}]}"#,
             #"[null,true,1,"a",[],{"a":1},{"a":2}]"#),
            ("States.ArrayUnique($.a)", #"{"a":[]}"#, "[]"),
        ])
        assertInvalidArguments([
            ("States.ArrayLength('x')", "{}"),
            ("States.ArrayLength($.o)", #"{"o":{"a":1}}"#),
            ("States.ArrayUnique(1)", "{}"),
            ("States.ArrayUnique(null)", "{}"),
        ])
    }

    // MARK: - Encoding and hashing

    func testBase64() throws {
        assertResults([
            ("States.Base64Encode($.s)", #"{"s":"Data to encode"}"#, #""RGF0YSB0byBlbmNvZGU=""#),
            ("States.Base64Encode('')", "{}", #""""#),
            ("States.Base64Encode('✓')", "{}", #""4pyT""#),
            ("States.Base64Encode($.s)", #"{"s":"こんにちは"}"#, #""44GT44KT44Gr44Gh44Gv""#),
            ("States.Base64Decode('RGF0YSB0byBlbmNvZGU=')", "{}", #""Data to encode""#),
            ("States.Base64Decode('aGVsbG8=')", "{}", #""hello""#),
            ("States.Base64Decode('')", "{}", #""""#),
            ("States.Base64Decode('4pyT')", "{}", #""✓""#),
            ("States.Base64Decode('YWJjAGRlZg==')", "{}", #""abc\u0000def""#),
            ("States.Base64Decode('YWJjZA')", "{}", #""abcd""#),
            ("States.Base64Decode(' YWJjZA== ')", "{}", #""abcd""#),
            ("States.Base64Decode(States.Base64Encode($.s))", #"{"s":"round trip ✓"}"#, #""round trip ✓""#),
        ])
        let a10000 = String(repeating: "a", count: 10_000)
        XCTAssertEqual(try evaluate("States.Base64Encode($.s)", #"{"s":"\#(a10000)"}"#).stringValue?.count, 13_336)
        XCTAssertNoThrow(try evaluate("States.Base64Decode($.s)", #"{"s":"\#(String(repeating: "A", count: 10_000))"}"#))
        assertInvalidArguments([
            ("States.Base64Encode(123)", "{}"),
            ("States.Base64Encode($.s)", #"{"s":"\#(a10000)a"}"#),
            ("States.Base64Decode(123)", "{}"),
            ("States.Base64Decode($.o)", #"{"o":{}}"#),
            ("States.Base64Decode($.s)", #"{"s":"\#(String(repeating: "A", count: 10_001))"}"#),
        ])
    }

    func testHash() throws {
        assertResults([
            ("States.Hash('hello', 'MD5')", "{}", #""5d41402abc4b2a76b9719d911017c592""#),
            ("States.Hash('hello', 'SHA-1')", "{}", #""aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d""#),
            ("States.Hash('hello', 'SHA-256')", "{}", #""2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824""#),
            ("States.Hash('hello', 'SHA-384')", "{}",
             #""59e1748777448c69de6b800d7a33bbfb9ff1b463e44354c3553bcdb9c666fa90125a3c79f90397bdf5f6a13de828684f""#),
            ("States.Hash('hello', 'SHA-512')", "{}",
             #""9b71d224bd62f3785d96d46ad3ea3d73319bfbc2890caadae2dff72519673ca72323c3d99ba5c11d7c7acc6e14b8c5da0c4663475c2e5c3adef46f73bcdec043""#),
            ("States.Hash($.s, $.algo)", #"{"s":"Data to encode","algo":"MD5"}"#, #""ca405671828a177e26947171bbe1e352""#),
            ("States.Hash('', 'SHA-256')", "{}", #""e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855""#),
            ("States.Hash($.s, 'SHA-256')", #"{"s":"✓"}"#, #""1dabba21cdad44541f6b15796f8d22978fc7ea10c46aeceeeeb66c23b3ac7604""#),
            ("States.Hash($.s, 'SHA-256')", #"{"s":"こんにちは"}"#, #""125aeadf27b0459b8760c13a3d80912dfa8a81a68261906f60d87f4a0268646c""#),
            ("States.Hash('🚀', 'SHA-256')", "{}", #""ebbc0b2870eb323f2b6cffa5c493ceef81ae7eb36afc73d4e0367301631daec5""#),
            ("States.Hash($.s, 'MD5')", #"{"s":"abc\u0000def"}"#, #""a5e4d5963ae44c1f4bfb37b1a3d55a3c""#),
            ("States.Hash(States.Format('{}:{}', $.a, $.b), 'SHA-256')", #"{"a":"x","b":"y"}"#,
             #""1274e286686b54fe765ec40735665b4bf789cee2a5b22124c5e0491a88e15271""#),
            // AWS hashes a non-string value as its JSON text.
            ("States.Hash(123, 'MD5')", "{}", #""202cb962ac59075b964b07152d234b70""#),
        ])
        let a10000 = String(repeating: "a", count: 10_000)
        XCTAssertEqual(try evaluate("States.Hash($.s, 'SHA-256')", #"{"s":"\#(a10000)"}"#).stringValue?.count, 64)
        assertInvalidArguments([
            ("States.Hash($.s, 'SHA-256')", #"{"s":"\#(a10000)a"}"#),
            ("States.Hash('hello', 123)", "{}"),
            ("States.Hash('data', 'UNSUPPORTED')", "{}"),
            ("States.Hash('data', 'sha-256')", "{}"),
            ("States.Hash('data', 'SHA256')", "{}"),
            ("States.Hash('data', '')", "{}"),
            ("States.Hash('data', 'MD-5')", "{}"),
            ("States.Hash('data', 'SHA-257')", "{}"),
        ])
    }

    // MARK: - Math

    func testMathAdd() {
        assertResults([
            ("States.MathAdd(5, 3)", "{}", "8"),
            ("States.MathAdd($.v, -1)", #"{"v":111}"#, "110"),
            ("States.MathAdd(-5, -3)", "{}", "-8"),
            ("States.MathAdd(-5, 3)", "{}", "-2"),
            ("States.MathAdd($.a, $.b)", #"{"a":1.6,"b":2.7}"#, "5"),
            ("States.MathAdd($.a, $.b)", #"{"a":0.1,"b":0.2}"#, "0"),
            ("States.MathAdd(2147483647, 0)", "{}", "2147483647"),
            ("States.MathAdd(-2147483648, 0)", "{}", "-2147483648"),
            ("States.MathAdd(2147483646, 1)", "{}", "2147483647"),
            ("States.MathAdd(-2147483647, -1)", "{}", "-2147483648"),
            ("States.MathAdd(States.MathAdd($.x, 1), 2)", #"{"x":5}"#, "8"),
            ("States.Array(States.MathAdd($.x, -1), States.MathAdd($.x, 1))", #"{"x":5}"#, "[4,6]"),
            ("States.MathAdd($$.Execution.Input.start, $.d)", #"{"d":5}"#, "7"),
            ("States.MathAdd(1e2, 1)", "{}", "101"),
        ])
        assertInvalidArguments([
            ("States.MathAdd(2147483647, 1)", "{}"),
            ("States.MathAdd(-2147483648, -1)", "{}"),
            ("States.MathAdd(3000000000, 1)", "{}"),
            ("States.MathAdd(-3000000000, 1)", "{}"),
            ("States.MathAdd('a', 1)", "{}"),
            ("States.MathAdd(1, 'b')", "{}"),
            ("States.MathAdd(null, 1)", "{}"),
            ("States.MathAdd(true, 1)", "{}"),
            ("States.MathAdd('1.5', 2)", "{}"),
            ("States.MathAdd(-1, $.p)", #"{"p":[0,1]}"#),
            ("States.MathAdd(1e309, 1)", "{}"),
        ])
    }

    func testMathRandom() throws {
        for _ in 0..<200 {
            let value = try XCTUnwrap(try evaluate("States.MathRandom(1, 10)").intValue)
            XCTAssertTrue((1..<10).contains(value), "\(value)")
        }
        for _ in 0..<50 {
            let value = try XCTUnwrap(try evaluate("States.MathRandom(1.6, 5.4)").intValue)
            XCTAssertTrue((1..<5).contains(value), "\(value)")
        }
        // A seed makes the result repeatable, within and across evaluations.
        let seeded = try evaluate("States.Array(States.MathRandom(1, 100, 42), States.MathRandom(1, 100, 42))")
        XCTAssertEqual(seeded.arrayValue?[0], seeded.arrayValue?[1])
        XCTAssertEqual(try evaluate("States.MathRandom(1, 100, 42)"), seeded.arrayValue?[0])
        for (expression, range) in [
            ("States.MathRandom(1, 10, -10)", 1..<10), ("States.MathRandom(1, 10, 0)", 1..<10),
            ("States.MathRandom($.s, $.e, 1)", 2_147_483_640..<2_147_483_647),
            ("States.MathRandom(-1000000, 1000000, 7)", -1_000_000..<1_000_000),
            ("States.MathRandom(-2147483648, 2147483647, 7)", -2_147_483_648..<2_147_483_647),
            ("States.MathRandom(0, 16, 3)", 0..<16),
        ] {
            let value = try XCTUnwrap(try evaluate(expression, #"{"s":2147483640,"e":2147483647}"#).intValue)
            XCTAssertTrue(range.contains(value), "\(expression) gave \(value)")
        }
        assertInvalidArguments([
            ("States.MathRandom(1, 1)", "{}"),
            ("States.MathRandom(10, 5)", "{}"),
            ("States.MathRandom(1.49, 1.49)", "{}"),
            ("States.MathRandom(1.4, 1.6)", "{}"),
            ("States.MathRandom('a', 10)", "{}"),
            ("States.MathRandom(1, 'b')", "{}"),
            ("States.MathRandom(1, 10, 'seed')", "{}"),
            ("States.MathRandom(1, 10, null)", "{}"),
        ])
    }

    func testSeededRandomFollowsJavaUtilRandom() {
        var r42 = JavaRandom(seed: 42)
        XCTAssertEqual(r42.next(bits: 32), -1_170_105_035)
        var r0 = JavaRandom(seed: 0)
        XCTAssertEqual(r0.next(bits: 32), -1_155_484_576)
    }

    // MARK: - Strings and identifiers

    func testStringSplit() {
        assertResults([
            ("States.StringSplit($.s, ',')", #"{"s":"a,b,c"}"#, #"["a","b","c"]"#),
            ("States.StringSplit($.s, $.d)", #"{"s":"1+2,3.4","d":".+,"}"#, #"["1","2","3","4"]"#),
            ("States.StringSplit($.s, ',')", #"{"s":"a,,b"}"#, #"["a","b"]"#),
            ("States.StringSplit($.s, ',')", #"{"s":",a,b,"}"#, #"["a","b"]"#),
            ("States.StringSplit($.s, ',')", #"{"s":","}"#, "[]"),
            ("States.StringSplit($.s, ',')", #"{"s":""}"#, "[]"),
            ("States.StringSplit($.s, '')", #"{"s":"abc"}"#, #"["abc"]"#),
            ("States.StringSplit($.s, 'ab')", #"{"s":"1a2b3ab4"}"#, #"["1","2","3","4"]"#),
            ("States.StringSplit($.s, '|')", #"{"s":"a|b|c"}"#, #"["a","b","c"]"#),
            ("States.StringSplit('This.is+a,test=string', '.+,=')", "{}", #"["This","is","a","test","string"]"#),
            ("States.StringSplit(States.Format('{}-{}', $.a, $.b), '-')", #"{"a":"x","b":"y"}"#, #"["x","y"]"#),
            ("States.StringSplit($.s, '✓')", #"{"s":"a✓b"}"#, #"["a","b"]"#),
        ])
        assertInvalidArguments([
            ("States.StringSplit($.v, ',')", #"{"v":123}"#),
            ("States.StringSplit($.s, $.d)", #"{"s":"a,b","d":1}"#),
            ("States.StringSplit($.s, $.d)", #"{"s":null,"d":","}"#),
            ("States.StringSplit($.s, $.d)", #"{"s":"a,b","d":null}"#),
            ("States.StringSplit($.s, ',')", #"{"s":false}"#),
            ("States.StringSplit($.s, $.d)", #"{"s":"a,b","d":[","]}"#),
        ])
    }

    func testUUIDIsAVersion4UUID() throws {
        let first = try XCTUnwrap(try evaluate("States.UUID()").stringValue)
        let second = try XCTUnwrap(try evaluate("States.UUID()").stringValue)
        XCTAssertNotEqual(first, second)
        for uuid in [first, second] {
            let parts = uuid.split(separator: "-").map(String.init)
            XCTAssertEqual(parts.map(\.count), [8, 4, 4, 4, 12], uuid)
            XCTAssertTrue(uuid.allSatisfy { "0123456789abcdef-".contains($0) }, uuid)
            XCTAssertEqual(parts[2].first, "4", uuid)
            XCTAssertTrue("89ab".contains(parts[3].first!), uuid)
        }
    }

    // MARK: - Paths inside calls

    func testMissingPathArgumentsFailWithTheJSONPathMessage() throws {
        let call = try IntrinsicCall.parse("States.Hash($.missing, 'SHA-256')")
        XCTAssertThrowsError(try call.evaluate(in: EvaluationScope(input: [:]), field: "value.$")) { error in
            XCTAssertEqual(error as? StatesError, StatesError(
                "States.Runtime",
                "The JSONPath '$.missing' specified for the field 'value.$' could not be found in the input '{}'"))
        }
        XCTAssertThrowsError(try call.evaluate(in: EvaluationScope(input: [:]))) { error in
            XCTAssertEqual((error as? StatesError)?.cause,
                           "The JSONPath '$.missing' specified for the field 'States.Hash' could not be found in the input '{}'")
        }
        XCTAssertThrowsError(try evaluate("States.Format('{}', States.ArrayGetItem($.a, $.nope))", #"{"a":[1]}"#)) { error in
            XCTAssertEqual((error as? StatesError)?.error, "States.Runtime")
        }
    }

    // MARK: - Grammar

    func testParseBuildsTheCall() throws {
        let call = try IntrinsicCall.parse("  States.Format('It\\'s {}', $.name, 1.50, true, null, States.UUID())  ")
        XCTAssertEqual(call.function, .format)
        XCTAssertEqual(call.text, "States.Format('It\\'s {}', $.name, 1.50, true, null, States.UUID())")
        XCTAssertEqual(call.description, call.text)
        XCTAssertEqual(call.arguments.count, 6)
        XCTAssertEqual(call.arguments[0], .string("It's {}", escaped: "It\\'s {}"))
        XCTAssertEqual(call.arguments[1], .path(try JSONPath.parse("$.name")))
        XCTAssertEqual(call.arguments[2], .literal(.number("1.50")))
        XCTAssertEqual(call.arguments[3], .literal(true))
        XCTAssertEqual(call.arguments[4], .literal(.null))
        guard case .call(let nested) = call.arguments[5] else { return XCTFail("expected a nested call") }
        XCTAssertEqual(nested.function, .uuid)
        XCTAssertEqual(nested.text, "States.UUID()")
    }

    func testPathArgumentsMayContainCommasParenthesesAndSpacesInsideBrackets() throws {
        let call = try IntrinsicCall.parse("States.Array($.a['x,y'], $.b[?(@.c == ')' && @.d > 1)], $['p q'],$.z)")
        let paths = call.arguments.compactMap { argument -> String? in
            if case .path(let path) = argument { return path.text }
            return nil
        }
        XCTAssertEqual(paths, ["$.a['x,y']", "$.b[?(@.c == ')' && @.d > 1)]", "$['p q']", "$.z"])
        let input = #"{"a":{"x,y":1},"b":[{"c":")","d":2},{"c":")","d":0}],"p q":3,"z":4}"#
        XCTAssertEqual(try evaluate(call.text, input).jsonString, #"[1,[{"c":")","d":2}],3,4]"#)
    }

    func testEveryFunctionParsesAndHasItsName() throws {
        let minimal: [IntrinsicFunction: String] = [
            .format: "States.Format('x')", .stringToJson: "States.StringToJson('1')", .jsonToString: "States.JsonToString(1)",
            .array: "States.Array()", .arrayPartition: "States.ArrayPartition(States.Array(1), 1)",
            .arrayContains: "States.ArrayContains(States.Array(1), 1)", .arrayRange: "States.ArrayRange(1, 2, 1)",
            .arrayGetItem: "States.ArrayGetItem(States.Array(1), 0)", .arrayLength: "States.ArrayLength(States.Array())",
            .arrayUnique: "States.ArrayUnique(States.Array())", .base64Encode: "States.Base64Encode('x')",
            .base64Decode: "States.Base64Decode('eA==')", .hash: "States.Hash('x', 'MD5')",
            .jsonMerge: "States.JsonMerge(States.StringToJson('{}'), States.StringToJson('{}'), false)",
            .mathRandom: "States.MathRandom(1, 2)", .mathAdd: "States.MathAdd(1, 2)",
            .stringSplit: "States.StringSplit('a', ',')", .uuid: "States.UUID()",
        ]
        XCTAssertEqual(IntrinsicFunction.allCases.count, 18)
        for function in IntrinsicFunction.allCases {
            let text = try XCTUnwrap(minimal[function], function.rawValue)
            let call = try IntrinsicCall.parse(text)
            XCTAssertEqual(call.function, function)
            XCTAssertEqual(IntrinsicFunction(rawValue: function.rawValue), function)
            XCTAssertNoThrow(try call.evaluate(in: EvaluationScope(input: [:])), text)
        }
    }

    func testMalformedCallsAreRejectedAtParseTime() {
        let rows: [(String, String)] = [
            ("States.Nope(1)", "unknown intrinsic function 'States.Nope'"),
            ("States.format('x')", "unknown intrinsic function 'States.format'"),
            ("Foo.Bar()", "expected an intrinsic function"),
            ("$.a", "expected an intrinsic function"),
            ("", "expected an intrinsic function"),
            ("States.ArrayRange(1, 5)", "States.ArrayRange takes exactly 3 arguments but was given 2"),
            ("States.ArrayRange(1, 5, 1, 99)", "States.ArrayRange takes exactly 3 arguments but was given 4"),
            ("States.MathRandom(1)", "States.MathRandom takes 2 or 3 arguments but was given 1"),
            ("States.MathRandom(1, 2, 3, 4)", "takes 2 or 3 arguments"),
            ("States.Format()", "States.Format takes at least 1 argument but was given 0"),
            ("States.UUID(1)", "States.UUID takes exactly 0 arguments but was given 1"),
            ("States.JsonMerge($.a, $.b)", "takes exactly 3 arguments"),
            ("States.Hash('x')", "takes exactly 2 arguments"),
            ("States.StringToJson()", "takes exactly 1 argument but was given 0"),
            ("States.Array(", "expected an argument"),
            ("States.Array(1", "missing ')' to close States.Array"),
            ("States.Array", "expected '(' after States.Array"),
            ("States.Array($.a) trailing", "unexpected 't' after the call"),
            ("States.Array(1)x", "unexpected 'x' after the call"),
            ("States.Array([1,2])", "unexpected '['"),
            ("States.Array(1.)", "invalid number '1.'"),
            ("States.Array(.5)", "unexpected '.'"),
            ("States.Array(-)", "invalid number '-'"),
            ("States.Array(01)", "invalid number '01'"),
            ("States.Array(1e5e5)", "invalid number '1e5e5'"),
            ("States.Array(1x)", "unexpected 'x'"),
            ("States.ArrayGetItem($.arr, )", "expected an argument but found ')'"),
            ("States.Array(1,)", "expected an argument but found ')'"),
            ("States.Array(,1)", "expected an argument but found ','"),
            ("States.Array(1 2)", "expected ',' or ')' but found '2'"),
            (#"States.Format('a\nb')"#, #"invalid escape '\n'"#),
            (#"States.Format('a\"b')"#, #"invalid escape '\"'"#),
            ("States.Format('abc)", "unterminated string"),
            (#"States.Format("x")"#, "single quotes"),
            ("States.Array(hello)", "unexpected 'hello'; strings need single quotes"),
            ("States.Array(truex)", "unexpected 'truex'"),
            ("States.Array(true1)", "unexpected 'true1'"),
            ("States.Array(null')", "unexpected '''"),
            ("States.Array($.a[)", "bad path argument"),
            ("States.Array($.a b)", "expected ',' or ')' but found 'b'"),
            ("States.Array($..)", "bad path argument"),
            ("States.Array(States.Nope())", "unknown intrinsic function 'States.Nope'"),
        ]
        for (text, fragment) in rows {
            XCTAssertThrowsError(try IntrinsicCall.parse(text), text) { error in
                guard let error = error as? IntrinsicSyntaxError else { return XCTFail("\(text): \(error)") }
                XCTAssertTrue(error.message.contains(fragment), "\(text): \(error.message)")
                XCTAssertTrue(error.message.hasPrefix("Invalid intrinsic function call '\(text)': "), "\(text): \(error.message)")
            }
        }
    }

    func testIsIntrinsicCall() {
        let rows: [(String, Bool)] = [
            ("States.Format('x')", true), ("  States.UUID()  ", true), ("States.Nope(1)", true),
            ("$.a", false), ("States.Format", false), ("states.format('x')", false), ("Hello States.Format()", false),
            ("States.Array(", false), ("", false), ("arn:aws:states:::lambda:invoke", false),
        ]
        for (text, expected) in rows {
            XCTAssertEqual(isIntrinsicCall(text), expected, text)
        }
    }

    // MARK: - Hostile input

    func testHostileCallsFailCleanly() throws {
        let deep = String(repeating: "States.Array(", count: 10_000) + String(repeating: ")", count: 10_000)
        XCTAssertThrowsError(try IntrinsicCall.parse(deep)) { error in
            XCTAssertTrue((error as? IntrinsicSyntaxError)?.message.contains("nested more than") == true)
        }
        let allowed = String(repeating: "States.Array(", count: 32) + "1" + String(repeating: ")", count: 32)
        XCTAssertNotNil(try? IntrinsicCall.parse(allowed).evaluate(in: EvaluationScope(input: [:])))

        let long = String(repeating: "x", count: 1_000_000)
        XCTAssertEqual(try evaluate("States.Format('\(long){}', 'y')").stringValue?.count, 1_000_001)

        let many = 5_000
        let format = "States.Format('" + String(repeating: "{}", count: many) + "'"
            + String(repeating: ", 1", count: many) + ")"
        XCTAssertEqual(try evaluate(format).stringValue, String(repeating: "1", count: many))

        XCTAssertThrowsError(try IntrinsicCall.parse("States.Array(" + String(repeating: "'", count: 10_001) + ")"))
        XCTAssertThrowsError(try IntrinsicCall.parse("States.Array($" + String(repeating: "[", count: 10_000) + ")"))
    }

    func testRandomCallsNeverCrash() {
        var generator = StatesFuzzRandom(seed: 0xCA11)
        let pieces = ["States.", "Format", "Array", "MathAdd", "Hash", "(", ")", ",", " ", "'", "\\", "{", "}", "$", ".a",
                      "[0]", "1", "-", "2.5", "true", "null", "States.Array(", "$$", "'MD5'", "States.StringToJson("]
        var parsed = 0
        for _ in 0..<5000 {
            var text = "States.Array("
            for _ in 0..<Int(generator.next() % 12) { text += pieces[Int(generator.next() % UInt64(pieces.count))] }
            if generator.next() % 2 == 0 { text += ")" }
            do {
                let call = try IntrinsicCall.parse(text)
                parsed += 1
                _ = try? call.evaluate(in: EvaluationScope(input: ["a": [1, 2]]))
            } catch {
                XCTAssertTrue(error is IntrinsicSyntaxError, text)
            }
        }
        XCTAssertGreaterThan(parsed, 0)
    }
}
