import JSON
import XCTest
@testable import States

/// `"QueryLanguage": "JSONata"` as Step Functions runs it: every JSONata field, `$states`,
/// variables shared with JSONPath states, Step Functions' own functions, and
/// `States.QueryEvaluationError`; plus the validation of mixed definitions.
final class JSONataWorkflowTests: XCTestCase {
    static let processor = #"{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}"#

    // MARK: - the same workflow in both languages

    func testAWorkflowGivesTheSameResultInBothLanguages() async throws {
        let invoker = RecordingInvoker { request in ["total": .integer((request.input["qty"]?.intValue ?? 0) * 10), "ok": true] }
        let jsonPath = #"""
            {"StartAt":"Init","States":{
              "Init":{"Type":"Pass","Assign":{"customer.$":"$$.Execution.Input.customer"},"Parameters":{"qty.$":"$.order.qty","id.$":"$.order.id"},"Next":"Price"},
              "Price":{"Type":"Task","Resource":"\#(lambdaArn)","Parameters":{"qty.$":"$.qty"},
                       "ResultSelector":{"total.$":"$.total"},"ResultPath":"$.price","Next":"Check"},
              "Check":{"Type":"Choice","Choices":[{"Variable":"$.price.total","NumericGreaterThan":100,"Next":"Big"}],"Default":"Small"},
              "Big":{"Type":"Pass","Parameters":{"size":"big","id.$":"$.id","total.$":"$.price.total","customer.$":"$customer"},"End":true},
              "Small":{"Type":"Pass","Parameters":{"size":"small","id.$":"$.id","total.$":"$.price.total","customer.$":"$customer"},"End":true}}}
            """#
        let jsonata = #"""
            {"QueryLanguage":"JSONata","StartAt":"Init","States":{
              "Init":{"Type":"Pass","Assign":{"customer":"{% $states.input.customer %}"},
                      "Output":{"qty":"{% $states.input.order.qty %}","id":"{% $states.input.order.id %}"},"Next":"Price"},
              "Price":{"Type":"Task","Resource":"\#(lambdaArn)","Arguments":{"qty":"{% $states.input.qty %}"},
                       "Output":{"qty":"{% $states.input.qty %}","id":"{% $states.input.id %}","price":{"total":"{% $states.result.total %}"}},
                       "Next":"Check"},
              "Check":{"Type":"Choice","Choices":[{"Condition":"{% $states.input.price.total > 100 %}","Next":"Big"}],"Default":"Small"},
              "Big":{"Type":"Pass","Output":{"size":"big","id":"{% $states.input.id %}","total":"{% $states.input.price.total %}","customer":"{% $customer %}"},"End":true},
              "Small":{"Type":"Pass","Output":{"size":"small","id":"{% $states.input.id %}","total":"{% $states.input.price.total %}","customer":"{% $customer %}"},"End":true}}}
            """#
        for qty in [3, 30] {
            let input: JSONValue = ["customer": "ann", "order": ["id": "o-1", "qty": .integer(qty)]]
            let (a, _) = try await execute(jsonPath, input: input, invoker: invoker)
            let (b, _) = try await execute(jsonata, input: input, invoker: invoker)
            XCTAssertEqual(a, b)
            XCTAssertEqual(output(b)?["size"], qty > 10 ? "big" : "small")
            XCTAssertEqual(output(b)?["customer"], "ann")
        }
        XCTAssertEqual(invoker.requests.map(\.input), [["qty": 3], ["qty": 3], ["qty": 30], ["qty": 30]])
    }

    // MARK: - fields

    func testTaskArgumentsOutputAndAssignSeeInputResultAndContext() async throws {
        let invoker = RecordingInvoker { _ in ["Payload": ["n": 7]] }
        let (outcome, _) = try await execute(#"""
            {"QueryLanguage":"JSONata","StartAt":"T","States":{
              "T":{"Type":"Task","Resource":"\#(lambdaArn)","Arguments":{"FunctionName":"f","Payload":{"who":"{% $states.input.who %}","static":"$.not-a-path"}},
                   "TimeoutSeconds":"{% $states.input.timeout %}","HeartbeatSeconds":5,
                   "Assign":{"n":"{% $states.result.Payload.n %}","from":"{% $states.input.who %}"},
                   "Output":{"n":"{% $states.result.Payload.n %}","state":"{% $states.context.State.Name %}"},"Next":"Use"},
              "Use":{"Type":"Pass","Output":{"n":"{% $n + 1 %}","from":"{% $from %}","greeting":"{% 'hi ' & $from %}"},"End":true}}}
            """#, input: ["who": "bo", "timeout": 30], invoker: invoker)
        XCTAssertEqual(output(outcome), ["n": 8, "from": "bo", "greeting": "hi bo"])
        XCTAssertEqual(invoker.requests.first?.input, ["FunctionName": "f", "Payload": ["who": "bo", "static": "$.not-a-path"]])
        XCTAssertEqual(invoker.requests.first?.timeoutSeconds, 30)
        XCTAssertEqual(invoker.requests.first?.heartbeatSeconds, 5)
    }

    func testStatesWithoutOutputPassTheirInputOrResult() async throws {
        let (outcome, _) = try await execute(#"""
            {"QueryLanguage":"JSONata","StartAt":"P","States":{
              "P":{"Type":"Pass","Next":"W"},
              "W":{"Type":"Wait","Seconds":0,"Next":"T"},
              "T":{"Type":"Task","Resource":"\#(lambdaArn)","Next":"S"},
              "S":{"Type":"Succeed"}}}
            """#, input: ["a": 1], invoker: RecordingInvoker { _ in ["r": 2] })
        XCTAssertEqual(output(outcome), ["r": 2])
    }

    func testChoiceConditionsRuleOutputAndAssign() async throws {
        let definition = #"""
            {"QueryLanguage":"JSONata","StartAt":"C","States":{
              "C":{"Type":"Choice","Assign":{"always":"yes"},"Output":{"via":"default"},
                   "Choices":[
                     {"Condition":false,"Next":"Never"},
                     {"Condition":"{% $states.input.n > 10 %}","Output":{"via":"rule","n":"{% $states.input.n %}"},
                      "Assign":{"rule":"{% $states.input.n %}"},"Next":"Done"}],
                   "Default":"Done"},
              "Never":{"Type":"Fail","Error":"Never"},
              "Done":{"Type":"Pass","Output":{"in":"{% $states.input %}","always":"{% $always %}"},"End":true}}}
            """#
        let (big, _) = try await execute(definition, input: ["n": 11])
        XCTAssertEqual(output(big), ["in": ["via": "rule", "n": 11], "always": "yes"])
        let (small, _) = try await execute(definition, input: ["n": 1])
        XCTAssertEqual(output(small), ["in": ["via": "default"], "always": "yes"])
    }

    func testWaitSecondsAndTimestampExpressions() async throws {
        let clock = VirtualStatesClock()
        let start = clock.nowMilliseconds()
        let (outcome, _) = try await execute(#"""
            {"QueryLanguage":"JSONata","StartAt":"A","States":{
              "A":{"Type":"Wait","Seconds":"{% $states.input.wait %}","Next":"B"},
              "B":{"Type":"Wait","Timestamp":"{% $states.input.until %}","End":true}}}
            """#, input: ["wait": 60, "until": "2026-01-01T01:00:00Z"], clock: clock)
        XCTAssertNotNil(output(outcome))
        XCTAssertEqual(clock.nowMilliseconds(), max(start + 60_000, Timestamp("2026-01-01T01:00:00Z")!.milliseconds))
    }

    func testFailErrorAndCauseExpressions() async throws {
        let (outcome, _) = try await execute(#"""
            {"QueryLanguage":"JSONata","StartAt":"F","States":{
              "F":{"Type":"Fail","Error":"{% $states.input.code %}","Cause":"{% 'because ' & $states.input.why %}"}}}
            """#, input: ["code": "Bad.Thing", "why": "reasons"])
        XCTAssertEqual(outcome, .failed(StatesError("Bad.Thing", "because reasons")))
    }

    func testMapItemsItemSelectorConcurrencyAndOutput() async throws {
        let (outcome, _) = try await execute(#"""
            {"QueryLanguage":"JSONata","StartAt":"M","States":{
              "M":{"Type":"Map","Items":"{% $states.input.list %}","MaxConcurrency":"{% $states.input.limit %}",
                   "ToleratedFailureCount":"{% 0 %}",
                   "ItemSelector":{"value":"{% $states.context.Map.Item.Value %}","index":"{% $states.context.Map.Item.Index %}",
                                   "tag":"{% $states.input.tag %}"},
                   "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","Output":{"v":"{% $states.input.value * 2 %}",
                       "i":"{% $states.input.index %}","t":"{% $states.input.tag %}"},"End":true}}},
                   "Output":{"results":"{% $states.result %}"},"End":true}}}
            """#, input: ["list": [1, 2, 3], "limit": 2, "tag": "x"])
        XCTAssertEqual(output(outcome), ["results": [["v": 2, "i": 0, "t": "x"], ["v": 4, "i": 1, "t": "x"], ["v": 6, "i": 2, "t": "x"]]])

        let literal = try await execute(#"""
            {"QueryLanguage":"JSONata","StartAt":"M","States":{
              "M":{"Type":"Map","Items":[1,"{% $states.input.two %}"],"ItemProcessor":\#(Self.processor),"End":true}}}
            """#, input: ["two": 2])
        XCTAssertEqual(output(literal.0), [1, 2])
    }

    func testParallelArgumentsAndScopes() async throws {
        let (outcome, _) = try await execute(#"""
            {"QueryLanguage":"JSONata","StartAt":"Init","States":{
              "Init":{"Type":"Pass","Assign":{"outer":"o"},"Next":"Par"},
              "Par":{"Type":"Parallel","Arguments":{"x":"{% $states.input.x %}"},
                "Branches":[
                  {"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"inner":"i"},"Next":"B"},
                     "B":{"Type":"Pass","Output":{"x":"{% $states.input.x %}","outer":"{% $outer %}","inner":"{% $inner %}"},"End":true}}},
                  {"StartAt":"C","States":{"C":{"Type":"Pass","Output":"{% $outer %}","End":true}}}],
                "Output":{"branches":"{% $states.result %}"},"Next":"Probe"},
              "Probe":{"Type":"Pass","QueryLanguage":"JSONata","Output":{"r":"{% $states.input.branches %}","leaked":"{% $exists($inner) %}"},"End":true}}}
            """#, input: ["x": 5])
        // `$exists` is the engine's; with only the stand-in this state fails instead.
        if case .succeeded(let value) = outcome {
            XCTAssertEqual(value["r"], [["x": 5, "outer": "o", "inner": "i"], "o"])
            XCTAssertEqual(value["leaked"], false)
        } else if case .failed(let error) = outcome {
            XCTAssertEqual(error.error, "States.QueryEvaluationError")
        }
    }

    func testCatchOutputAndAssignSeeTheErrorOutputAndTheInput() async throws {
        let invoker = RecordingInvoker { _ in throw StatesError("Boom", "it broke") }
        let (outcome, _) = try await execute(#"""
            {"QueryLanguage":"JSONata","StartAt":"T","States":{
              "T":{"Type":"Task","Resource":"\#(lambdaArn)",
                   "Catch":[{"ErrorEquals":["Boom"],"Next":"After",
                             "Output":{"error":"{% $states.errorOutput.Error %}","id":"{% $states.input.id %}"},
                             "Assign":{"cause":"{% $states.errorOutput.Cause %}"}}],"End":true},
              "After":{"Type":"Pass","Output":{"in":"{% $states.input %}","cause":"{% $cause %}"},"End":true}}}
            """#, input: ["id": 9], invoker: invoker)
        XCTAssertEqual(output(outcome), ["in": ["error": "Boom", "id": 9], "cause": "it broke"])

        let (plain, _) = try await execute(#"""
            {"QueryLanguage":"JSONata","StartAt":"T","States":{
              "T":{"Type":"Task","Resource":"\#(lambdaArn)","Catch":[{"ErrorEquals":["States.ALL"],"Next":"After"}],"End":true},
              "After":{"Type":"Succeed"}}}
            """#, invoker: invoker)
        XCTAssertEqual(output(plain), ["Error": "Boom", "Cause": "it broke"])
    }

    // MARK: - mixing languages, variables

    func testJSONPathAndJSONataStatesShareVariables() async throws {
        let (outcome, _) = try await execute(#"""
            {"StartAt":"A","States":{
              "A":{"Type":"Pass","Assign":{"fromPath.$":"$.v"},"Next":"B"},
              "B":{"Type":"Pass","QueryLanguage":"JSONata","Assign":{"fromAta":"{% $fromPath + 1 %}"},
                   "Output":{"seen":"{% $fromPath %}"},"Next":"C"},
              "C":{"Type":"Pass","Parameters":{"seen.$":"$.seen","a.$":"$fromPath","b.$":"$fromAta"},"End":true}}}
            """#, input: ["v": 1])
        XCTAssertEqual(output(outcome), ["seen": 1, "a": 1, "b": 2])
    }

    func testAssignAndOutputReadTheVariablesAsTheyWereOnEntry() async throws {
        let (outcome, _) = try await execute(#"""
            {"QueryLanguage":"JSONata","StartAt":"A","States":{
              "A":{"Type":"Pass","Assign":{"x":1},"Next":"B"},
              "B":{"Type":"Pass","Assign":{"x":2,"y":"{% $x %}"},"Output":{"x":"{% $x %}"},"Next":"C"},
              "C":{"Type":"Pass","Output":{"before":"{% $states.input.x %}","x":"{% $x %}","y":"{% $y %}"},"End":true}}}
            """#)
        XCTAssertEqual(output(outcome), ["before": 1, "x": 2, "y": 1])
    }

    func testAssignIsLimitedTo256KiBInBothLanguages() async throws {
        let big = String(repeating: "a", count: 270_000)
        for definition in [
            #"{"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"big.$":"$.big"},"End":true}}}"#,
            #"{"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"big":"{% $states.input.big %}"},"End":true}}}"#,
        ] {
            let machine = try StateMachine.parse(definition)
            var interpreter = Interpreter(invoker: MockInvoker([:]), clock: VirtualStatesClock())
            interpreter.maxPayloadBytes = 1_000_000
            let outcome = await interpreter.run(machine, execution: executionInfo(input: ["big": .string(big)], startTime: 0),
                                                history: InMemoryHistory())
            guard case .failed(let error) = outcome else { return XCTFail("\(outcome)") }
            XCTAssertEqual(error.error, "States.DataLimitExceeded")
        }
    }

    // MARK: - Step Functions' functions

    func testStepFunctionsFunctions() async throws {
        let (outcome, _) = try await execute(#"""
            {"QueryLanguage":"JSONata","StartAt":"A","States":{
              "A":{"Type":"Pass","Output":{
                "partition":"{% $partition([1,2,3,4,5], 2) %}",
                "range":"{% $range(0, 10, 5) %}",
                "hash":"{% $hash('abc', 'SHA-256') %}",
                "parse":"{% $parse('{\"a\":[1,true]}') %}",
                "seeded1":"{% $random(7) %}","seeded2":"{% $random(7) %}",
                "uuid":"{% $uuid() %}"},"End":true}}}
            """#)
        let value = try XCTUnwrap(output(outcome))
        XCTAssertEqual(value["partition"], [[1, 2], [3, 4], [5]])
        XCTAssertEqual(value["range"], [0, 5, 10])
        XCTAssertEqual(value["hash"], "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(value["parse"], ["a": [1, true]])
        XCTAssertEqual(value["seeded1"], value["seeded2"])
        let r = try XCTUnwrap(value["seeded1"].flatMap { if case .number(let n) = $0 { return Double(n) } else { return nil } })
        XCTAssertTrue((0..<1).contains(r))
        XCTAssertEqual(value["uuid"]?.stringValue?.count, 36)
    }

    // MARK: - States.QueryEvaluationError

    func testAnExpressionReturningNothingFailsWithAWSsCauseAndAnEvaluationFailedEvent() async throws {
        let (outcome, events) = try await execute(#"""
            {"QueryLanguage":"JSONata","StartAt":"Transform","States":{
              "Transform":{"Type":"Pass","Output":{"v":"{% $states.input.missing %}"},"End":true}}}
            """#)
        XCTAssertEqual(outcome, .failed(StatesError("States.QueryEvaluationError",
            "An error occurred while executing the state 'Transform' (entered at the event id #2). "
            + "The JSONata expression '$states.input.missing' specified for the field 'Output/v' returned nothing (undefined).")))
        let failed = try XCTUnwrap(events.first { $0.type == "EvaluationFailed" })
        XCTAssertEqual(failed.detailsKey, "evaluationFailedEventDetails")
        XCTAssertEqual(failed.detail("location"), "Output/v")
        XCTAssertEqual(failed.detail("state"), "Transform")
    }

    func testFieldPathsNameNestedObjectsAndArrays() async throws {
        for (template, field) in [(#"{"a":{"b":"{% $states.input.missing %}"}}"#, "Output/a/b"),
                                  (#"{"values":["{% $states.input.missing %}",1]}"#, "Output/values[0]"),
                                  (#""{% $states.input.missing %}""#, "Output")] {
            let (outcome, _) = try await execute(#"{"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Pass","Output":"#
                                                 + template + #","End":true}}}"#)
            guard case .failed(let error) = outcome else { XCTFail("\(outcome)"); continue }
            XCTAssertTrue(error.cause.hasSuffix("specified for the field '\(field)' returned nothing (undefined)."), error.cause)
        }
    }

    func testWrongTypesAreQueryEvaluationErrors() async throws {
        let cases: [(String, String)] = [
            (#"{"Type":"Choice","Choices":[{"Condition":"{% $states.input.s %}","Next":"E"}],"Default":"E"}"#,
             "The JSONata expression '$states.input.s' specified for the field 'Condition' returned an unexpected result type. Expected 'boolean', but was 'string' for value: \"text\""),
            (#"{"Type":"Wait","Seconds":"{% $states.input.s %}","Next":"E"}"#,
             "The JSONata expression '$states.input.s' specified for the field 'Seconds' returned an unexpected result type. Expected 'integer', but was 'string' for value: \"text\""),
            (#"{"Type":"Map","Items":"{% $states.input.s %}","ItemProcessor":\#(Self.processor),"Next":"E"}"#,
             "The JSONata expression '$states.input.s' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was 'string' for value: \"text\""),
            (#"{"Type":"Fail","Error":"{% $states.input.n %}"}"#,
             "The JSONata expression '$states.input.n' specified for the field 'Error' returned an unexpected result type. Expected 'string', but was 'number' for value: 1"),
        ]
        for (state, cause) in cases {
            let end = state.contains(#""E""#) ? #","E":{"Type":"Succeed"}"# : ""
            let (outcome, _) = try await execute(#"{"QueryLanguage":"JSONata","StartAt":"S","States":{"S":"# + state + end + "}}",
                                                 input: ["s": "text", "n": 1])
            XCTAssertEqual(outcome, .failed(StatesError("States.QueryEvaluationError",
                "An error occurred while executing the state 'S' (entered at the event id #2). " + cause)))
        }
    }

    func testQueryEvaluationErrorIsCaughtAndRetried() async throws {
        let (outcome, events) = try await execute(#"""
            {"QueryLanguage":"JSONata","StartAt":"T","States":{
              "T":{"Type":"Task","Resource":"\#(lambdaArn)","Output":{"v":"{% $states.result.missing %}"},
                   "Retry":[{"ErrorEquals":["States.QueryEvaluationError"],"MaxAttempts":1,"IntervalSeconds":1}],
                   "Catch":[{"ErrorEquals":["States.QueryEvaluationError"],"Next":"Caught"}],"End":true},
              "Caught":{"Type":"Pass","Output":{"error":"{% $states.input.Error %}"},"End":true}}}
            """#, invoker: RecordingInvoker { _ in ["x": 1] })
        XCTAssertEqual(output(outcome), ["error": "States.QueryEvaluationError"])
        XCTAssertEqual(events.filter { $0.type == "EvaluationFailed" }.count, 2)
    }

    func testAnUnparseableExpressionIsADefinitionError() {
        let found = problems(#"{"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Pass","Output":{"v":"{% ( %}"},"End":true}}}"#)
        XCTAssertEqual(found, ["SCHEMA_VALIDATION_FAILED /States/P/Output/v"])
    }

    // MARK: - validation

    func testJSONPathOnlyFieldsAreErrorsInAJSONataState() {
        let found = problemDiagnostics(#"""
            {"QueryLanguage":"JSONata","StartAt":"X","States":{
              "X":{"Type":"Task","Resource":"\#(lambdaArn)","InputPath":"$.a","Parameters":{},"ResultPath":"$.r","TimeoutSecondsPath":"$.t",
                   "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.e","Next":"Y"}],"End":true},
              "Y":{"Type":"Choice","Choices":[{"Variable":"$.a","IsNull":true,"Next":"Z"}],"Default":"Z"},
              "Z":{"Type":"Pass","Result":1,"End":true}}}
            """#)
        XCTAssertEqual(found.map(\.description), [
            "SCHEMA_VALIDATION_FAILED: The QueryLanguage is set to 'JSONata', but field 'InputPath' is only supported for the 'JSONPath' QueryLanguage at /States/X",
            "SCHEMA_VALIDATION_FAILED: The QueryLanguage is set to 'JSONata', but field 'Parameters' is only supported for the 'JSONPath' QueryLanguage at /States/X",
            "SCHEMA_VALIDATION_FAILED: The QueryLanguage is set to 'JSONata', but field 'ResultPath' is only supported for the 'JSONPath' QueryLanguage at /States/X",
            "SCHEMA_VALIDATION_FAILED: The QueryLanguage is set to 'JSONata', but field 'TimeoutSecondsPath' is only supported for the 'JSONPath' QueryLanguage at /States/X",
            "SCHEMA_VALIDATION_FAILED: The QueryLanguage is set to 'JSONata', but field 'ResultPath' is only supported for the 'JSONPath' QueryLanguage at /States/X/Catch/0",
            "SCHEMA_VALIDATION_FAILED: The QueryLanguage is set to 'JSONata', but field 'Variable' is only supported for the 'JSONPath' QueryLanguage at /States/Y/Choices/0",
            "SCHEMA_VALIDATION_FAILED: The QueryLanguage is set to 'JSONata', but field 'IsNull' is only supported for the 'JSONPath' QueryLanguage at /States/Y/Choices/0",
            "SCHEMA_VALIDATION_FAILED: The field 'Condition' is required for a Choice Rule in a JSONata state at /States/Y/Choices/0",
            "SCHEMA_VALIDATION_FAILED: The QueryLanguage is set to 'JSONata', but field 'Result' is only supported for the 'JSONPath' QueryLanguage at /States/Z",
        ])
    }

    func testJSONataOnlyFieldsAreErrorsInAJSONPathState() {
        XCTAssertEqual(problemDiagnostics(#"""
            {"StartAt":"X","States":{
              "X":{"Type":"Pass","Output":{"a":1},"Next":"C"},
              "C":{"Type":"Choice","Choices":[{"Condition":true,"Variable":"$.a","IsNull":true,"Next":"M"}],"Default":"M"},
              "M":{"Type":"Map","Items":[1],"ItemProcessor":\#(Self.processor),"End":true}}}
            """#).map(\.description), [
            "SCHEMA_VALIDATION_FAILED: The QueryLanguage is set to 'JSONPath', but field 'Output' is only supported for the 'JSONata' QueryLanguage at /States/X",
            "SCHEMA_VALIDATION_FAILED: The QueryLanguage is set to 'JSONPath', but field 'Condition' is only supported for the 'JSONata' QueryLanguage at /States/C/Choices/0",
            "SCHEMA_VALIDATION_FAILED: The QueryLanguage is set to 'JSONPath', but field 'Items' is only supported for the 'JSONata' QueryLanguage at /States/M",
        ])
    }

    func testQueryLanguageRules() {
        // A JSONata machine's state cannot go back to JSONPath; its Output is then not reported too.
        XCTAssertEqual(problemDiagnostics(#"""
            {"QueryLanguage":"JSONata","StartAt":"X","States":{"X":{"Type":"Pass","QueryLanguage":"JSONPath","Output":{"v":"{% 1 %}"},"End":true}}}
            """#).map(\.description),
            ["SCHEMA_VALIDATION_FAILED: 'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine at /States/X"])
        // A misspelt language is reported against the enum and taken as JSONata.
        XCTAssertEqual(problemDiagnostics(#"""
            {"StartAt":"X","States":{"X":{"Type":"Pass","QueryLanguage":"jsonata","InputPath":"$.a","End":true}}}
            """#).map(\.description), [
            "SCHEMA_VALIDATION_FAILED: The QueryLanguage is set to 'JSONata', but field 'InputPath' is only supported for the 'JSONPath' QueryLanguage at /States/X",
            "SCHEMA_VALIDATION_FAILED: Value should be one of the following: [JSONPath, JSONata] at /States/X/QueryLanguage",
        ])
        XCTAssertEqual(problemDiagnostics(#"{"QueryLanguage":5,"StartAt":"X","States":{"X":{"Type":"Succeed"}}}"#).map(\.description),
                       ["SCHEMA_VALIDATION_FAILED: Expected value of type [STRING] at /QueryLanguage"])
        // Branches and item processors are not states: they take no QueryLanguage.
        XCTAssertEqual(problems(#"""
            {"StartAt":"M","States":{"M":{"Type":"Map","ItemProcessor":{"QueryLanguage":"JSONata","StartAt":"P",
              "States":{"P":{"Type":"Pass","End":true}}},"End":true}}}
            """#), ["SCHEMA_VALIDATION_FAILED /States/M/ItemProcessor"])
        // A JSONata state in a JSONPath machine, and a JSONata Map whose processor states stay JSONPath.
        XCTAssertEqual(problems(#"""
            {"StartAt":"M","States":{"M":{"Type":"Map","QueryLanguage":"JSONata","Items":"{% [1, 2] %}",
              "Output":{"count":"{% $states.result %}"},
              "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","InputPath":"$","End":true}}},"End":true}}}
            """#), [])
    }

    func testVariableNames() {
        XCTAssertEqual(problems(#"""
            {"QueryLanguage":"JSONata","StartAt":"X","States":{"X":{"Type":"Pass","Assign":{"states":1,"9lives":2,"ok_1":3},"End":true}}}
            """#), ["SCHEMA_VALIDATION_FAILED /States/X/Assign/states", "SCHEMA_VALIDATION_FAILED /States/X/Assign/9lives"])
        XCTAssertEqual(problems(#"{"StartAt":"X","States":{"X":{"Type":"Pass","Assign":{"states.$":"$"},"End":true}}}"#),
                       ["SCHEMA_VALIDATION_FAILED /States/X/Assign/states.$"])
    }

    // MARK: - TestState

    func testTestStateRunsJSONataStates() async throws {
        let machine = try StateMachine.parse(#"""
            {"QueryLanguage":"JSONata","StartAt":"T","States":{
              "T":{"Type":"Task","Resource":"\#(lambdaArn)","Arguments":{"id":"{% $states.input.id %}"},
                   "Output":{"got":"{% $states.result.v %}"},"Assign":{"seen":"{% $states.result.v %}"},"Next":"Bad"},
              "Bad":{"Type":"Pass","Output":"{% $states.input.missing %}","Next":"Done"},
              "Done":{"Type":"Succeed"}}}
            """#)
        let interpreter = Interpreter(invoker: MockInvoker([:]), clock: VirtualStatesClock())
        let info = executionInfo(input: [:], startTime: 0)
        let ok = await interpreter.test(machine, stateName: "T", StateTest(input: ["id": 4], mock: .result(["v": "x"])), execution: info)
        XCTAssertEqual(ok.status, .succeeded)
        XCTAssertEqual(ok.output, ["got": "x"])
        XCTAssertEqual(ok.nextState, "Bad")
        XCTAssertEqual(ok.inspection["afterArguments"], ["id": 4])
        XCTAssertEqual(ok.inspection["variables"], ["seen": "x"])

        let bad = await interpreter.test(machine, stateName: "Bad", StateTest(input: [:]), execution: info)
        XCTAssertEqual(bad.status, .failed)
        XCTAssertEqual(bad.error, StatesError("States.QueryEvaluationError",
            "The JSONata expression '$states.input.missing' specified for the field 'Output' returned nothing (undefined)."))
    }
}
