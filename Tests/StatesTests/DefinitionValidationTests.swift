import JSON
import XCTest
@testable import States

/// The validator, checked against the diagnostics AWS's ValidateStateMachineDefinition gives:
/// codes, messages where AWS's words are known, and JSON Pointer locations.
final class DefinitionValidationTests: XCTestCase {
    static let lambda = "arn:aws:lambda:us-east-1:000000000000:function:f"
    static let processor = #"{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}"#

    /// The smallest valid state of each type, leading to `T` (a Succeed) where it transitions.
    static let minimal: [String: String] = [
        "Pass": #"{"Type":"Pass","Next":"T"}"#,
        "Task": #"{"Type":"Task","Resource":"\#(lambda)","Next":"T"}"#,
        "Choice": #"{"Type":"Choice","Choices":[{"Variable":"$.x","IsPresent":true,"Next":"T"}]}"#,
        "Wait": #"{"Type":"Wait","Seconds":1,"Next":"T"}"#,
        "Succeed": #"{"Type":"Succeed"}"#,
        "Fail": #"{"Type":"Fail"}"#,
        "Parallel": #"{"Type":"Parallel","Branches":[\#(processor)],"Next":"T"}"#,
        // Distributed, so that ItemReader, ItemBatcher and ResultWriter are allowed too.
        "Map": #"{"Type":"Map","ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"Next":"T"}"#,
    ]

    /// The fields AWS allows per state type in JSONPath mode (besides Type, Comment, QueryLanguage).
    static let allowed: [String: Set<String>] = [
        "Pass": ["InputPath", "OutputPath", "Parameters", "ResultPath", "Result", "Next", "End", "Assign"],
        "Task": ["InputPath", "OutputPath", "Parameters", "ResultSelector", "ResultPath", "Retry", "Catch", "Resource",
                 "TimeoutSeconds", "TimeoutSecondsPath", "HeartbeatSeconds", "HeartbeatSecondsPath", "Credentials",
                 "Next", "End", "Assign"],
        "Choice": ["Choices", "Default", "InputPath", "OutputPath", "Assign"],
        "Wait": ["InputPath", "OutputPath", "Seconds", "Timestamp", "SecondsPath", "TimestampPath", "Next", "End", "Assign"],
        "Succeed": ["InputPath", "OutputPath"],
        "Fail": ["Error", "Cause", "ErrorPath", "CausePath"],
        "Parallel": ["InputPath", "OutputPath", "Parameters", "ResultSelector", "ResultPath", "Retry", "Catch", "Branches",
                     "Next", "End", "Assign"],
        "Map": ["InputPath", "OutputPath", "ItemsPath", "ItemSelector", "Parameters", "ResultSelector", "ResultPath", "Retry",
                "Catch", "ItemProcessor", "Iterator", "MaxConcurrency", "MaxConcurrencyPath", "ItemReader", "ItemBatcher",
                "ResultWriter", "ToleratedFailureCount", "ToleratedFailureCountPath", "ToleratedFailurePercentage",
                "ToleratedFailurePercentagePath", "Label", "Next", "End", "Assign"],
    ]

    /// Every field some state type has, with a value that is harmless where it is not allowed.
    static let sampleValues: [String: String] = [
        "InputPath": #""$""#, "OutputPath": #""$""#, "Parameters": "{}", "ResultSelector": "{}", "ResultPath": #""$.r""#,
        "Result": "1", "Next": #""T""#, "End": "true", "Assign": #"{"v":1}"#, "Retry": "[]", "Catch": "[]",
        "Resource": #""\#(lambda)""#, "TimeoutSeconds": "5", "TimeoutSecondsPath": #""$.t""#, "HeartbeatSeconds": "1",
        "HeartbeatSecondsPath": #""$.h""#, "Credentials": "{}", "Choices": "[]", "Default": #""T""#, "Seconds": "1",
        "Timestamp": #""2016-03-14T01:59:00Z""#, "SecondsPath": #""$.s""#, "TimestampPath": #""$.ts""#, "Error": #""E""#,
        "Cause": #""C""#, "ErrorPath": #""$.e""#, "CausePath": #""$.c""#, "Branches": "[]", "ItemsPath": #""$.items""#,
        "ItemSelector": "{}", "ItemProcessor": processor, "Iterator": processor, "MaxConcurrency": "1",
        "MaxConcurrencyPath": #""$.m""#, "ItemReader": "{}", "ItemBatcher": "{}", "ResultWriter": "{}",
        "ToleratedFailureCount": "1", "ToleratedFailureCountPath": #""$.f""#, "ToleratedFailurePercentage": "1",
        "ToleratedFailurePercentagePath": #""$.p""#, "Label": #""L""#,
    ]

    /// A machine whose start state is `state` (plus the Succeed `T` when the state transitions).
    func machine(_ state: String, type: String) -> String {
        let target = ["Succeed", "Fail"].contains(type) ? "" : #","T":{"Type":"Succeed"}"#
        return #"{"StartAt":"S","States":{"S":\#(state)\#(target)}}"#
    }

    func adding(_ field: String, _ value: String, to state: String) -> String {
        String(state.dropLast()) + #","\#(field)":\#(value)}"#
    }

    // MARK: - fields per state type

    func testMinimalStateOfEveryTypeIsValid() {
        for (type, state) in Self.minimal {
            XCTAssertEqual(problems(machine(state, type: type)), [], type)
        }
    }

    func testEveryFieldAStateTypeDoesNotHaveIsRefusedAtTheStateWithAWSsMessage() {
        for (type, state) in Self.minimal {
            for (field, value) in Self.sampleValues where !Self.allowed[type]!.contains(field) {
                let found = problemDiagnostics(machine(adding(field, value, to: state), type: type))
                XCTAssertEqual(found.map(\.description), ["SCHEMA_VALIDATION_FAILED: Field '\(field)' is not supported at /States/S"],
                               "\(field) on \(type)")
            }
        }
    }

