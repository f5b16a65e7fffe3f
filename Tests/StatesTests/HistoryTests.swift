import JSON
import XCTest
@testable import States

/// Execution history as GetExecutionHistory returns it: event types in order, the
/// previousEventId chain, and the details members.
final class HistoryTests: XCTestCase {
    /// `type(id←previous)` for every event: the sequence and its chain in one string.
    func chain(_ events: [HistoryEvent]) -> [String] {
        events.map { "\($0.type)(\($0.id)←\($0.previousEventId))" }
    }

    /// Ids are 1…n in order and every previousEventId names an earlier event (or 0).
    func assertWellFormed(_ events: [HistoryEvent], firstId: Int = 1, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(events.map(\.id), Array(firstId..<(firstId + events.count)), file: file, line: line)
        let ids = Set(events.map(\.id))
        for e in events {
            XCTAssertLessThan(e.previousEventId, e.id, "\(e.type) \(e.id)", file: file, line: line)
            XCTAssertTrue(e.previousEventId == 0 || ids.contains(e.previousEventId) || e.previousEventId < firstId,
                          "\(e.type) \(e.id) ← \(e.previousEventId)", file: file, line: line)
        }
        XCTAssertEqual(events.map(\.timestamp), events.map(\.timestamp).sorted(), "timestamps never go back", file: file, line: line)
    }

