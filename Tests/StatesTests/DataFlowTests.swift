import JSON
import XCTest
@testable import States

/// InputPath → Parameters → work → ResultSelector → ResultPath → OutputPath, the context
/// object, and workflow variables, with exact outputs.
final class DataFlowTests: XCTestCase {
    func testTheFullPipelineInAWSsOrder() async throws {
        let invoker = RecordingInvoker { request in
            ["Payload": ["sum": ["v": request.input["x"] ?? nil]], "StatusCode": 200]
        }
        let (outcome, _) = try await execute(#"""
            {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
              "InputPath":"$.dataset2",
              "Parameters":{"x.$":"$.val1","static":{"nested":[1,"$.notAPath"]},"name.$":"$$.State.Name"},
              "ResultSelector":{"picked.$":"$.Payload.sum","code.$":"$.StatusCode"},
              "ResultPath":"$.dataset2.result",
              "OutputPath":"$.dataset2",
              "End":true}}}
            """#, input: ["comment": "c", "dataset1": ["val1": 1], "dataset2": ["val1": "a", "val2": "b"]], invoker: invoker)
        XCTAssertEqual(invoker.requests.map(\.input), [["x": "a", "static": ["nested": [1, "$.notAPath"]], "name": "T"]])
        XCTAssertEqual(outcome, .succeeded(["val1": "a", "val2": "b", "result": ["picked": ["v": "a"], "code": 200]]))
    }

    func testResultPathCombinesResultWithTheRawInput() async throws {
        let input: JSONValue = ["a": 1, "obj": ["k": "v"], "arr": [10, 20], "s": "str"]
        let cases: [(String, JSONValue)] = [
            ("", ["r": 1]),
            (#","ResultPath":"$""#, ["r": 1]),
            (#","ResultPath":null"#, input),
            (#","ResultPath":"$.new""#, ["a": 1, "obj": ["k": "v"], "arr": [10, 20], "s": "str", "new": ["r": 1]]),
            (#","ResultPath":"$.a""#, ["a": ["r": 1], "obj": ["k": "v"], "arr": [10, 20], "s": "str"]),
            (#","ResultPath":"$.obj.k2""#, ["a": 1, "obj": ["k": "v", "k2": ["r": 1]], "arr": [10, 20], "s": "str"]),
            (#","ResultPath":"$.x.y.z""#, ["a": 1, "obj": ["k": "v"], "arr": [10, 20], "s": "str", "x": ["y": ["z": ["r": 1]]]]),
            (#","ResultPath":"$.arr[1]""#, ["a": 1, "obj": ["k": "v"], "arr": [10, ["r": 1]], "s": "str"]),
            (#","ResultPath":"$['with space']""#, ["a": 1, "obj": ["k": "v"], "arr": [10, 20], "s": "str", "with space": ["r": 1]]),
            // ResultPath works on the raw input, not on what InputPath selected.
            (#","InputPath":"$.obj","ResultPath":"$.r""#, ["a": 1, "obj": ["k": "v"], "arr": [10, 20], "s": "str", "r": ["r": 1]]),
        ]
        for (fields, expected) in cases {
            let (outcome, _) = try await execute(#"{"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"r":1}\#(fields),"End":true}}}"#,
                                                 input: input)
            XCTAssertEqual(outcome, .succeeded(expected), fields)
        }
    }

    func testResultPathThatCannotBeAppliedFailsWithResultPathMatchFailure() async throws {
        for (path, input) in [("$.s.deeper", #"{"s":"str"}"#), ("$.arr[5]", #"{"arr":[1]}"#), ("$.x", #"[1,2]"#),
                              ("$.x", #""text""#)] {
            let (outcome, _) = try await execute(#"{"StartAt":"P","States":{"P":{"Type":"Pass","ResultPath":"\#(path)","End":true}}}"#,
                                                 input: json(input))
            guard case .failed(let error) = outcome else { XCTFail("\(path): \(outcome)"); continue }
            XCTAssertEqual(error.error, "States.ResultPathMatchFailure", path)
        }
    }

    func testInputPathAndOutputPath() async throws {
        let input: JSONValue = ["items": [["id": 1], ["id": 2]], "meta": ["m": true]]
        let cases: [(String, JSONValue)] = [
            (#""InputPath":null"#, [:]),
            (#""OutputPath":null"#, [:]),
            (#""InputPath":"$.meta""#, ["m": true]),
            (#""InputPath":"$.items[*].id""#, [1, 2]),
            (#""InputPath":"$.items[?(@.id > 1)]""#, [["id": 2]]),
            (#""OutputPath":"$.items[0]""#, ["id": 1]),
            (#""InputPath":"$$.Execution.Name""#, "e"),
            (#""InputPath":"$.meta","OutputPath":"$.m""#, true),
        ]
        for (fields, expected) in cases {
            let (outcome, _) = try await execute(#"{"StartAt":"P","States":{"P":{"Type":"Pass",\#(fields),"End":true}}}"#, input: input)
            XCTAssertEqual(outcome, .succeeded(expected), fields)
        }
        for fields in [#""InputPath":"$.missing""#, #""OutputPath":"$.missing""#, #""Parameters":{"x.$":"$.missing"}"#] {
            let (outcome, _) = try await execute(#"{"StartAt":"P","States":{"P":{"Type":"Pass",\#(fields),"End":true}}}"#, input: input)
            guard case .failed(let error) = outcome else { XCTFail("\(fields): \(outcome)"); continue }
            XCTAssertEqual(error.error, "States.Runtime", fields)
            XCTAssertTrue(error.cause.contains("$.missing"), error.cause)
        }
    }

    func testPassResultParametersAndPassThrough() async throws {
        let input: JSONValue = ["n": 2]
        let cases: [(String, JSONValue)] = [
            ("", ["n": 2]),
            (#","Result":"fixed""#, "fixed"),
            (#","Parameters":{"m.$":"States.MathAdd($.n, 40)"}"#, ["m": 42]),
            (#","Parameters":{"m.$":"$.n"},"Result":{"wins":true}"#, ["wins": true]),
            (#","Parameters":[1,{"a.$":"$.n"}]"#, [1, ["a": 2]]),
            (#","Parameters":"literal""#, "literal"),
            (#","Result":null"#, nil),
        ]
        for (fields, expected) in cases {
            let (outcome, _) = try await execute(#"{"StartAt":"P","States":{"P":{"Type":"Pass"\#(fields),"End":true}}}"#, input: input)
            XCTAssertEqual(outcome, .succeeded(expected), fields)
        }
    }

    func testNumbersAndKeyOrderSurviveUntouched() async throws {
        let input = json(#"{"z":1.0,"a":1e2,"big":123456789012345678901234567890,"m":{"y":0.10,"b":-0}}"#)
        let (outcome, events) = try await execute(#"{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}"#, input: input)
        XCTAssertEqual(outcome, .succeeded(input))
        XCTAssertEqual(events.last?.detail("output"), .string(#"{"z":1.0,"a":1e2,"big":123456789012345678901234567890,"m":{"y":0.10,"b":-0}}"#))
    }

    // MARK: - context object

    func testContextObjectFields() async throws {
        let clock = VirtualStatesClock(startMilliseconds: 1_767_225_600_000)
        let (outcome, _) = try await execute(#"""
            {"StartAt":"W","States":{
              "W":{"Type":"Wait","Seconds":10,"Next":"P"},
              "P":{"Type":"Pass","Parameters":{
                  "id.$":"$$.Execution.Id","input.$":"$$.Execution.Input","name.$":"$$.Execution.Name",
                  "start.$":"$$.Execution.StartTime","role.$":"$$.Execution.RoleArn","redrives.$":"$$.Execution.RedriveCount",
                  "state.$":"$$.State.Name","entered.$":"$$.State.EnteredTime","retries.$":"$$.State.RetryCount",
                  "machine.$":"$$.StateMachine.Id","machineName.$":"$$.StateMachine.Name"},"End":true}}}
            """#, input: ["original": true], clock: clock)
        XCTAssertEqual(outcome, .succeeded([
            "id": .string(testExecution), "input": ["original": true], "name": "e", "start": "2026-01-01T00:00:00.000Z",
            "role": "arn:aws:iam::000000000000:role/r", "redrives": 0, "state": "P", "entered": "2026-01-01T00:00:10.000Z",
            "retries": 0, "machine": "arn:aws:states:us-east-1:000000000000:stateMachine:m", "machineName": "m",
        ]))
    }

    func testExecutionInputIsTheOriginalInputEverywhere() async throws {
        let (outcome, _) = try await execute(#"""
            {"StartAt":"A","States":{
              "A":{"Type":"Pass","Result":"replaced","Next":"B"},
              "B":{"Type":"Pass","InputPath":"$$.Execution.Input.k","End":true}}}
            """#, input: ["k": "first"])
        XCTAssertEqual(outcome, .succeeded("first"))
    }

    func testRetryCountCountsTheRetriesOfThisState() async throws {
        let invoker = RecordingInvoker { request in
            if request.input["rc"] != 2 { throw StatesError("Flaky", "try again") }
            return "ok"
        }
        let (outcome, _) = try await execute(#"""
            {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"\#(lambdaArn)",
              "Parameters":{"rc.$":"$$.State.RetryCount","entered.$":"$$.State.EnteredTime"},
              "Retry":[{"ErrorEquals":["Flaky"],"IntervalSeconds":1}],"End":true}}}
            """#, invoker: invoker)
        XCTAssertEqual(outcome, .succeeded("ok"))
        XCTAssertEqual(invoker.requests.map { $0.input["rc"] }, [0, 1, 2])
        // EnteredTime is the state's entry, not the retry's.
        XCTAssertEqual(Set(invoker.requests.map { $0.input["entered"] }).count, 1)
    }

    func testMapItemIndexAndValueInItemSelector() async throws {
        let (outcome, _) = try await execute(#"""
            {"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.list","MaxConcurrency":1,
              "ItemSelector":{"index.$":"$$.Map.Item.Index","value.$":"$$.Map.Item.Value","shared.$":"$.shared"},
              "ItemProcessor":{"StartAt":"X","States":{"X":{"Type":"Pass","End":true}}},"End":true}}}
            """#, input: ["list": ["a", ["b": 1]], "shared": 7])
        XCTAssertEqual(outcome, .succeeded([["index": 0, "value": "a", "shared": 7], ["index": 1, "value": ["b": 1], "shared": 7]]))
    }

    func testTaskTokenOnlyForWaitForTaskToken() async throws {
        let invoker = RecordingInvoker { request in request.input }
        let (outcome, _) = try await execute(#"""
            {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
              "Parameters":{"QueueUrl":"q","MessageBody":{"token.$":"$$.Task.Token"}},"End":true}}}
            """#, invoker: invoker)
        let request = try XCTUnwrap(invoker.requests.first)
        let token = try XCTUnwrap(request.taskToken)
        XCTAssertGreaterThanOrEqual(token.count, 32)
        XCTAssertEqual(request.input["MessageBody"]?["token"], .string(token))
        XCTAssertEqual(request.context["Task"]?["Token"], .string(token))
        XCTAssertEqual(output(outcome)?["MessageBody"]?["token"], .string(token))

        let plain = RecordingInvoker { request in request.input }
        let (failed, _) = try await execute(#"""
            {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage",
              "Parameters":{"MessageBody.$":"$$.Task.Token"},"End":true}}}
            """#, invoker: plain)
        guard case .failed(let error) = failed else { return XCTFail("\(failed)") }
        XCTAssertEqual(error.error, "States.Runtime")
        XCTAssertEqual(plain.requests.count, 0)
    }

    func testTaskTokensAreUniquePerAttempt() async throws {
        let invoker = RecordingInvoker { request in
            if request.input["rc"] == 0 { throw StatesError("Again", "") }
            return [:]
        }
        _ = try await execute(#"""
            {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::sns:publish.waitForTaskToken",
              "Parameters":{"rc.$":"$$.State.RetryCount"},"Retry":[{"ErrorEquals":["Again"]}],"End":true}}}
            """#, invoker: invoker)
        let tokens = invoker.requests.compactMap(\.taskToken)
        XCTAssertEqual(tokens.count, 2)
        XCTAssertNotEqual(tokens[0], tokens[1])
    }

    // MARK: - variables

    func testAssignEvaluatesEveryValueAgainstTheVariablesOnEntry() async throws {
        let (outcome, _) = try await execute(#"""
            {"StartAt":"A","States":{
              "A":{"Type":"Pass","Assign":{"x":1,"y":10},"Next":"B"},
              "B":{"Type":"Pass","Assign":{"x":2,"y.$":"$x","z.$":"States.MathAdd($x, $y)"},"Next":"C"},
              "C":{"Type":"Pass","Parameters":{"x.$":"$x","y.$":"$y","z.$":"$z"},"End":true}}}
            """#)
        XCTAssertEqual(outcome, .succeeded(["x": 2, "y": 1, "z": 11]))
    }

    func testAssignReadsTheResultAndDoesNotChangeTheOutput() async throws {
        let (outcome, _) = try await execute(#"""
            {"StartAt":"A","States":{
              "A":{"Type":"Pass","Result":{"r":5},"ResultPath":"$.res","Assign":{"fromResult.$":"$.r","ctx.$":"$$.State.Name"},
                   "Next":"B"},
              "B":{"Type":"Pass","Parameters":{"v.$":"$fromResult","c.$":"$ctx","in.$":"$"},"End":true}}}
            """#, input: ["k": 1])
        XCTAssertEqual(outcome, .succeeded(["v": 5, "c": "A", "in": ["k": 1, "res": ["r": 5]]]))
    }

    func testAssignFromATaskSeesTheSelectedResult() async throws {
        let invoker = MockInvoker([lambdaArn: { _ in ["Payload": ["id": 9], "noise": true] }])
        let (outcome, _) = try await execute(#"""
            {"StartAt":"T","States":{
              "T":{"Type":"Task","Resource":"\#(lambdaArn)","ResultSelector":{"id.$":"$.Payload.id"},"ResultPath":null,
                   "Assign":{"id.$":"$.id"},"Next":"B"},
              "B":{"Type":"Pass","Parameters":{"id.$":"$id"},"End":true}}}
            """#, invoker: invoker)
        XCTAssertEqual(outcome, .succeeded(["id": 9]))
    }

    func testOutputPathStillSeesTheVariablesAsTheyWereOnEntry() async throws {
        let (outcome, _) = try await execute(#"""
            {"StartAt":"A","States":{
              "A":{"Type":"Pass","Assign":{"v":{"which":"old"}},"Next":"B"},
              "B":{"Type":"Pass","Assign":{"v":{"which":"new"}},"OutputPath":"$v","Next":"C"},
              "C":{"Type":"Pass","Parameters":{"out.$":"$","now.$":"$v"},"End":true}}}
            """#)
        XCTAssertEqual(outcome, .succeeded(["out": ["which": "old"], "now": ["which": "new"]]))
    }

    func testUndefinedVariableIsARuntimeError() async throws {
        let (outcome, _) = try await execute(#"{"StartAt":"A","States":{"A":{"Type":"Pass","Parameters":{"x.$":"$nope"},"End":true}}}"#)
        guard case .failed(let error) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(error.error, "States.Runtime")
    }

    func testChoiceAndWaitAssignReadTheirEffectiveInput() async throws {
        // The state-level Assign applies whichever way the Choice goes; a rule's own Assign
        // only when that rule matches (and wins over the state's for the same name).
        let (outcome, _) = try await execute(#"""
            {"StartAt":"C","States":{
              "C":{"Type":"Choice","InputPath":"$.sub","Assign":{"always.$":"$.n"},
                   "Choices":[{"Variable":"$.n","NumericGreaterThan":1,"Assign":{"rule.$":"$.n","always":"rule wins"},"Next":"W"}],
                   "Default":"W"},
              "W":{"Type":"Wait","Seconds":1,"Assign":{"waited.$":"$.n"},"Next":"P"},
              "P":{"Type":"Pass","Parameters":{"always.$":"$always","rule.$":"$rule","waited.$":"$waited","in.$":"$"},"End":true}}}
            """#, input: ["sub": ["n": 5]])
        XCTAssertEqual(outcome, .succeeded(["always": "rule wins", "rule": 5, "waited": 5, "in": ["n": 5]]))

        let (viaDefault, _) = try await execute(#"""
            {"StartAt":"C","States":{
              "C":{"Type":"Choice","Assign":{"always.$":"$.n"},
                   "Choices":[{"Variable":"$.n","NumericGreaterThan":1,"Assign":{"rule":true},"Next":"P"}],"Default":"P"},
              "P":{"Type":"Pass","Parameters":{"always.$":"$always"},"Next":"Probe"},
              "Probe":{"Type":"Choice","Choices":[{"Variable":"$rule","IsPresent":true,"Next":"Wrong"}],"Default":"Done"},
              "Wrong":{"Type":"Fail"},
              "Done":{"Type":"Succeed"}}}
            """#, input: ["n": 0])
        XCTAssertEqual(viaDefault, .succeeded(["always": 0]))
    }

    func testParallelBranchesSeeOuterVariablesButTheirAssignmentsStayInside() async throws {
        let (outcome, _) = try await execute(#"""
            {"StartAt":"Init","States":{
              "Init":{"Type":"Pass","Assign":{"outer":"o"},"Next":"Par"},
              "Par":{"Type":"Parallel","Branches":[
                  {"StartAt":"A1","States":{
                     "A1":{"Type":"Pass","Assign":{"inner":"i1"},"Next":"A2"},
                     "A2":{"Type":"Pass","Parameters":{"outer.$":"$outer","inner.$":"$inner"},"End":true}}},
                  {"StartAt":"B1","States":{"B1":{"Type":"Pass","Parameters":{"outer.$":"$outer"},"End":true}}}],
                "Next":"After"},
              "After":{"Type":"Pass","Parameters":{"branches.$":"$","outer.$":"$outer"},"Next":"Probe"},
              "Probe":{"Type":"Choice","Choices":[{"Variable":"$inner","IsPresent":true,"Next":"Leaked"}],"Default":"Done"},
              "Leaked":{"Type":"Fail","Error":"Leaked"},
              "Done":{"Type":"Succeed"}}}
            """#)
        XCTAssertEqual(outcome, .succeeded(["branches": [["outer": "o", "inner": "i1"], ["outer": "o"]], "outer": "o"]))
    }

    func testMapIterationsSeeOuterVariablesButTheirAssignmentsStayInside() async throws {
        let (outcome, _) = try await execute(#"""
            {"StartAt":"Init","States":{
              "Init":{"Type":"Pass","Assign":{"factor":10},"Next":"Map"},
              "Map":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":1,
                "ItemProcessor":{"StartAt":"Keep","States":{
                  "Keep":{"Type":"Pass","Assign":{"mine.$":"$.v"},"Next":"Use"},
                  "Use":{"Type":"Pass","Parameters":{"mine.$":"$mine","product.$":"States.MathAdd($mine, $factor)"},"End":true}}},
                "Assign":{"count.$":"States.ArrayLength($)"},"Next":"Probe"},
              "Probe":{"Type":"Choice","Choices":[{"Variable":"$mine","IsPresent":true,"Next":"Leaked"}],"Default":"Done"},
              "Leaked":{"Type":"Fail","Error":"Leaked"},
              "Done":{"Type":"Pass","Parameters":{"results.$":"$","count.$":"$count"},"End":true}}}
            """#, input: ["items": [["v": 1], ["v": 2]]])
        XCTAssertEqual(outcome, .succeeded(["results": [["mine": 1, "product": 11], ["mine": 2, "product": 12]], "count": 2]))
    }

    func testCatchAssignSeesTheErrorOutputAndSkipsTheStatesOwnAssign() async throws {
        let invoker = MockInvoker([lambdaArn: { _ in throw StatesError("Boom", "it broke") }])
        let (outcome, _) = try await execute(#"""
            {"StartAt":"Init","States":{
              "Init":{"Type":"Pass","Assign":{"before":"b"},"Next":"T"},
              "T":{"Type":"Task","Resource":"\#(lambdaArn)","Assign":{"success":true},
                   "Catch":[{"ErrorEquals":["Boom"],"ResultPath":"$.err",
                             "Assign":{"error.$":"$.Error","cause.$":"$.Cause","before.$":"States.Format('{}!', $before)"},
                             "Next":"Handle"}],"End":true},
              "Handle":{"Type":"Pass","Parameters":{"error.$":"$error","cause.$":"$cause","before.$":"$before","in.$":"$"},
                        "Next":"Probe"},
              "Probe":{"Type":"Choice","Choices":[{"Variable":"$success","IsPresent":true,"Next":"Wrong"}],"Default":"Done"},
              "Wrong":{"Type":"Fail"},
              "Done":{"Type":"Succeed"}}}
            """#, input: ["k": 1], invoker: invoker)
        XCTAssertEqual(outcome, .succeeded(["error": "Boom", "cause": "it broke", "before": "b!",
                                            "in": ["k": 1, "err": ["Error": "Boom", "Cause": "it broke"]]]))
    }

    func testAStateThatFailsAfterItsAssignAssignsNothing() async throws {
        let invoker = MockInvoker([lambdaArn: { _ in "a string result" }])
        let (outcome, _) = try await execute(#"""
            {"StartAt":"Init","States":{
              "Init":{"Type":"Pass","Assign":{"v":"before"},"Next":"T"},
              "T":{"Type":"Task","Resource":"\#(lambdaArn)","Assign":{"v":"after"},"ResultPath":"$.s.deeper",
                   "Catch":[{"ErrorEquals":["States.ResultPathMatchFailure"],"ResultPath":null,"Next":"H"}],"End":true},
              "H":{"Type":"Pass","Parameters":{"v.$":"$v"},"End":true}}}
            """#, input: ["s": "not an object"], invoker: invoker)
        XCTAssertEqual(outcome, .succeeded(["v": "before"]))
    }

    func testSucceedAppliesInputPathThenOutputPath() async throws {
        let (outcome, _) = try await execute(#"{"StartAt":"S","States":{"S":{"Type":"Succeed","InputPath":"$.a","OutputPath":"$.b"}}}"#,
                                             input: ["a": ["b": ["c": 1]], "b": "wrong"])
        XCTAssertEqual(outcome, .succeeded(["c": 1]))
    }

    // MARK: - Map and Parallel data

    func testMapAndParallelShapes() async throws {
        let cases: [(String, JSONValue, JSONValue)] = [
            (#"{"Type":"Map","ItemProcessor":{"StartAt":"X","States":{"X":{"Type":"Pass","End":true}}},"End":true}"#,
             [1, 2, 3], [1, 2, 3]),
            (#"{"Type":"Map","ItemsPath":"$.none","ItemProcessor":{"StartAt":"X","States":{"X":{"Type":"Pass","End":true}}},"End":true}"#,
             ["none": []], []),
            (#"{"Type":"Map","ItemsPath":"$.xs","MaxConcurrencyPath":"$.limit","ResultPath":"$.out","#
                + #""ItemProcessor":{"StartAt":"X","States":{"X":{"Type":"Pass","Parameters":{"sq.$":"States.MathAdd($, $)"},"End":true}}},"#
                + #""End":true}"#,
             ["xs": [1, 2], "limit": 1], ["xs": [1, 2], "limit": 1, "out": [["sq": 2], ["sq": 4]]]),
            (#"{"Type":"Map","Iterator":{"StartAt":"X","States":{"X":{"Type":"Pass","End":true}}},"#
                + #""Parameters":{"v.$":"$$.Map.Item.Value"},"ResultSelector":{"n.$":"States.ArrayLength($)"},"End":true}"#,
             ["a", "b"], ["n": 2]),
            (#"{"Type":"Map","ItemBatcher":{"MaxItemsPerBatch":2,"BatchInput":{"tag":"t"}},"#
                + #""ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED"},"StartAt":"X","States":{"X":{"Type":"Pass","End":true}}},"End":true}"#,
             [1, 2, 3], [["BatchInput": ["tag": "t"], "Items": [1, 2]], ["BatchInput": ["tag": "t"], "Items": [3]]]),
            (#"{"Type":"Parallel","Parameters":{"n.$":"$.n"},"ResultSelector":{"first.$":"$[0]","both.$":"$"},"Branches":["#
                + #"{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}},"#
                + #"{"StartAt":"B","States":{"B":{"Type":"Pass","Result":"b","End":true}}}],"ResultPath":"$.par","End":true}"#,
             ["n": 1], ["n": 1, "par": ["first": ["n": 1], "both": [["n": 1], "b"]]]),
        ]
        for (state, input, expected) in cases {
            let (outcome, _) = try await execute(#"{"StartAt":"S","States":{"S":\#(state)}}"#, input: input)
            XCTAssertEqual(outcome, .succeeded(expected), state)
        }
    }

    func testMapOverSomethingThatIsNotAnArrayFailsWithStatesRuntime() async throws {
        let (outcome, _) = try await execute(#"""
            {"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.xs",
              "ItemProcessor":{"StartAt":"X","States":{"X":{"Type":"Pass","End":true}}},"End":true}}}
            """#, input: ["xs": ["not": "array"]])
        guard case .failed(let error) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(error.error, "States.Runtime")
    }
}
