import JSON
import XCTest
@testable import States

/// Choice rules, one operator per row: what matches, what does not, and what is an error.
final class ChoiceRuleTests: XCTestCase {
    /// Parses one (nested-style, Next-less) rule, failing the test on a diagnostic.
    func rule(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> ChoiceRule? {
        var diagnostics = Diagnostics()
        let parsed = ChoiceRule.parse(json(text), at: "/r", topLevel: false, diagnostics: &diagnostics)
        XCTAssertEqual(diagnostics.items, [], text, file: file, line: line)
        return parsed
    }

    func evaluate(_ text: String, _ input: JSONValue, variables: [String: JSONValue] = [:],
                  context: JSONValue = [:]) throws -> Bool {
        guard let r = rule(text) else { throw StatesError("TEST", "no rule") }
        return try r.evaluate(in: EvaluationScope(input: input, context: context, variables: variables))
    }

    /// Rows of (operator, operand as JSON, value of `$.v` as JSON, expected match).
    func table(_ rows: [(String, String, String, Bool)], file: StaticString = #filePath, line: UInt = #line) {
        for (op, operand, value, expected) in rows {
            let text = #"{"Variable":"$.v","\#(op)":\#(operand)}"#
            do {
                let got = try evaluate(text, ["v": json(value), "other": json(operand)])
                XCTAssertEqual(got, expected, "\(op) \(operand) against \(value)", file: file, line: line)
                // The …Path form reads the same operand from the input.
                if !op.hasPrefix("Is") && op != "StringMatches" {
                    let viaPath = try evaluate(#"{"Variable":"$.v","\#(op)Path":"$.other"}"#, ["v": json(value), "other": json(operand)])
                    XCTAssertEqual(viaPath, expected, "\(op)Path \(operand) against \(value)", file: file, line: line)
                }
            } catch {
                XCTFail("\(op) \(operand) against \(value) threw \(error)", file: file, line: line)
            }
        }
    }

    func testStringComparisons() {
        table([
            ("StringEquals", #""abc""#, #""abc""#, true), ("StringEquals", #""abc""#, #""abd""#, false),
            ("StringEquals", #""abc""#, #""ABC""#, false), ("StringEquals", #""""#, #""""#, true),
            ("StringEquals", #""é""#, #""e\u0301""#, false),
            ("StringLessThan", #""b""#, #""a""#, true), ("StringLessThan", #""a""#, #""a""#, false),
            ("StringLessThan", #""a""#, #""B""#, true), ("StringLessThan", #""abcd""#, #""abc""#, true),
            ("StringLessThan", #""a""#, #""""#, true),
            ("StringGreaterThan", #""a""#, #""b""#, true), ("StringGreaterThan", #""b""#, #""b""#, false),
            ("StringLessThanEquals", #""b""#, #""b""#, true), ("StringLessThanEquals", #""b""#, #""c""#, false),
            ("StringGreaterThanEquals", #""b""#, #""b""#, true), ("StringGreaterThanEquals", #""b""#, #""a""#, false),
            // Type mismatch is simply false.
            ("StringEquals", #""1""#, "1", false), ("StringEquals", #""true""#, "true", false),
            ("StringEquals", #""null""#, "null", false), ("StringLessThan", #""z""#, "[]", false),
        ])
    }

    func testNumericComparisonsAreExactAcrossSpellings() {
        table([
            ("NumericEquals", "1", "1", true), ("NumericEquals", "1", "1.0", true), ("NumericEquals", "1", "1e0", true),
            ("NumericEquals", "1.5", "15e-1", true), ("NumericEquals", "100", "1E2", true), ("NumericEquals", "0", "-0", true),
            ("NumericEquals", "0.1", "0.10000000000000001", false),
            ("NumericEquals", "9007199254740992", "9007199254740993", false),
            ("NumericEquals", "123456789012345678901234567890123456789012", "123456789012345678901234567890123456789013", false),
            ("NumericEquals", "123456789012345678901234567890123456789012", "123456789012345678901234567890123456789012.0", true),
            ("NumericLessThan", "9007199254740993", "9007199254740992", true),
            ("NumericLessThan", "1e400", "1e399", true), ("NumericGreaterThan", "-1e400", "-1e399", true),
            ("NumericLessThan", "10", "9.99", true), ("NumericLessThan", "10", "10", false), ("NumericLessThan", "-1", "-2", true),
            ("NumericGreaterThan", "10", "10.0001", true), ("NumericGreaterThan", "10", "1e1", false),
            ("NumericLessThanEquals", "10", "1e1", true), ("NumericLessThanEquals", "10", "10.5", false),
            ("NumericGreaterThanEquals", "10", "10.0", true), ("NumericGreaterThanEquals", "10", "9", false),
            ("NumericEquals", "1", #""1""#, false), ("NumericEquals", "1", "true", false), ("NumericEquals", "0", "null", false),
            ("NumericLessThan", "1", "[0]", false),
        ])
    }

    func testBooleanEquals() {
        table([
            ("BooleanEquals", "true", "true", true), ("BooleanEquals", "true", "false", false),
            ("BooleanEquals", "false", "false", true), ("BooleanEquals", "true", #""true""#, false),
            ("BooleanEquals", "false", "0", false), ("BooleanEquals", "false", "null", false),
        ])
    }

    func testTimestampComparisonsWithOffsetsAndFractions() {
        let t = #""2016-03-14T01:59:00Z""#
        table([
            ("TimestampEquals", t, #""2016-03-14T01:59:00Z""#, true),
            ("TimestampEquals", t, #""2016-03-14T02:59:00+01:00""#, true),
            ("TimestampEquals", t, #""2016-03-13T20:59:00-05:00""#, true),
            ("TimestampEquals", t, #""2016-03-14T01:59:00.000Z""#, true),
            ("TimestampEquals", #""2016-03-14T01:59:00.5Z""#, #""2016-03-14T01:59:00.500000000Z""#, true),
            ("TimestampEquals", t, #""2016-03-14T01:59:00.000000001Z""#, false),
            ("TimestampGreaterThan", t, #""2016-03-14T01:59:00.000000001Z""#, true),
            ("TimestampGreaterThan", t, #""2016-03-14T02:00:00+01:00""#, false),
            ("TimestampLessThan", t, #""2016-03-14T02:58:59.999+01:00""#, true),
            ("TimestampLessThan", t, #""2015-12-31T23:59:59Z""#, true),
            ("TimestampLessThanEquals", t, #""2016-03-14T01:59:00Z""#, true),
            ("TimestampGreaterThanEquals", t, #""2016-03-14T01:58:59.999999999Z""#, false),
            ("TimestampGreaterThan", #""2016-02-29T00:00:00Z""#, #""2016-03-01T00:00:00+00:00""#, true),
            // Not a timestamp, or not a string: no match.
            ("TimestampEquals", t, #""2016-03-14 01:59:00Z""#, false), ("TimestampEquals", t, #""2016-03-14T01:59:00z""#, false),
            ("TimestampEquals", t, #""2016-03-14""#, false), ("TimestampEquals", t, "1457920740", false),
            ("TimestampLessThan", t, #""yesterday""#, false),
        ])
    }

    func testTypeTests() {
        let rows: [(String, [(String, Bool)])] = [
            ("IsNull", [("null", true), ("0", false), (#""""#, false), ("{}", false), ("false", false)]),
            ("IsNumeric", [("1", true), ("1.5e3", true), ("-0", true), (#""1""#, false), ("null", false), ("true", false)]),
            ("IsString", [(#""""#, true), (#""x""#, true), ("1", false), ("null", false), (#"["x"]"#, false)]),
            ("IsBoolean", [("true", true), ("false", true), (#""true""#, false), ("0", false), ("null", false)]),
            ("IsTimestamp", [(#""2016-03-14T01:59:00Z""#, true), (#""2016-03-14T01:59:00.123+05:30""#, true),
                             (#""2016-03-14""#, false), (#""2016-02-30T00:00:00Z""#, false), ("1457920740", false),
                             ("null", false)]),
            ("IsPresent", [("null", true), ("0", true), ("{}", true)]),
        ]
        for (op, values) in rows {
            for (value, isIt) in values {
                XCTAssertEqual(try evaluate(#"{"Variable":"$.v","\#(op)":true}"#, ["v": json(value)]), isIt, "\(op) \(value)")
                XCTAssertEqual(try evaluate(#"{"Variable":"$.v","\#(op)":false}"#, ["v": json(value)]), !isIt, "\(op):false \(value)")
            }
        }
    }

    func testIsPresentIsTheOnlyTestThatToleratesAMissingVariable() throws {
        XCTAssertEqual(try evaluate(#"{"Variable":"$.missing","IsPresent":true}"#, ["v": 1]), false)
        XCTAssertEqual(try evaluate(#"{"Variable":"$.missing","IsPresent":false}"#, ["v": 1]), true)
        XCTAssertEqual(try evaluate(#"{"Variable":"$.v.deeper","IsPresent":false}"#, ["v": 1]), true)
        XCTAssertEqual(try evaluate(#"{"Variable":"$undefinedVariable","IsPresent":false}"#, [:]), true)
        for op in [#""IsNull":true"#, #""IsString":false"#, #""IsNumeric":false"#, #""IsBoolean":false"#, #""IsTimestamp":false"#,
                   #""StringEquals":"x""#, #""NumericEquals":1"#, #""BooleanEquals":true"#,
                   #""TimestampEquals":"2016-03-14T01:59:00Z""#, #""StringMatches":"*""#] {
            XCTAssertThrowsError(try evaluate(#"{"Variable":"$.missing",\#(op)}"#, ["v": 1]), op) { error in
                XCTAssertEqual((error as? StatesError)?.error, "States.Runtime", op)
                XCTAssertTrue((error as? StatesError)?.cause.contains("$.missing") == true, "\(error)")
            }
        }
    }

    func testAMissingOperandPathIsAlsoARuntimeError() {
        XCTAssertThrowsError(try evaluate(#"{"Variable":"$.v","StringEqualsPath":"$.nope"}"#, ["v": "x"])) { error in
            XCTAssertEqual((error as? StatesError)?.error, "States.Runtime")
        }
    }

    func testPathOperandsReadContextAndVariables() throws {
        let context: JSONValue = ["Execution": ["Name": "e-1"]]
        XCTAssertTrue(try evaluate(#"{"Variable":"$.v","StringEqualsPath":"$$.Execution.Name"}"#, ["v": "e-1"], context: context))
        XCTAssertTrue(try evaluate(#"{"Variable":"$limit","NumericLessThanPath":"$.v"}"#, ["v": 10], variables: ["limit": 3]))
        XCTAssertTrue(try evaluate(#"{"Variable":"$$.Execution.Name","StringMatches":"e-*"}"#, [:], context: context))
        XCTAssertTrue(try evaluate(#"{"Variable":"$cfg.flags[1]","BooleanEquals":true}"#, [:],
                                   variables: ["cfg": ["flags": [false, true]]]))
    }

    func testStringMatchesWildcardsAndEscapes() throws {
        let rows: [(String, String, Bool)] = [
            ("log-*.txt", "log-2024.txt", true), ("log-*.txt", "log-.txt", true), ("log-*.txt", "log-2024.txt.gz", false),
            ("log-*.txt", "LOG-1.txt", false),
            ("*", "", true), ("*", "anything at all", true), ("", "", true), ("", "x", false),
            ("a*b*c", "abc", true), ("a*b*c", "aXXbYYc", true), ("a*b*c", "acb", false), ("*a", "banana", true),
            ("**", "x", true), ("a**b", "ab", true),
            ("exact", "exact", true), ("exact", "exactly", false), ("exact", "inexact", false),
            (#"foo\\*"#, "foo*", true), (#"foo\\*"#, "foobar", false), (#"\\**"#, "*star", true), (#"\\**"#, "star", false),
            (#"back\\\\slash"#, #"back\slash"#, true), (#"back\\\\*"#, #"back\anything"#, true),
            ("ünï*cödé", "ünïcödé", true), ("?", "x", false), ("?", "?", true), ("[ab]", "a", false), (".*", "xyz", false),
        ]
        for (pattern, text, expected) in rows {
            let escapedText = JSONValue.string(text).jsonString
            let got = try evaluate(#"{"Variable":"$.v","StringMatches":"\#(pattern)"}"#, json(#"{"v":\#(escapedText)}"#))
            XCTAssertEqual(got, expected, "\(pattern) vs \(text)")
        }
        XCTAssertFalse(try evaluate(#"{"Variable":"$.v","StringMatches":"*"}"#, ["v": 1]))
        XCTAssertFalse(try evaluate(#"{"Variable":"$.v","StringMatches":"*"}"#, ["v": nil]))
    }

    func testStringMatchesStaysLinearOnPathologicalPatterns() throws {
        let text = String(repeating: "a", count: 20_000)
        let pattern = String(repeating: "a*", count: 50) + "b"
        XCTAssertFalse(try evaluate(#"{"Variable":"$.v","StringMatches":"\#(pattern)"}"#, ["v": .string(text)]))
    }

    func testAndOrNotNestingAndShortCircuit() throws {
        let input: JSONValue = ["a": 1, "b": "x", "t": true]
        let rows: [(String, Bool)] = [
            (#"{"And":[{"Variable":"$.a","NumericEquals":1},{"Variable":"$.b","StringEquals":"x"}]}"#, true),
            (#"{"And":[{"Variable":"$.a","NumericEquals":1},{"Variable":"$.b","StringEquals":"y"}]}"#, false),
            (#"{"Or":[{"Variable":"$.a","NumericEquals":2},{"Variable":"$.b","StringEquals":"x"}]}"#, true),
            (#"{"Or":[{"Variable":"$.a","NumericEquals":2},{"Variable":"$.b","StringEquals":"y"}]}"#, false),
            (#"{"Not":{"Variable":"$.t","BooleanEquals":true}}"#, false),
            (#"{"Not":{"Not":{"Variable":"$.t","BooleanEquals":true}}}"#, true),
            (#"{"And":[{"Or":[{"Variable":"$.a","NumericEquals":5},{"Not":{"Variable":"$.b","IsNull":true}}]},"#
                + #"{"Not":{"And":[{"Variable":"$.t","BooleanEquals":false},{"Variable":"$.a","NumericGreaterThan":0}]}}]}"#, true),
            // AWS's documented idiom: IsPresent guards a test that would otherwise fail the state.
            (#"{"And":[{"Variable":"$.maybe","IsPresent":true},{"Variable":"$.maybe","StringEquals":"foo"}]}"#, false),
            (#"{"Or":[{"Variable":"$.a","IsPresent":true},{"Variable":"$.maybe","StringEquals":"foo"}]}"#, true),
            (#"{"And":[{"Variable":"$.a","NumericEquals":1}]}"#, true),
        ]
        for (text, expected) in rows {
            XCTAssertEqual(try evaluate(text, input), expected, text)
        }
        XCTAssertThrowsError(try evaluate(#"{"Or":[{"Variable":"$.a","NumericEquals":2},{"Variable":"$.maybe","StringEquals":"x"}]}"#,
                                          input))
    }

    // MARK: - through the interpreter

    func choiceMachine(default hasDefault: Bool) -> String {
        let def = hasDefault ? #","Default":"Other""# : ""
        let other = hasDefault ? #","Other":{"Type":"Pass","ResultPath":"$.went","Result":"other","End":true}"# : ""
        return #"""
            {"StartAt":"C","States":{
              "C":{"Type":"Choice","InputPath":"$.in","OutputPath":"$.keep","Choices":[
                  {"Variable":"$.n","NumericGreaterThanEquals":100,"Next":"Big"},
                  {"Variable":"$.n","NumericGreaterThanEquals":10,"Next":"Medium"}]\#(def)},
              "Big":{"Type":"Pass","Result":"big","End":true},
              "Medium":{"Type":"Pass","Result":"medium","End":true}\#(other)}}
            """#
    }

    func testFirstMatchingRuleWinsThenDefault() async throws {
        let cases: [(JSONValue, JSONValue)] = [
            (["in": ["n": 500, "keep": [:]]], "big"),
            (["in": ["n": 10, "keep": [:]]], "medium"),
            (["in": ["n": 1, "keep": ["k": 1]]], ["k": 1, "went": "other"]),
        ]
        for (input, expected) in cases {
            let (outcome, _) = try await execute(choiceMachine(default: true), input: input)
            XCTAssertEqual(outcome, .succeeded(expected), "\(input)")
        }
    }

    func testNoMatchAndNoDefaultFailsWithNoChoiceMatched() async throws {
        let (outcome, events) = try await execute(choiceMachine(default: false), input: ["in": ["n": 1, "keep": [:]]])
        XCTAssertEqual(outcome, .failed(StatesError("States.NoChoiceMatched", "No Matches!")))
        XCTAssertEqual(events.map(\.type), ["ExecutionStarted", "ChoiceStateEntered", "ExecutionFailed"])
    }

    func testMissingVariableFailsTheExecutionWithStatesRuntime() async throws {
        let (outcome, _) = try await execute(choiceMachine(default: true), input: ["in": ["keep": [:]]])
        guard case .failed(let error) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(error.error, "States.Runtime")
        XCTAssertTrue(error.cause.contains("'$.n'"), error.cause)
    }
}