    func testPassChainWithDetails() async throws {
        let (_, events) = try await execute(#"""
            {"StartAt":"A","States":{"A":{"Type":"Pass","Result":{"r":1},"Next":"B"},"B":{"Type":"Succeed"}}}
            """#, input: ["in": true])
        XCTAssertEqual(chain(events), ["ExecutionStarted(1←0)", "PassStateEntered(2←1)", "PassStateExited(3←2)",
                                       "SucceedStateEntered(4←3)", "SucceedStateExited(5←4)", "ExecutionSucceeded(6←5)"])
        XCTAssertEqual(events[0].detailsKey, "executionStartedEventDetails")
        XCTAssertEqual(events[0].detail("input"), #"{"in":true}"#)
        XCTAssertEqual(events[0].detail("roleArn"), "arn:aws:iam::000000000000:role/r")
        XCTAssertEqual(events[1].detailsKey, "stateEnteredEventDetails")
        XCTAssertEqual(events[1].detail("name"), "A")
        XCTAssertEqual(events[1].detail("input"), #"{"in":true}"#)
        XCTAssertEqual(events[2].detailsKey, "stateExitedEventDetails")
        XCTAssertEqual(events[2].detail("output"), #"{"r":1}"#)
        XCTAssertEqual(events[5].detailsKey, "executionSucceededEventDetails")
        XCTAssertEqual(events[5].detail("output"), #"{"r":1}"#)
        assertWellFormed(events)
    }

    func testIntegrationTaskEventsSplitTheResource() async throws {
        let invoker = RecordingInvoker { _ in ["MessageId": "m-1"] }
        let (_, events) = try await execute(#"""
            {"StartAt":"Send","States":{"Send":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage",
              "Parameters":{"QueueUrl":"q","MessageBody":"hi"},"TimeoutSeconds":30,"End":true}}}
            """#, invoker: invoker)
        XCTAssertEqual(chain(events), ["ExecutionStarted(1←0)", "TaskStateEntered(2←1)", "TaskScheduled(3←2)", "TaskStarted(4←3)",
                                       "TaskSucceeded(5←4)", "TaskStateExited(6←5)", "ExecutionSucceeded(7←6)"])
        let scheduled = events[2]
        XCTAssertEqual(scheduled.detailsKey, "taskScheduledEventDetails")
        XCTAssertEqual(scheduled.detail("resourceType"), "sqs")
        XCTAssertEqual(scheduled.detail("resource"), "sendMessage")
        XCTAssertEqual(scheduled.detail("region"), "us-east-1")
        XCTAssertEqual(scheduled.detail("parameters"), #"{"QueueUrl":"q","MessageBody":"hi"}"#)
        XCTAssertEqual(scheduled.detail("timeoutInSeconds"), 30)
        XCTAssertEqual(events[3].detail("resourceType"), "sqs")
        XCTAssertEqual(events[3].detail("resource"), "sendMessage")
        XCTAssertEqual(events[4].detailsKey, "taskSucceededEventDetails")
        XCTAssertEqual(events[4].detail("output"), #"{"MessageId":"m-1"}"#)
        XCTAssertEqual(invoker.requests.first?.resource, "arn:aws:states:::sqs:sendMessage")
    }

    func testResourceTypeAndResourceForEachKindOfARN() {
        let cases: [(String, String, String)] = [
            ("arn:aws:states:::sqs:sendMessage", "sqs", "sendMessage"),
            ("arn:aws:states:::sqs:sendMessage.waitForTaskToken", "sqs", "sendMessage.waitForTaskToken"),
            ("arn:aws:states:::lambda:invoke", "lambda", "invoke"),
            ("arn:aws:states:::dynamodb:putItem", "dynamodb", "putItem"),
            ("arn:aws:states:::states:startExecution.sync:2", "states", "startExecution.sync:2"),
            ("arn:aws:states:::ecs:runTask.sync", "ecs", "runTask.sync"),
            ("arn:aws:states:::aws-sdk:dynamodb:getItem", "aws-sdk:dynamodb", "getItem"),
            ("arn:aws:states:::aws-sdk:s3:listObjectsV2", "aws-sdk:s3", "listObjectsV2"),
            ("arn:aws:states:us-east-1:000000000000:activity:worker", "activity", "arn:aws:states:us-east-1:000000000000:activity:worker"),
            ("arn:aws:lambda:us-east-1:000000000000:function:f", "lambda", "arn:aws:lambda:us-east-1:000000000000:function:f"),
            ("arn:aws:lambda:us-east-1:000000000000:function:f:live", "lambda", "arn:aws:lambda:us-east-1:000000000000:function:f:live"),
        ]
        for (arn, type, resource) in cases {
            let r = TaskResource(arn)
            XCTAssertEqual(r.resourceType, type, arn)
            XCTAssertEqual(r.resource, resource, arn)
            XCTAssertEqual(r.waitForTaskToken, arn.hasSuffix(".waitForTaskToken"), arn)
        }
    }

    func testLambdaFunctionARNsGetLambdaFunctionEvents() async throws {
        let ok = MockInvoker([lambdaArn: { input in ["echo": input] }])
        let (_, events) = try await execute(#"""
            {"StartAt":"L","States":{"L":{"Type":"Task","Resource":"\#(lambdaArn)","TimeoutSeconds":5,"End":true}}}
            """#, input: ["x": 1], invoker: ok)
        XCTAssertEqual(chain(events), ["ExecutionStarted(1←0)", "TaskStateEntered(2←1)", "LambdaFunctionScheduled(3←2)",
                                       "LambdaFunctionStarted(4←3)", "LambdaFunctionSucceeded(5←4)", "TaskStateExited(6←5)",
                                       "ExecutionSucceeded(7←6)"])
        XCTAssertEqual(events[2].detailsKey, "lambdaFunctionScheduledEventDetails")
        XCTAssertEqual(events[2].detail("resource"), .string(lambdaArn))
        XCTAssertEqual(events[2].detail("input"), #"{"x":1}"#)
        XCTAssertEqual(events[2].detail("timeoutInSeconds"), 5)
        XCTAssertNil(events[3].details)
        XCTAssertEqual(events[4].detail("output"), #"{"echo":{"x":1}}"#)

        let failing = MockInvoker([lambdaArn: { _ in throw StatesError("Lambda.Unknown", "boom") }])
        let (outcome, failed) = try await execute(#"{"StartAt":"L","States":{"L":{"Type":"Task","Resource":"\#(lambdaArn)","End":true}}}"#,
                                                  invoker: failing)
        XCTAssertEqual(outcome, .failed(StatesError("Lambda.Unknown", "boom")))
        XCTAssertEqual(chain(failed), ["ExecutionStarted(1←0)", "TaskStateEntered(2←1)", "LambdaFunctionScheduled(3←2)",
                                       "LambdaFunctionStarted(4←3)", "LambdaFunctionFailed(5←4)", "ExecutionFailed(6←5)"])
        XCTAssertEqual(failed[4].detail("error"), "Lambda.Unknown")
        XCTAssertEqual(failed[4].detail("cause"), "boom")
        XCTAssertEqual(failed[5].detailsKey, "executionFailedEventDetails")
        XCTAssertEqual(failed[5].detail("error"), "Lambda.Unknown")
    }

    func testChoiceAndWait() async throws {
        let clock = VirtualStatesClock()
        let (_, events) = try await execute(#"""
            {"StartAt":"C","States":{
              "C":{"Type":"Choice","Choices":[{"Variable":"$.go","BooleanEquals":true,"Next":"W"}],"Default":"Done"},
              "W":{"Type":"Wait","Seconds":90,"Next":"Done"},
              "Done":{"Type":"Succeed"}}}
            """#, input: ["go": true], clock: clock)
        XCTAssertEqual(chain(events), ["ExecutionStarted(1←0)", "ChoiceStateEntered(2←1)", "ChoiceStateExited(3←2)",
                                       "WaitStateEntered(4←3)", "WaitStateExited(5←4)", "SucceedStateEntered(6←5)",
                                       "SucceedStateExited(7←6)", "ExecutionSucceeded(8←7)"])
        XCTAssertEqual(events[4].timestamp - events[3].timestamp, 90_000)
        assertWellFormed(events)
    }

    func testParallel() async throws {
        let (_, events) = try await execute(#"""
            {"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[
                {"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","End":true}}}],"End":true}}}
            """#)
        XCTAssertEqual(chain(events), ["ExecutionStarted(1←0)", "ParallelStateEntered(2←1)", "ParallelStateStarted(3←2)",
                                       "PassStateEntered(4←3)", "PassStateExited(5←4)", "PassStateEntered(6←5)", "PassStateExited(7←6)",
                                       "ParallelStateSucceeded(8←3)", "ParallelStateExited(9←8)", "ExecutionSucceeded(10←9)"])
    }

    func testParallelBranchesEachChainFromTheStartEvent() async throws {
        let (_, events) = try await execute(#"""
            {"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[
                {"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}},
                {"StartAt":"B","States":{"B":{"Type":"Pass","End":true}}},
                {"StartAt":"C","States":{"C":{"Type":"Pass","End":true}}}],"End":true}}}
            """#)
        assertWellFormed(events)
        let started = try XCTUnwrap(events.first { $0.type == "ParallelStateStarted" })
        let entries = events.filter { $0.type == "PassStateEntered" }
        XCTAssertEqual(entries.count, 3)
        XCTAssertTrue(entries.allSatisfy { $0.previousEventId == started.id })
        for entered in entries {
            let exited = try XCTUnwrap(events.first { $0.type == "PassStateExited" && $0.previousEventId == entered.id })
            XCTAssertEqual(exited.detail("name"), entered.detail("name"))
        }
        XCTAssertEqual(events.suffix(3).map(\.type), ["ParallelStateSucceeded", "ParallelStateExited", "ExecutionSucceeded"])
    }

    func testMap() async throws {
        let (_, events) = try await execute(#"""
            {"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":1,
              "ItemProcessor":{"StartAt":"X","States":{"X":{"Type":"Pass","End":true}}},"End":true}}}
            """#, input: ["a", "b"])
        XCTAssertEqual(chain(events), ["ExecutionStarted(1←0)", "MapStateEntered(2←1)", "MapStateStarted(3←2)",
                                       "MapIterationStarted(4←3)", "PassStateEntered(5←4)", "PassStateExited(6←5)",
                                       "MapIterationSucceeded(7←6)",
                                       "MapIterationStarted(8←3)", "PassStateEntered(9←8)", "PassStateExited(10←9)",
                                       "MapIterationSucceeded(11←10)",
                                       "MapStateSucceeded(12←3)", "MapStateExited(13←12)", "ExecutionSucceeded(14←13)"])
        XCTAssertEqual(events[2].detailsKey, "mapStateStartedEventDetails")
        XCTAssertEqual(events[2].detail("length"), 2)
        XCTAssertEqual(events[3].detailsKey, "mapIterationStartedEventDetails")
        XCTAssertEqual(events[3].detail("name"), "M")
        XCTAssertEqual(events[3].detail("index"), 0)
        XCTAssertEqual(events[6].detailsKey, "mapIterationSucceededEventDetails")
        XCTAssertEqual(events[6].detail("index"), 0)
        XCTAssertEqual(events[7].detail("index"), 1)
        XCTAssertEqual(events[10].detail("index"), 1)
    }

    func testFailHasNoExitEvent() async throws {
        let (_, events) = try await execute(#"{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"E","Cause":"C"}}}"#)
        XCTAssertEqual(chain(events), ["ExecutionStarted(1←0)", "FailStateEntered(2←1)", "ExecutionFailed(3←2)"])
        XCTAssertEqual(events[2].detail("error"), "E")
        XCTAssertEqual(events[2].detail("cause"), "C")
    }

    func testCatchExitsTheFailedStateThenEntersTheHandler() async throws {
        let invoker = RecordingInvoker { _ in throw StatesError("Boom", "no") }
        let (_, events) = try await execute(#"""
            {"StartAt":"T","States":{
              "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Catch":[{"ErrorEquals":["States.ALL"],"Next":"H"}],
                   "End":true},
              "H":{"Type":"Pass","End":true}}}
            """#, invoker: invoker)
        XCTAssertEqual(chain(events), ["ExecutionStarted(1←0)", "TaskStateEntered(2←1)", "TaskScheduled(3←2)", "TaskStarted(4←3)",
                                       "TaskFailed(5←4)", "TaskStateExited(6←5)", "PassStateEntered(7←6)", "PassStateExited(8←7)",
                                       "ExecutionSucceeded(9←8)"])
        XCTAssertEqual(events[4].detailsKey, "taskFailedEventDetails")
        XCTAssertEqual(events[4].detail("resourceType"), "lambda")
        XCTAssertEqual(events[4].detail("resource"), "invoke")
        XCTAssertEqual(events[4].detail("error"), "Boom")
        XCTAssertEqual(events[4].detail("cause"), "no")
        XCTAssertEqual(events[5].detail("output"), #"{"Error":"Boom","Cause":"no"}"#)
    }

    func testRetrySchedulesTheTaskAgainAfterTheBackoff() async throws {
        let clock = VirtualStatesClock()
        let calls = ManagedCounter()
        let invoker = RecordingInvoker { _ in
            if calls.next() < 2 { throw StatesError("Flaky", "again") }
            return "ok"
        }
        let (_, events) = try await execute(#"""
            {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
              "Retry":[{"ErrorEquals":["Flaky"],"IntervalSeconds":2}],"End":true}}}
            """#, invoker: invoker, clock: clock)
        XCTAssertEqual(chain(events), ["ExecutionStarted(1←0)", "TaskStateEntered(2←1)",
                                       "TaskScheduled(3←2)", "TaskStarted(4←3)", "TaskFailed(5←4)",
                                       "TaskScheduled(6←5)", "TaskStarted(7←6)", "TaskFailed(8←7)",
                                       "TaskScheduled(9←8)", "TaskStarted(10←9)", "TaskSucceeded(11←10)",
                                       "TaskStateExited(12←11)", "ExecutionSucceeded(13←12)"])
        XCTAssertEqual(events[5].timestamp - events[4].timestamp, 2_000)
        XCTAssertEqual(events[8].timestamp - events[7].timestamp, 4_000)
    }

    /// The checkpoint is written once the task's state is entered (event 4), before the call.
    func testADurableCheckpointIsCommittedBeforeEachTask() async throws {
        let machine = try StateMachine.parse(#"""
            {"StartAt":"A","States":{
              "A":{"Type":"Pass","Result":{"n":1},"Assign":{"v":"kept"},"Next":"B"},
              "B":{"Type":"Task","Resource":"\#(lambdaArn)","Next":"C"},
              "C":{"Type":"Pass","End":true}}}
            """#)
        let history = InMemoryHistory()
        let clock = VirtualStatesClock()
        _ = await Interpreter(invoker: MockInvoker([lambdaArn: { $0 }]), clock: clock)
            .run(machine, execution: executionInfo(input: [:], startTime: clock.nowMilliseconds()), history: history)
        let checkpoint = await history.lastCheckpoint
        XCTAssertEqual(checkpoint, Checkpoint(stateName: "B", input: ["n": 1], variables: ["v": "kept"], enteredEventId: 4))
    }

    func testResumingFromACheckpointContinuesThereWithItsNumbering() async throws {
        let machine = try StateMachine.parse(#"""
            {"StartAt":"A","States":{
              "A":{"Type":"Pass","Result":"must not run","Next":"B"},
              "B":{"Type":"Task","Resource":"\#(lambdaArn)","Next":"C"},
              "C":{"Type":"Pass","Parameters":{"fromTask.$":"$","v.$":"$v"},"End":true}}}
            """#)
        let invoker = MockInvoker([lambdaArn: { input in ["seen": input] }])
        let (outcome, events) = await runMachine(machine, invoker: invoker,
                                                 checkpoint: Checkpoint(stateName: "B", input: ["n": 1], variables: ["v": "kept"]),
                                                 firstEventId: 7)
        XCTAssertEqual(outcome, .succeeded(["fromTask": ["seen": ["n": 1]], "v": "kept"]))
        XCTAssertEqual(chain(events), ["TaskStateEntered(7←6)", "LambdaFunctionScheduled(8←7)", "LambdaFunctionStarted(9←8)",
                                       "LambdaFunctionSucceeded(10←9)", "TaskStateExited(11←10)", "PassStateEntered(12←11)",
                                       "PassStateExited(13←12)", "ExecutionSucceeded(14←13)"])
        assertWellFormed(events, firstId: 7)
    }

    /// From botocore's stepfunctions model: HistoryEventType and HistoryEvent's details members.
    static let awsEventTypes: Set<String> = [
        "ActivityFailed", "ActivityScheduled", "ActivityScheduleFailed", "ActivityStarted", "ActivitySucceeded", "ActivityTimedOut",
        "ChoiceStateEntered", "ChoiceStateExited", "ExecutionAborted", "ExecutionFailed", "ExecutionStarted", "ExecutionSucceeded",
        "ExecutionTimedOut", "FailStateEntered", "LambdaFunctionFailed", "LambdaFunctionScheduled", "LambdaFunctionScheduleFailed",
        "LambdaFunctionStarted", "LambdaFunctionStartFailed", "LambdaFunctionSucceeded", "LambdaFunctionTimedOut",
        "MapIterationAborted", "MapIterationFailed", "MapIterationStarted", "MapIterationSucceeded", "MapStateAborted",
        "MapStateEntered", "MapStateExited", "MapStateFailed", "MapStateStarted", "MapStateSucceeded", "ParallelStateAborted",
        "ParallelStateEntered", "ParallelStateExited", "ParallelStateFailed", "ParallelStateStarted", "ParallelStateSucceeded",
        "PassStateEntered", "PassStateExited", "SucceedStateEntered", "SucceedStateExited", "TaskFailed", "TaskScheduled",
        "TaskStarted", "TaskStartFailed", "TaskStateAborted", "TaskStateEntered", "TaskStateExited", "TaskSubmitFailed",
        "TaskSubmitted", "TaskSucceeded", "TaskTimedOut", "WaitStateAborted", "WaitStateEntered", "WaitStateExited",
        "MapRunAborted", "MapRunFailed", "MapRunStarted", "MapRunSucceeded", "ExecutionRedriven", "MapRunRedriven",
        "EvaluationFailed",
    ]
    static let awsDetailMembers: Set<String> = [
        "activityFailedEventDetails", "activityScheduleFailedEventDetails", "activityScheduledEventDetails",
        "activityStartedEventDetails", "activitySucceededEventDetails", "activityTimedOutEventDetails", "taskFailedEventDetails",
        "taskScheduledEventDetails", "taskStartFailedEventDetails", "taskStartedEventDetails", "taskSubmitFailedEventDetails",
        "taskSubmittedEventDetails", "taskSucceededEventDetails", "taskTimedOutEventDetails", "executionFailedEventDetails",
        "executionStartedEventDetails", "executionSucceededEventDetails", "executionAbortedEventDetails",
        "executionTimedOutEventDetails", "executionRedrivenEventDetails", "mapStateStartedEventDetails",
        "mapIterationStartedEventDetails", "mapIterationSucceededEventDetails", "mapIterationFailedEventDetails",
        "mapIterationAbortedEventDetails", "lambdaFunctionFailedEventDetails", "lambdaFunctionScheduleFailedEventDetails",
        "lambdaFunctionScheduledEventDetails", "lambdaFunctionStartFailedEventDetails", "lambdaFunctionSucceededEventDetails",
        "lambdaFunctionTimedOutEventDetails", "stateEnteredEventDetails", "stateExitedEventDetails", "mapRunStartedEventDetails",
        "mapRunFailedEventDetails", "mapRunRedrivenEventDetails", "evaluationFailedEventDetails",
    ]

    func testEveryEventTypeAndDetailsMemberIsOneGetExecutionHistoryHas() async throws {
        let invoker = RecordingInvoker { request in
            if request.input["fail"] == true { throw StatesError("Boom", "x") }
            if request.input["timeout"] == true { throw StatesError.timeout("slow") }
            return request.input
        }
        let activity = "arn:aws:states:us-east-1:000000000000:activity:a"
        let machines = [
            #"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"\#(lambdaArn)","Parameters":{"fail":true},"End":true}}}"#,
            #"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"\#(lambdaArn)","Parameters":{"timeout":true},"End":true}}}"#,
            #"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"\#(activity)","Parameters":{"fail":true},"Next":"U"},"#
                + #""U":{"Type":"Task","Resource":"\#(activity)","Parameters":{"timeout":true},"End":true}}}"#,
            #"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"\#(activity)","HeartbeatSeconds":5,"End":true}}}"#,
            #"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::sns:publish","Parameters":{"timeout":true},"#
                + #""Catch":[{"ErrorEquals":["States.ALL"],"Next":"U"}],"End":true},"#
                + #""U":{"Type":"Task","Resource":"arn:aws:states:::sns:publish","Parameters":{"fail":true},"End":true}}}"#,
            #"{"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[{"StartAt":"F","States":{"F":{"Type":"Fail"}}}],"End":true}}}"#,
            #"{"StartAt":"M","States":{"M":{"Type":"Map","ItemProcessor":{"StartAt":"F","States":{"F":{"Type":"Fail"}}},"End":true}}}"#,
            #"{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$","IsNull":true,"Next":"W"}],"Default":"W"},"#
                + #""W":{"Type":"Wait","Seconds":1,"Next":"S"},"S":{"Type":"Succeed"}}}"#,
            #"{"StartAt":"W","TimeoutSeconds":1,"States":{"W":{"Type":"Wait","Seconds":5,"End":true}}}"#,
        ]
        for definition in machines {
            let (_, events) = try await execute(definition, input: [1], invoker: invoker)
            for e in events {
                XCTAssertTrue(Self.awsEventTypes.contains(e.type), "\(e.type) in \(definition)")
                if let key = e.detailsKey { XCTAssertTrue(Self.awsDetailMembers.contains(key), "\(key) in \(definition)") }
            }
        }
    }

    func testEveryRunIsWellFormedEvenWhenNestedAndConcurrent() async throws {
        let (outcome, events) = try await execute(#"""
            {"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[
                {"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.xs",
                  "ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Parallel","Branches":[
                     {"StartAt":"X","States":{"X":{"Type":"Pass","End":true}}},
                     {"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":1,"End":true}}}],"End":true}}},"End":true}}},
                {"StartAt":"Y","States":{"Y":{"Type":"Pass","End":true}}}],"End":true}}}
            """#, input: ["xs": [1, 2, 3, 4]])
        XCTAssertNotNil(output(outcome))
        assertWellFormed(events)
        XCTAssertEqual(events.filter { $0.type == "MapIterationSucceeded" }.count, 4)
        XCTAssertEqual(events.filter { $0.type == "ParallelStateSucceeded" }.count, 5)
    }
}

/// A thread-safe call counter for closures that must be `@Sendable`.
final class ManagedCounter: @unchecked Sendable {
    // @unchecked: `value` is guarded by `lock`.
    private let lock = NSLock()
    private var value = 0
    /// Returns the count before this call.
    func next() -> Int { lock.withLock { defer { value += 1 }; return value } }
}

final class ResumeTests: XCTestCase {
    /// A wait interrupted by a restart lasts only what remained, and its state is not entered twice.
    func testAResumedWaitKeepsItsDeadlineAndItsEnteredEvent() async throws {
        let machine = try StateMachine.parse(#"""
            {"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":100,"Next":"D"},"D":{"Type":"Pass","End":true}}}
            """#)
        let clock = VirtualStatesClock()
        let start = clock.nowMilliseconds()
        let checkpoint = Checkpoint(stateName: "W", input: ["k": 1], variables: [:], enteredEventId: 2, waitUntil: start + 40_000)
        let history = InMemoryHistory()
        let info = ExecutionInfo(executionArn: "arn:aws:states:us-east-1:000000000000:execution:m:e", name: "e",
                                 stateMachineArn: "arn:aws:states:us-east-1:000000000000:stateMachine:m", stateMachineName: "m",
                                 roleArn: "arn:aws:iam::000000000000:role/r", startTime: start, input: ["k": 1])
        let outcome = await Interpreter(invoker: MockInvoker([:]), clock: clock)
            .run(machine, execution: info, history: history, resumeFrom: checkpoint, firstEventId: 3)
        XCTAssertEqual(outcome, .succeeded(["k": 1]))
        XCTAssertEqual(clock.nowMilliseconds() - start, 40_000)
        let events = await history.events
        XCTAssertEqual(events.map(\.type), ["WaitStateExited", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"])
        XCTAssertEqual(events.first?.previousEventId, 2)
        XCTAssertEqual(events.first?.id, 3)
    }
}