    func testEveryFieldAStateTypeHasIsAccepted() {
        for (type, state) in Self.minimal {
            for (field, value) in Self.sampleValues where Self.allowed[type]!.contains(field) {
                let found = problemDiagnostics(machine(adding(field, value, to: state), type: type))
                XCTAssertFalse(found.contains { $0.message.contains("is not supported") }, "\(field) on \(type): \(found)")
            }
        }
    }

    func testCommentAndQueryLanguageJSONPathAreAcceptedOnEveryType() {
        for (type, state) in Self.minimal {
            let s = adding("QueryLanguage", #""JSONPath""#, to: adding("Comment", #""hi""#, to: state))
            XCTAssertEqual(problems(machine(s, type: type)), [], type)
        }
    }

    func testJSONataOnlyFieldsOnAJSONPathStateSayWhy() {
        let found = problemDiagnostics(machine(adding("Output", "{}", to: Self.minimal["Pass"]!), type: "Pass"))
        XCTAssertEqual(found.map(\.description), [
            "SCHEMA_VALIDATION_FAILED: The QueryLanguage is set to 'JSONPath', but field 'Output' is only supported "
                + "for the 'JSONata' QueryLanguage at /States/S",
        ])
        XCTAssertEqual(problems(machine(adding("Arguments", "{}", to: Self.minimal["Task"]!), type: "Task")),
                       ["SCHEMA_VALIDATION_FAILED /States/S"])
        XCTAssertEqual(problems(machine(adding("Items", "[]", to: Self.minimal["Map"]!), type: "Map")),
                       ["SCHEMA_VALIDATION_FAILED /States/S"])
    }

    func testUnknownTypeAndTopLevelFields() {
        XCTAssertEqual(problems(#"{"StartAt":"S","States":{"S":{"Type":"Sleep","End":true}}}"#),
                       ["SCHEMA_VALIDATION_FAILED /States/S/Type"])
        XCTAssertEqual(problems(#"{"StartAt":"S","States":{"S":{"End":true}}}"#), ["SCHEMA_VALIDATION_FAILED /States/S/Type"])
        XCTAssertEqual(problems(#"{"StartAt":"S","States":{"S":"Pass"}}"#), ["SCHEMA_VALIDATION_FAILED /States/S"])
        let found = problemDiagnostics(#"{"StartAt":"S","Foo":1,"Comment":"c","Version":"1.0","States":{"S":{"Type":"Succeed"}}}"#)
        XCTAssertEqual(found.map(\.description), ["SCHEMA_VALIDATION_FAILED: Field 'Foo' is not supported at /"])
        XCTAssertEqual(problems(#"{"StartAt":"S","TimeoutSeconds":0,"States":{"S":{"Type":"Succeed"}}}"#),
                       ["SCHEMA_VALIDATION_FAILED /TimeoutSeconds"])
        XCTAssertEqual(problems(#"{"StartAt":"S","TimeoutSeconds":60,"States":{"S":{"Type":"Succeed"}}}"#), [])
        XCTAssertEqual(problems(#"{"States":{"S":{"Type":"Succeed"}}}"#), ["SCHEMA_VALIDATION_FAILED /StartAt"])
        XCTAssertEqual(problems(#"{"StartAt":"S","States":{}}"#), ["SCHEMA_VALIDATION_FAILED /States"])
        XCTAssertEqual(problems(#"[1,2]"#), ["SCHEMA_VALIDATION_FAILED "])
        XCTAssertEqual(problems(#"{"StartAt":"#), ["INVALID_JSON_DESCRIPTION "])
    }

    // MARK: - transitions

    func testNextAndEndRules() {
        let cases: [(String, [String])] = [
            // A state whose transition is broken leads nowhere, so T is also unreachable.
            (#"{"Type":"Pass"}"#, ["MISSING_TRANSITION_TARGET /States/S", "MISSING_TRANSITION_TARGET /States/T"]),
            (#"{"Type":"Pass","End":false}"#, ["MISSING_TRANSITION_TARGET /States/S", "MISSING_TRANSITION_TARGET /States/T"]),
            (#"{"Type":"Pass","Next":"T","End":true}"#, ["SCHEMA_VALIDATION_FAILED /States/S", "MISSING_TRANSITION_TARGET /States/T"]),
            (#"{"Type":"Pass","Next":"T","End":false}"#, []),
            (#"{"Type":"Pass","End":true}"#, ["MISSING_TRANSITION_TARGET /States/T"]),
            (#"{"Type":"Wait","Seconds":1}"#, ["MISSING_TRANSITION_TARGET /States/S", "MISSING_TRANSITION_TARGET /States/T"]),
            (#"{"Type":"Choice","Choices":[{"Variable":"$.x","IsNull":true,"Next":"T"}],"End":true}"#,
             ["SCHEMA_VALIDATION_FAILED /States/S"]),
        ]
        for (state, expected) in cases {
            XCTAssertEqual(problems(#"{"StartAt":"S","States":{"S":\#(state),"T":{"Type":"Succeed"}}}"#), expected, state)
        }
    }

    func testMissingTransitionTargetsAreReportedWhereTheNameIsWritten() {
        let cases: [(String, String)] = [
            (#"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"Ghost"},"B":{"Type":"Succeed"}}}"#, "/States/A/Next"),
            (#"{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.x","IsPresent":true,"Next":"Z"}],"#
                + #""Default":"Ghost"},"Z":{"Type":"Succeed"}}}"#, "/States/C/Default"),
            (#"{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.x","IsPresent":true,"Next":"Ghost"}],"#
                + #""Default":"Z"},"Z":{"Type":"Succeed"}}}"#, "/States/C/Choices/0/Next"),
            (#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"\#(Self.lambda)","#
                + #""Catch":[{"ErrorEquals":["States.ALL"],"Next":"Ghost"}],"End":true}}}"#, "/States/T/Catch/0/Next"),
        ]
        for (definition, location) in cases {
            let found = problemDiagnostics(definition).filter { $0.message.hasPrefix("Missing") }
            XCTAssertEqual(found.map(\.description), ["MISSING_TRANSITION_TARGET: Missing 'Next' target: Ghost at \(location)"],
                           definition)
        }
    }

    func testMissingStartAtTargetLeavesEveryStateUnreachable() {
        let found = problemDiagnostics(#"{"StartAt":"Nope","States":{"A":{"Type":"Pass","End":true}}}"#)
        XCTAssertEqual(found.map(\.description), [
            "MISSING_TRANSITION_TARGET: Missing 'Next' target: Nope at /StartAt",
            "MISSING_TRANSITION_TARGET: State \"A\" is not reachable. at /States/A",
        ])
        XCTAssertEqual(problems(#"{"StartAt":"M","States":{"M":{"Type":"Map","ItemProcessor":{"StartAt":"Nope","States":{"#
                                + #""A":{"Type":"Pass","End":true}}},"End":true}}}"#),
                       ["MISSING_TRANSITION_TARGET /States/M/ItemProcessor/StartAt",
                        "MISSING_TRANSITION_TARGET /States/M/ItemProcessor/States/A"])
    }

    func testUnreachableStatesAtEveryLevel() {
        let top = problemDiagnostics(#"{"StartAt":"A","States":{"A":{"Type":"Pass","End":true},"a/b":{"Type":"Pass","End":true}}}"#)
        XCTAssertEqual(top.map(\.description), ["MISSING_TRANSITION_TARGET: State \"a/b\" is not reachable. at /States/a~1b"])
        XCTAssertEqual(problems(#"{"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[{"StartAt":"W","States":{"#
                                + #""W":{"Type":"Pass","End":true},"Ghost":{"Type":"Pass","End":true}}}],"End":true}}}"#),
                       ["MISSING_TRANSITION_TARGET /States/P/Branches/0/States/Ghost"])
        XCTAssertEqual(problems(#"{"StartAt":"M","States":{"M":{"Type":"Map","Iterator":{"StartAt":"W","States":{"#
                                + #""W":{"Type":"Pass","End":true},"Ghost":{"Type":"Pass","End":true}}},"End":true}}}"#),
                       ["MISSING_TRANSITION_TARGET /States/M/Iterator/States/Ghost"])
    }

    func testStatesReachedOnlyThroughCatchChoiceOrDefaultAreReachable() {
        XCTAssertEqual(problems(#"""
            {"StartAt":"T","States":{
              "T":{"Type":"Task","Resource":"\#(Self.lambda)","Next":"C",
                   "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Recover"}]},
              "Recover":{"Type":"Pass","Next":"C"},
              "C":{"Type":"Choice","Choices":[{"Variable":"$.x","IsPresent":true,"Next":"Yes"}],"Default":"No"},
              "Yes":{"Type":"Succeed"},
              "No":{"Type":"Fail"}}}
            """#), [])
    }

    func testMissingEndStateIsTopLevelOnlyAndSilencesReachability() {
        let loop = #""A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Next":"A"}"#
        let found = problemDiagnostics(#"{"StartAt":"A","States":{\#(loop)}}"#)
        XCTAssertEqual(found.map(\.description), ["MISSING_END_STATE: Workflow has no terminal state at /"])
        XCTAssertEqual(found.first?.location, "")
        // An unused state does not add "not reachable" to a machine with no terminal state …
        XCTAssertEqual(problems(#"{"StartAt":"A","States":{\#(loop),"Unused":{"Type":"Pass","Next":"A"}}}"#),
                       ["MISSING_END_STATE "])
        // … but an unreachable terminal state satisfies the terminal rule and is then unreachable.
        XCTAssertEqual(problems(#"{"StartAt":"A","States":{\#(loop),"C":{"Type":"Pass","End":true}}}"#),
                       ["MISSING_TRANSITION_TARGET /States/C"])
        // A dangling Next comes first, then the missing terminal state.
        XCTAssertEqual(problems(#"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"NOPE"}}}"#),
                       ["MISSING_TRANSITION_TARGET /States/A/Next", "MISSING_END_STATE "])
        // A loop inside a Map's item processor is accepted.
        XCTAssertEqual(problems(#"{"StartAt":"M","States":{"M":{"Type":"Map","ItemProcessor":{"StartAt":"A","States":{\#(loop)}},"#
                                + #""End":true}}}"#), [])
    }

    func testCyclesAreValidWhenTheyCanEnd() {
        XCTAssertEqual(problems(#"""
            {"StartAt":"Count","States":{
              "Count":{"Type":"Pass","Next":"Check"},
              "Check":{"Type":"Choice","Choices":[{"Variable":"$.done","BooleanEquals":true,"Next":"Done"}],"Default":"Count"},
              "Done":{"Type":"Succeed"}}}
            """#), [])
        XCTAssertEqual(problems(#"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"A"},"#
                                + #""B":{"Type":"Succeed"}}}"#), ["MISSING_TRANSITION_TARGET /States/B"])
    }

    func testStateNamesAreOneToEightyCharactersAndUnique() {
        let eighty = String(repeating: "n", count: 80), eightyOne = String(repeating: "n", count: 81)
        XCTAssertEqual(problems(#"{"StartAt":"\#(eighty)","States":{"\#(eighty)":{"Type":"Succeed"}}}"#), [])
        XCTAssertEqual(problems(#"{"StartAt":"\#(eightyOne)","States":{"\#(eightyOne)":{"Type":"Succeed"}}}"#),
                       ["INVALID_STATE_NAME /States/\(eightyOne)"])
        XCTAssertEqual(problems(#"{"StartAt":"","States":{"":{"Type":"Succeed"}}}"#), ["INVALID_STATE_NAME /States/"])
        // Eighty characters, not eighty UTF-8 bytes.
        let wide = String(repeating: "é", count: 80)
        XCTAssertEqual(problems(#"{"StartAt":"\#(wide)","States":{"\#(wide)":{"Type":"Succeed"}}}"#), [])
        // The JSON layer keeps repeated keys, so the validator can say what AWS says.
        XCTAssertEqual(problems(#"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Succeed"},"#
                                + #""A":{"Type":"Fail"}}}"#), ["DUPLICATE_STATE_NAME /States/A"])
    }

    // MARK: - Retry and Catch

    func retry(_ retrier: String) -> String {
        #"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"\#(Self.lambda)","Retry":[\#(retrier)],"End":true}}}"#
    }

    func testRetrierFieldRanges() {
        let cases: [(String, String, String?)] = [
            ("IntervalSeconds", "0", "IntervalSeconds"), ("IntervalSeconds", "1", nil), ("IntervalSeconds", "99999999", nil),
            ("IntervalSeconds", "100000000", "IntervalSeconds"), ("IntervalSeconds", "1.5", "IntervalSeconds"),
            ("IntervalSeconds", #""1""#, "IntervalSeconds"),
            ("MaxAttempts", "-1", "MaxAttempts"), ("MaxAttempts", "0", nil), ("MaxAttempts", "99999999", nil),
            ("MaxAttempts", "100000000", "MaxAttempts"), ("MaxAttempts", "true", "MaxAttempts"),
            ("BackoffRate", "0.5", "BackoffRate"), ("BackoffRate", "0.999", "BackoffRate"), ("BackoffRate", "1", nil),
            ("BackoffRate", "1.0", nil), ("BackoffRate", "2.5", nil), ("BackoffRate", "1e1", nil),
            ("BackoffRate", #""2""#, "BackoffRate"),
            ("MaxDelaySeconds", "0", "MaxDelaySeconds"), ("MaxDelaySeconds", "1", nil), ("MaxDelaySeconds", "31622400", nil),
            ("MaxDelaySeconds", "31622401", "MaxDelaySeconds"),
            ("JitterStrategy", #""FULL""#, nil), ("JitterStrategy", #""NONE""#, nil), ("JitterStrategy", #""full""#, "JitterStrategy"),
            ("JitterStrategy", "1", "JitterStrategy"),
        ]
        for (field, value, error) in cases {
            let expected = error.map { ["SCHEMA_VALIDATION_FAILED /States/T/Retry/0/\($0)"] } ?? []
            XCTAssertEqual(problems(retry(#"{"ErrorEquals":["E"],"\#(field)":\#(value)}"#)), expected, "\(field): \(value)")
        }
        let tooBig = problemDiagnostics(retry(#"{"ErrorEquals":["E"],"MaxDelaySeconds":31622401}"#))
        XCTAssertEqual(tooBig.first?.message, "Maximum value is 31622400")
    }

    func testRetrierDefaultsAreAWSs() throws {
        let machine = try StateMachine.parse(retry(#"{"ErrorEquals":["E"]}"#))
        let r = try XCTUnwrap(machine.graph.start.retry.first)
        XCTAssertEqual(r.intervalSeconds, 1)
        XCTAssertEqual(r.maxAttempts, 3)
        XCTAssertEqual(r.backoffRate, 2.0)
        XCTAssertNil(r.maxDelaySeconds)
        XCTAssertEqual(r.jitterStrategy, .none)
    }

    func testErrorEqualsRules() {
        XCTAssertEqual(problems(retry(#"{"ErrorEquals":["States.ALL"]}"#)), [])
        XCTAssertEqual(problems(retry(#"{"ErrorEquals":["E"]},{"ErrorEquals":["States.ALL"]}"#)), [])
        XCTAssertEqual(problems(retry(#"{"ErrorEquals":["States.ALL","E"]}"#)), ["SCHEMA_VALIDATION_FAILED /States/T/Retry/0/ErrorEquals"])
        XCTAssertEqual(problems(retry(#"{"ErrorEquals":["States.ALL"]},{"ErrorEquals":["E"]}"#)),
                       ["SCHEMA_VALIDATION_FAILED /States/T/Retry/0/ErrorEquals"])
        XCTAssertEqual(problems(retry(#"{"ErrorEquals":[]}"#)), ["SCHEMA_VALIDATION_FAILED /States/T/Retry/0/ErrorEquals"])
        XCTAssertEqual(problems(retry(#"{"MaxAttempts":1}"#)), ["SCHEMA_VALIDATION_FAILED /States/T/Retry/0/ErrorEquals"])
        XCTAssertEqual(problems(retry(#"{"ErrorEquals":["E",1]}"#)), ["SCHEMA_VALIDATION_FAILED /States/T/Retry/0/ErrorEquals"])
        XCTAssertEqual(problems(retry(#"{"ErrorEquals":["E"],"Next":"T"}"#)), ["SCHEMA_VALIDATION_FAILED /States/T/Retry/0"])
        XCTAssertEqual(problems(retry(#""E""#)), ["SCHEMA_VALIDATION_FAILED /States/T/Retry/0"])

        func catchers(_ list: String) -> String {
            #"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"\#(Self.lambda)","Catch":[\#(list)],"End":true},"#
                + #""H":{"Type":"Succeed"}}}"#
        }
        XCTAssertEqual(problems(catchers(#"{"ErrorEquals":["E"],"Next":"H"},{"ErrorEquals":["States.ALL"],"Next":"H"}"#)), [])
        XCTAssertEqual(problems(catchers(#"{"ErrorEquals":["States.ALL"],"Next":"H"},{"ErrorEquals":["E"],"Next":"H"}"#)),
                       ["SCHEMA_VALIDATION_FAILED /States/T/Catch/0/ErrorEquals"])
        XCTAssertEqual(problems(catchers(#"{"ErrorEquals":["States.ALL","States.Timeout"],"Next":"H"}"#)),
                       ["SCHEMA_VALIDATION_FAILED /States/T/Catch/0/ErrorEquals"])
        XCTAssertEqual(problems(catchers(#"{"ErrorEquals":["E"]}"#)),
                       ["SCHEMA_VALIDATION_FAILED /States/T/Catch/0/Next", "MISSING_TRANSITION_TARGET /States/H"])
        XCTAssertEqual(problems(catchers(#"{"ErrorEquals":["E"],"Next":"H","ResultPath":"$$.x"}"#)),
                       ["SCHEMA_VALIDATION_FAILED /States/T/Catch/0/ResultPath"])
        XCTAssertEqual(problems(catchers(#"{"ErrorEquals":["E"],"Next":"H","ResultPath":null,"Assign":{"e.$":"$.Error"},"#
                                         + #""Comment":"c"}"#)), [])
        XCTAssertEqual(problems(catchers(#"{"ErrorEquals":["E"],"Next":"H","Retry":1}"#)),
                       ["SCHEMA_VALIDATION_FAILED /States/T/Catch/0"])
    }

    // MARK: - per-type rules

    func testWaitNeedsExactlyOneDuration() {
        let cases: [(String, [String])] = [
            (#""Seconds":0"#, []), (#""Seconds":99999999"#, []), (#""Timestamp":"2016-03-14T01:59:00Z""#, []),
            (#""SecondsPath":"$.s""#, []), (#""TimestampPath":"$$.Execution.Input.t""#, []),
            ("", ["SCHEMA_VALIDATION_FAILED /States/W"]),
            (#""Seconds":1,"Timestamp":"2016-03-14T01:59:00Z""#, ["SCHEMA_VALIDATION_FAILED /States/W"]),
            (#""Seconds":1,"SecondsPath":"$.s""#, ["SCHEMA_VALIDATION_FAILED /States/W"]),
            (#""Seconds":-1"#, ["SCHEMA_VALIDATION_FAILED /States/W/Seconds"]),
            (#""Seconds":1.5"#, ["SCHEMA_VALIDATION_FAILED /States/W/Seconds"]),
            (#""Seconds":100000000"#, ["SCHEMA_VALIDATION_FAILED /States/W/Seconds"]),
            (#""Timestamp":"2016-03-14""#, ["SCHEMA_VALIDATION_FAILED /States/W/Timestamp"]),
            (#""SecondsPath":"$.s[*]""#, ["SCHEMA_VALIDATION_FAILED /States/W/SecondsPath"]),
            (#""TimestampPath":"t""#, ["SCHEMA_VALIDATION_FAILED /States/W/TimestampPath"]),
        ]
        for (fields, expected) in cases {
            let separator = fields.isEmpty ? "" : ","
            let definition = #"{"StartAt":"W","States":{"W":{"Type":"Wait"\#(separator)\#(fields),"End":true}}}"#
            XCTAssertEqual(problems(definition).filter { $0 != "MISSING_END_STATE " }, expected, fields)
        }
        let found = problemDiagnostics(#"{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":100000000,"End":true}}}"#)
        XCTAssertEqual(found.first?.message, "Maximum value is 99999999")
    }

    func testFailErrorAndCauseAreLiteralOrPathNotBoth() {
        let cases: [(String, [String])] = [
            (#""Error":"E","Cause":"C""#, []),
            (#""ErrorPath":"$.e","CausePath":"$$.Execution.Name""#, []),
            (#""ErrorPath":"States.Format('E{}', $.n)","CausePath":"$v.c""#, []),
            (#""Error":"E","ErrorPath":"$.e""#, ["SCHEMA_VALIDATION_FAILED /States/F/Error"]),
            (#""Cause":"C","CausePath":"$.c""#, ["SCHEMA_VALIDATION_FAILED /States/F/Cause"]),
            (#""Error":1"#, ["SCHEMA_VALIDATION_FAILED /States/F/Error"]),
            (#""ErrorPath":"$.e[*]""#, ["SCHEMA_VALIDATION_FAILED /States/F/ErrorPath"]),
            (#""CausePath":"States.Nope($.x)""#, ["SCHEMA_VALIDATION_FAILED /States/F/CausePath"]),
            (#""CausePath":7"#, ["SCHEMA_VALIDATION_FAILED /States/F/CausePath"]),
        ]
        for (fields, expected) in cases {
            XCTAssertEqual(problems(#"{"StartAt":"F","States":{"F":{"Type":"Fail",\#(fields)}}}"#), expected, fields)
        }
    }

    func testMapProcessorAndSelectorExclusivity() {
        func map(_ fields: String) -> String {
            #"{"StartAt":"M","States":{"M":{"Type":"Map",\#(fields),"End":true}}}"#
        }
        let p = Self.processor
        let cases: [(String, [String])] = [
            (#""ItemProcessor":\#(p)"#, []),
            (#""Iterator":\#(p),"Parameters":{"x.$":"$$.Map.Item.Value"}"#, []),
            (#""ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"P","#
                + #""States":{"P":{"Type":"Pass","End":true}}}"#, []),
            (#""ItemProcessor":\#(p),"Iterator":\#(p)"#, ["SCHEMA_VALIDATION_FAILED /States/M"]),
            (#""ItemProcessor":\#(p),"ItemSelector":{},"Parameters":{}"#, ["SCHEMA_VALIDATION_FAILED /States/M"]),
            (#""ItemsPath":"$.items""#, ["SCHEMA_VALIDATION_FAILED /States/M/ItemProcessor"]),
            (#""ItemProcessor":{"ProcessorConfig":{"Mode":"BOGUS"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}"#,
             ["SCHEMA_VALIDATION_FAILED /States/M/ItemProcessor/ProcessorConfig/Mode"]),
            (#""ItemProcessor":\#(p),"ItemsPath":"$.items[*]""#, ["SCHEMA_VALIDATION_FAILED /States/M/ItemsPath"]),
            (#""ItemProcessor":\#(p),"MaxConcurrency":-1"#, ["SCHEMA_VALIDATION_FAILED /States/M/MaxConcurrency"]),
            (#""ItemProcessor":\#(p),"MaxConcurrency":2,"MaxConcurrencyPath":"$.m""#,
             ["SCHEMA_VALIDATION_FAILED /States/M/MaxConcurrency"]),
            (#""ItemProcessor":\#(p),"MaxConcurrencyPath":"$.limits[*]""#, ["SCHEMA_VALIDATION_FAILED /States/M/MaxConcurrencyPath"]),
            (#""ItemProcessor":\#(p),"ItemSelector":[]"#, ["SCHEMA_VALIDATION_FAILED /States/M/ItemSelector"]),
        ]
        for (fields, expected) in cases {
            XCTAssertEqual(problems(map(fields)), expected, fields)
        }
    }

    func testTaskFields() {
        func task(_ fields: String) -> String {
            #"{"StartAt":"T","States":{"T":{"Type":"Task",\#(fields),"End":true}}}"#
        }
        let r = #""Resource":"\#(Self.lambda)""#
        let cases: [(String, [String])] = [
            (#"\#(r),"TimeoutSeconds":300,"HeartbeatSeconds":60"#, []),
            (#"\#(r),"TimeoutSecondsPath":"$.t","HeartbeatSecondsPath":"$.h""#, []),
            (#""Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken""#, []),
            ("\"TimeoutSeconds\":5", ["SCHEMA_VALIDATION_FAILED /States/T/Resource"]),
            (#""Resource":"lambda-f""#, ["INVALID_RESOURCE /States/T/Resource"]),
            (#"\#(r),"TimeoutSeconds":0"#, ["SCHEMA_VALIDATION_FAILED /States/T/TimeoutSeconds"]),
            (#"\#(r),"TimeoutSeconds":100000000"#, ["SCHEMA_VALIDATION_FAILED /States/T/TimeoutSeconds"]),
            (#"\#(r),"TimeoutSeconds":5,"TimeoutSecondsPath":"$.t""#, ["SCHEMA_VALIDATION_FAILED /States/T/TimeoutSeconds"]),
            (#"\#(r),"HeartbeatSecondsPath":"$.h[0:1]""#, ["SCHEMA_VALIDATION_FAILED /States/T/HeartbeatSecondsPath"]),
            (#"\#(r),"ResultSelector":"$.x""#, ["SCHEMA_VALIDATION_FAILED /States/T/ResultSelector"]),
        ]
        for (fields, expected) in cases {
            XCTAssertEqual(problems(task(fields)), expected, fields)
        }
    }

    func testParallelBranches() {
        XCTAssertEqual(problems(#"{"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[],"End":true}}}"#),
                       ["SCHEMA_VALIDATION_FAILED /States/P/Branches"])
        XCTAssertEqual(problems(#"{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true}}}"#),
                       ["SCHEMA_VALIDATION_FAILED /States/P/Branches"])
        XCTAssertEqual(problems(#"{"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[1],"End":true}}}"#),
                       ["SCHEMA_VALIDATION_FAILED /States/P/Branches/0"])
        XCTAssertEqual(problems(#"{"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[\#(Self.processor),"#
                                + #"{"StartAt":"X","States":{"X":{"Type":"Pass","Next":"Y"}}}],"End":true}}}"#),
                       ["MISSING_TRANSITION_TARGET /States/P/Branches/1/States/X/Next"])
    }

    // MARK: - paths and templates

    func testPayloadTemplatesReportBadPathsAndIntrinsicsAtTheirKeys() {
        let cases: [(String, [String])] = [
            (#"{"a.$":"$.x","b.$":"$$.Execution.Id","c.$":"$var.field","d.$":"States.Format('x {}', $.a)","e":"$.literal"}"#, []),
            (#"{"a.$":"$.x[?(@.y"}"#, ["SCHEMA_VALIDATION_FAILED /States/S/Parameters/a.$"]),
            (#"{"a.$":"nope"}"#, ["SCHEMA_VALIDATION_FAILED /States/S/Parameters/a.$"]),
            (#"{"a.$":"States.Nope($.x)"}"#, ["SCHEMA_VALIDATION_FAILED /States/S/Parameters/a.$"]),
            (#"{"a.$":"States.Format('{}', $.x"}"#, ["SCHEMA_VALIDATION_FAILED /States/S/Parameters/a.$"]),
            (#"{"a.$":"States.MathAdd(1)"}"#, ["SCHEMA_VALIDATION_FAILED /States/S/Parameters/a.$"]),
            (#"{"a.$":3}"#, ["SCHEMA_VALIDATION_FAILED /States/S/Parameters/a.$"]),
            (#"{"n":{"deep":{"d.$":"bad"}}}"#, ["SCHEMA_VALIDATION_FAILED /States/S/Parameters/n/deep/d.$"]),
            (#"{"list":[1,{"e.$":"bad"}]}"#, ["SCHEMA_VALIDATION_FAILED /States/S/Parameters/list/1/e.$"]),
            (#"{"a~b/c.$":"bad"}"#, ["SCHEMA_VALIDATION_FAILED /States/S/Parameters/a~0b~1c.$"]),
            (#"{"a.$":"bad","b.$":"worse"}"#, ["SCHEMA_VALIDATION_FAILED /States/S/Parameters/a.$",
                                               "SCHEMA_VALIDATION_FAILED /States/S/Parameters/b.$"]),
        ]
        for (parameters, expected) in cases {
            XCTAssertEqual(problems(#"{"StartAt":"S","States":{"S":{"Type":"Pass","Parameters":\#(parameters),"End":true}}}"#),
                           expected, parameters)
        }
        // The same compiler serves ResultSelector, ItemSelector and Assign.
        XCTAssertEqual(problems(#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"\#(Self.lambda)","#
                                + #""ResultSelector":{"x.$":"bad"},"Assign":{"y.$":"States.Nope()"},"End":true}}}"#),
                       ["SCHEMA_VALIDATION_FAILED /States/T/ResultSelector/x.$", "SCHEMA_VALIDATION_FAILED /States/T/Assign/y.$"])
        XCTAssertEqual(problems(#"{"StartAt":"M","States":{"M":{"Type":"Map","ItemSelector":{"x.$":"bad"},"#
                                + #""ItemProcessor":\#(Self.processor),"End":true}}}"#),
                       ["SCHEMA_VALIDATION_FAILED /States/M/ItemSelector/x.$"])
        XCTAssertEqual(problems(#"{"StartAt":"S","States":{"S":{"Type":"Pass","Assign":[1],"End":true}}}"#),
                       ["SCHEMA_VALIDATION_FAILED /States/S/Assign"])
    }

    func testResultPathMustBeAReferencePathIntoTheInput() {
        let cases: [(String, Bool)] = [
            ("null", true), (#""$""#, true), (#""$.a.b""#, true), (#""$['a b'][0]""#, true),
            (#""$.a[*]""#, false), (#""$..a""#, false), (#""$.a[0:2]""#, false), (#""$.a[?(@.b)]""#, false),
            (#""$$.Execution""#, false), (#""$var.x""#, false), (#""a""#, false), ("1", false),
        ]
        for (value, valid) in cases {
            let expected = valid ? [] : ["SCHEMA_VALIDATION_FAILED /States/S/ResultPath"]
            XCTAssertEqual(problems(#"{"StartAt":"S","States":{"S":{"Type":"Pass","ResultPath":\#(value),"End":true}}}"#),
                           expected, value)
        }
    }

    func testInputAndOutputPathMayBeAnyPathOrNull() {
        for value in ["null", #""$""#, #""$.items[*].id""#, #""$$.Execution.Input""#, #""$..x""#] {
            XCTAssertEqual(problems(#"{"StartAt":"S","States":{"S":{"Type":"Pass","InputPath":\#(value),"#
                                    + #""OutputPath":\#(value),"End":true}}}"#), [], value)
        }
        XCTAssertEqual(problems(#"{"StartAt":"S","States":{"S":{"Type":"Pass","InputPath":"x","OutputPath":5,"End":true}}}"#),
                       ["SCHEMA_VALIDATION_FAILED /States/S/InputPath", "SCHEMA_VALIDATION_FAILED /States/S/OutputPath"])
    }

    // MARK: - Choice rules

    func testChoiceRuleShapes() {
        func choice(_ rule: String) -> String {
            #"{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[\#(rule)],"Default":"D"},"D":{"Type":"Succeed"}}}"#
        }
        let here = "/States/C/Choices/0"
        let cases: [(String, [String])] = [
            (#"{"Variable":"$.a","StringEquals":"x","Next":"D"}"#, []),
            (#"{"And":[{"Variable":"$.a","IsPresent":true},{"Not":{"Variable":"$.b","IsNull":true}}],"Next":"D"}"#, []),
            (#"{"Variable":"$.a","StringEqualsPath":"$.b","Next":"D","Comment":"c","Assign":{"x":1}}"#, []),
            (#"{"Variable":"$.a","StringEquals":"x"}"#, ["SCHEMA_VALIDATION_FAILED \(here)"]),
            (#"{"And":[{"Variable":"$.a","IsNull":true,"Next":"D"}],"Next":"D"}"#, ["SCHEMA_VALIDATION_FAILED \(here)/And/0/Next"]),
            (#"{"And":[],"Next":"D"}"#, ["SCHEMA_VALIDATION_FAILED \(here)/And"]),
            (#"{"Or":{"Variable":"$.a","IsNull":true},"Next":"D"}"#, ["SCHEMA_VALIDATION_FAILED \(here)/Or"]),
            (#"{"Not":[],"Next":"D"}"#, ["SCHEMA_VALIDATION_FAILED \(here)/Not"]),
            (#"{"Variable":"$.a","Next":"D"}"#, ["SCHEMA_VALIDATION_FAILED \(here)"]),
            (#"{"StringEquals":"x","Next":"D"}"#, ["SCHEMA_VALIDATION_FAILED \(here)"]),
            (#"{"Variable":"$.a","StringEquals":"x","NumericEquals":1,"Next":"D"}"#, ["SCHEMA_VALIDATION_FAILED \(here)"]),
            (#"{"Variable":"$.a","StringEqualz":"x","Next":"D"}"#, ["SCHEMA_VALIDATION_FAILED \(here)/StringEqualz"]),
            (#"{"Variable":"$.a","StringMatchesPath":"$.b","Next":"D"}"#, ["SCHEMA_VALIDATION_FAILED \(here)/StringMatchesPath"]),
            (#"{"Variable":"$.a","IsPresentPath":"$.b","Next":"D"}"#, ["SCHEMA_VALIDATION_FAILED \(here)/IsPresentPath"]),
            (#"{"Variable":"$.a","NumericEquals":"1","Next":"D"}"#, ["SCHEMA_VALIDATION_FAILED \(here)/NumericEquals"]),
            (#"{"Variable":"$.a","StringEquals":1,"Next":"D"}"#, ["SCHEMA_VALIDATION_FAILED \(here)/StringEquals"]),
            (#"{"Variable":"$.a","BooleanEquals":"true","Next":"D"}"#, ["SCHEMA_VALIDATION_FAILED \(here)/BooleanEquals"]),
            (#"{"Variable":"$.a","TimestampEquals":"yesterday","Next":"D"}"#, ["SCHEMA_VALIDATION_FAILED \(here)/TimestampEquals"]),
            (#"{"Variable":"$.a","IsNull":"true","Next":"D"}"#, ["SCHEMA_VALIDATION_FAILED \(here)/IsNull"]),
            (#"{"Variable":"$.a","StringMatches":1,"Next":"D"}"#, ["SCHEMA_VALIDATION_FAILED \(here)/StringMatches"]),
            (#"{"Variable":"$.a","NumericEqualsPath":"nope","Next":"D"}"#, ["SCHEMA_VALIDATION_FAILED \(here)/NumericEqualsPath"]),
            (#"{"Variable":"a","IsNull":true,"Next":"D"}"#, ["SCHEMA_VALIDATION_FAILED \(here)/Variable"]),
            (#""rule""#, ["SCHEMA_VALIDATION_FAILED \(here)"]),
        ]
        for (rule, expected) in cases {
            XCTAssertEqual(problems(choice(rule)), expected, rule)
        }
        XCTAssertEqual(problems(#"{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[],"Default":"D"},"D":{"Type":"Succeed"}}}"#),
                       ["SCHEMA_VALIDATION_FAILED /States/C/Choices"])
        XCTAssertEqual(problems(#"{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.a","IsNull":true,"#
                                + #""Next":"D"}],"Default":1},"D":{"Type":"Succeed"}}}"#),
                       ["SCHEMA_VALIDATION_FAILED /States/C/Default"])
    }

    // MARK: - query language

    func testQueryLanguageIsCheckedAgainstItsEnumAndJSONataDefinitionsParse() {
        XCTAssertEqual(problems(#"{"QueryLanguage":"JSONata","StartAt":"S","States":{"S":{"Type":"Succeed"}}}"#), [])
        XCTAssertEqual(problems(#"{"StartAt":"S","States":{"S":{"Type":"Succeed","QueryLanguage":"JSONata"}}}"#), [])
        let wrong = problemDiagnostics(#"{"QueryLanguage":"SQL","StartAt":"S","States":{"S":{"Type":"Succeed"}}}"#)
        XCTAssertEqual(wrong.map(\.description), ["SCHEMA_VALIDATION_FAILED: Value should be one of the following: [JSONPath, JSONata] at /QueryLanguage"])
        XCTAssertEqual(problems(#"{"QueryLanguage":"JSONPath","StartAt":"S","States":{"S":{"Type":"Succeed"}}}"#), [])
        XCTAssertEqual(problems(#"""
            {"QueryLanguage":"JSONata","StartAt":"T","States":{
              "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Arguments":{"FunctionName":"f"},
                   "Output":"{% $states.result.Payload %}","Next":"M"},
              "M":{"Type":"Map","Items":"{% [1,2] %}","ItemProcessor":\#(Self.processor),"End":true}}}
            """#), [])
    }

    // MARK: - many at once

    func testEveryProblemIsReportedInOnePassInDefinitionOrder() {
        let found = problems(#"""
            {"StartAt":"A","Bogus":true,"States":{
              "A":{"Type":"Task","Resource":"\#(Self.lambda)","Next":"Nowhere","TimeoutSeconds":0,
                   "Retry":[{"ErrorEquals":["States.ALL"]},{"ErrorEquals":["E"],"BackoffRate":0.5}],
                   "Parameters":{"x.$":"bad"}},
              "B":{"Type":"Wait","Seconds":1,"Timestamp":"2016-03-14T01:59:00Z","End":true},
              "C":{"Type":"Pass","Result":1,"End":true,"Catch":[]}}}
            """#)
        XCTAssertEqual(found, [
            "SCHEMA_VALIDATION_FAILED ",
            "MISSING_TRANSITION_TARGET /States/A/Next",
            "SCHEMA_VALIDATION_FAILED /States/A/Parameters/x.$",
            "SCHEMA_VALIDATION_FAILED /States/A/Retry/0/ErrorEquals",
            "SCHEMA_VALIDATION_FAILED /States/A/Retry/1/BackoffRate",
            "SCHEMA_VALIDATION_FAILED /States/A/TimeoutSeconds",
            "SCHEMA_VALIDATION_FAILED /States/B",
            "SCHEMA_VALIDATION_FAILED /States/C",
        ])
    }

    func testAValidDefinitionUsingEveryFeatureParses() throws {
        let machine = try StateMachine.parse(#"""
            {"Comment":"all of it","TimeoutSeconds":3600,"Version":"1.0","StartAt":"Init","States":{
              "Init":{"Type":"Pass","Result":{"items":[1,2]},"ResultPath":"$.data","Assign":{"count":0},"Next":"Work"},
              "Work":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","InputPath":"$.data",
                      "Parameters":{"FunctionName":"f","Payload.$":"$"},"ResultSelector":{"p.$":"$.Payload"},
                      "ResultPath":"$.result","OutputPath":"$","TimeoutSecondsPath":"$.t","HeartbeatSeconds":10,
                      "Retry":[{"ErrorEquals":["Lambda.ServiceException"],"IntervalSeconds":2,"MaxAttempts":6,"BackoffRate":2,
                                "MaxDelaySeconds":30,"JitterStrategy":"FULL"},{"ErrorEquals":["States.ALL"]}],
                      "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.error","Next":"Failed"}],"Next":"Decide"},
              "Decide":{"Type":"Choice","Choices":[
                  {"And":[{"Variable":"$.result.p","IsPresent":true},{"Variable":"$.result.p.ok","BooleanEquals":true}],"Next":"Fan"}],
                "Default":"Failed"},
              "Fan":{"Type":"Parallel","Branches":[
                  {"StartAt":"W","States":{"W":{"Type":"Wait","SecondsPath":"$.delay","Next":"Done"},"Done":{"Type":"Succeed"}}},
                  {"StartAt":"Each","States":{"Each":{"Type":"Map","ItemsPath":"$.data.items","MaxConcurrency":2,
                     "ItemSelector":{"i.$":"$$.Map.Item.Index"},"ItemProcessor":{"ProcessorConfig":{"Mode":"INLINE"},"StartAt":"X",
                     "States":{"X":{"Type":"Pass","End":true}}},"ResultPath":null,"End":true}}}],
                "ResultSelector":{"first.$":"$[0]"},"Next":"Ok"},
              "Ok":{"Type":"Succeed","OutputPath":"$.first"},
              "Failed":{"Type":"Fail","ErrorPath":"$.error.Error","CausePath":"States.Format('failed: {}', $.error.Cause)"}}}
            """#)
        XCTAssertEqual(machine.graph.states.map(\.typeName), ["Pass", "Task", "Choice", "Parallel", "Succeed", "Fail"])
        XCTAssertEqual(machine.timeoutSeconds, 3600)
        XCTAssertEqual(machine.comment, "all of it")
        XCTAssertEqual(machine.graph.start.name, "Init")
        guard case .parallel(let p) = machine.graph.states[3].kind else { return XCTFail("not parallel") }
        XCTAssertEqual(p.branches.count, 2)
        XCTAssertEqual(p.branches[0].states.map(\.name), ["W", "Done"])
    }
}
