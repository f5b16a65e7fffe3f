import JSON
import XCTest
@testable import States

/// Definitions built to hurt: huge, deep, long, looping. Each must parse (or be refused with a
/// diagnostic) and run to an outcome, never crash or hang.
final class HostileDefinitionTests: XCTestCase {
    func testTenThousandStateChainParsesAndRuns() async throws {
        var states: [String] = []
        for i in 0..<10_000 {
            states.append(i == 9_999 ? #""S\#(i)":{"Type":"Succeed"}"# : #""S\#(i)":{"Type":"Pass","Next":"S\#(i + 1)"}"#)
        }
        let machine = try StateMachine.parse(#"{"StartAt":"S0","States":{\#(states.joined(separator: ","))}}"#)
        XCTAssertEqual(machine.graph.states.count, 10_000)
        let (outcome, events) = await runMachine(machine, input: ["k": 1])
        XCTAssertEqual(outcome, .succeeded(["k": 1]))
        XCTAssertEqual(events.count, 1 + 2 * 10_000 + 1)
        XCTAssertEqual(events.last?.id, events.count)
    }

    func testTenThousandUnreachableStatesAreAllReported() {
        var states = [#""A":{"Type":"Succeed"}"#]
        for i in 0..<10_000 { states.append(#""U\#(i)":{"Type":"Pass","Next":"A"}"#) }
        let found = problems(#"{"StartAt":"A","States":{\#(states.joined(separator: ","))}}"#)
        XCTAssertEqual(found.count, 10_000)
        XCTAssertEqual(Set(found).count, 10_000)
    }

    /// One Parallel per level, `levels` deep, as a value (the JSON text parser stops at depth 512).
    func nestedParallel(_ levels: Int) -> JSONValue {
        var graph: JSONValue = ["StartAt": "Leaf", "States": ["Leaf": ["Type": "Pass", "Result": "leaf", "End": true]]]
        for _ in 0..<levels {
            graph = ["StartAt": "P", "States": ["P": ["Type": "Parallel", "Branches": [graph], "End": true]]]
        }
        return graph
    }

    func testTwoHundredLevelsOfParallelParseAndRun() async throws {
        let machine = try StateMachine.parse(nestedParallel(200))
        let (outcome, events) = await runMachine(machine)
        var expected: JSONValue = "leaf"
        for _ in 0..<200 { expected = [expected] }
        XCTAssertEqual(outcome, .succeeded(expected))
        XCTAssertEqual(events.filter { $0.type == "ParallelStateStarted" }.count, 200)
    }

    func testTwoHundredLevelsOfParallelAsTextAreRefusedCleanlyOrParsed() {
        let text = nestedParallel(200).jsonString
        let found = problemDiagnostics(text)
        // 200 Parallel levels are 800 levels of JSON: past the JSON parser's depth limit.
        XCTAssertEqual(found.map(\.code), ["INVALID_JSON_DESCRIPTION"])
        XCTAssertEqual(problemDiagnostics(nestedParallel(100).jsonString), [])
    }

    func testDeeplyNestedChoiceRulesParse() throws {
        var rule: JSONValue = ["Variable": "$.x", "IsPresent": true]
        for i in 0..<150 { rule = i.isMultiple(of: 2) ? ["Not": rule] : ["And": [rule]] }
        guard case .object(var top) = rule else { return XCTFail() }
        top["Next"] = "Done"
        let definition: JSONValue = ["StartAt": "C", "States": [
            "C": ["Type": "Choice", "Choices": [.object(top)], "Default": "Done"], "Done": ["Type": "Succeed"],
        ]]
        XCTAssertEqual(problemDiagnostics(definition), [])
    }

    func testMegabyteStringsEverywhere() async throws {
        let big = String(repeating: "x", count: 1_048_576)
        // A megabyte state name is refused, quoted in the pointer, without trouble.
        let named = problems(#"{"StartAt":"\#(big)","States":{"\#(big)":{"Type":"Succeed"}}}"#)
        XCTAssertEqual(named, ["INVALID_STATE_NAME /States/\(big)"])
        // A megabyte Result parses, then its output passes the 256 KiB payload limit.
        let (outcome, _) = try await execute(#"{"StartAt":"S","States":{"S":{"Type":"Pass","Result":"\#(big)","End":true}}}"#)
        guard case .failed(let error) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(error.error, "States.DataLimitExceeded")
        // A megabyte path and a megabyte key are just long.
        let path = "$." + String(repeating: "a", count: 1_048_576)
        XCTAssertEqual(problems(#"{"StartAt":"S","States":{"S":{"Type":"Pass","InputPath":"\#(path)","End":true}}}"#), [])
        XCTAssertEqual(problems(#"{"StartAt":"S","States":{"S":{"Type":"Pass","Parameters":{"\#(big)":1},"End":true}}}"#), [])
        // A megabyte of garbage is an invalid JSON description.
        XCTAssertEqual(problems(String(repeating: "{", count: 1_048_576)), ["INVALID_JSON_DESCRIPTION "])
    }

    func testCyclicNextIsValidAndBoundedAtRunTime() async throws {
        let definition = #"""
            {"StartAt":"A","States":{
              "A":{"Type":"Pass","Next":"B"},
              "B":{"Type":"Pass","Next":"C"},
              "C":{"Type":"Choice","Choices":[{"Variable":"$.stop","IsPresent":true,"Next":"Done"}],"Default":"A"},
              "Done":{"Type":"Succeed"}}}
            """#
        XCTAssertEqual(problems(definition), [])
        let (outcome, events) = try await execute(definition) { $0.maxTransitions = 300 }
        guard case .failed(let error) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(error.error, "States.Runtime")
        XCTAssertTrue(error.cause.contains("300"), error.cause)
        XCTAssertEqual(events.last?.type, "ExecutionFailed")
    }

    func testSelfLoopWithWaitOnTheVirtualClockIsBoundedToo() async throws {
        let definition = #"""
            {"StartAt":"W","States":{
              "W":{"Type":"Wait","Seconds":86400,"Next":"C"},
              "C":{"Type":"Choice","Choices":[{"Variable":"$.stop","IsPresent":true,"Next":"Done"}],"Default":"W"},
              "Done":{"Type":"Succeed"}}}
            """#
        let (outcome, _) = try await execute(definition) { $0.maxTransitions = 100 }
        guard case .failed(let error) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(error.error, "States.Runtime")
    }

    func testManyChoicesAndDeepInput() async throws {
        var rules: [String] = []
        for i in 0..<5_000 { rules.append(#"{"Variable":"$.n","NumericEquals":\#(i),"Next":"Done"}"#) }
        let definition = #"{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[\#(rules.joined(separator: ","))]},"#
            + #""Done":{"Type":"Succeed"}}}"#
        var deep: JSONValue = ["leaf": true]
        for _ in 0..<400 { deep = ["d": deep] }
        let (outcome, _) = try await execute(definition, input: ["n": 4_999, "deep": deep])
        XCTAssertEqual(output(outcome)?["n"], 4_999)
    }
}
