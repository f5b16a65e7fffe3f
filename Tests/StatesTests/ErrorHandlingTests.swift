import JSON
import XCTest
@testable import States

/// Retry, Catch, terminal errors, limits, timeouts and cancellation.
final class ErrorHandlingTests: XCTestCase {
    /// Fails with the listed errors in turn, then succeeds; records when each call came.
    final class Script: @unchecked Sendable {
        // @unchecked: mutable state is guarded by `lock`.
        private let lock = NSLock()
        private var remaining: [String]
        private(set) var times: [Int64] = []
        let clock: StatesClock

        init(_ errors: [String], clock: StatesClock) {
            remaining = errors
            self.clock = clock
        }

        var invoker: RecordingInvoker {
            RecordingInvoker { _ in try self.next() }
        }

        func next() throws -> JSONValue {
            let error: String? = lock.withLock {
                times.append(clock.nowMilliseconds())
                return remaining.isEmpty ? nil : remaining.removeFirst()
            }
            if let error { throw StatesError(error, "cause of \(error)") }
            return "done"
        }

        var gaps: [Int64] { zip(times.dropFirst(), times).map { $0 - $1 } }
    }

    /// A Task with the given Retry and Catch; handler states X, Y, Z (each answering "caught …")
    /// exist when a catcher names them, since unreachable states would not validate.
    func task(retry: String = "[]", catch catchers: String = "[]") -> String {
        let handlers = ["X", "Y", "Z"].filter { catchers.contains(#""Next":"\#($0)""#) }
            .map { #","\#($0)":{"Type":"Pass","Result":"caught \#($0)","End":true}"# }.joined()
        return #"""
            {"StartAt":"T","States":{
              "T":{"Type":"Task","Resource":"\#(lambdaArn)","Retry":\#(retry),"Catch":\#(catchers),"End":true}\#(handlers)}}
            """#
    }

    // MARK: - Retry

    func testBackoffIsIntervalTimesRateToTheAttemptOnTheVirtualClock() async throws {
        let clock = VirtualStatesClock()
        let script = Script(["E", "E", "E"], clock: clock)
        let (outcome, _) = try await execute(task(retry: #"[{"ErrorEquals":["E"],"IntervalSeconds":3,"MaxAttempts":3,"BackoffRate":1.5}]"#,
                                                  catch: #"[{"ErrorEquals":["States.ALL"],"Next":"Z"}]"#),
                                             invoker: script.invoker, clock: clock)
        XCTAssertEqual(outcome, .succeeded("done"))
        XCTAssertEqual(script.gaps, [3_000, 4_500, 6_750])
    }

    func testDefaultsRetryThreeTimesAfterOneTwoAndFourSeconds() async throws {
        let clock = VirtualStatesClock()
        let script = Script(["E", "E", "E", "E"], clock: clock)
        let (outcome, _) = try await execute(task(retry: #"[{"ErrorEquals":["E"]}]"#), invoker: script.invoker, clock: clock)
        XCTAssertEqual(outcome, .failed(StatesError("E", "cause of E")))
        XCTAssertEqual(script.gaps, [1_000, 2_000, 4_000])
    }

    func testMaxDelaySecondsCapsTheBackoff() async throws {
        let clock = VirtualStatesClock()
        let script = Script(["E", "E", "E", "E"], clock: clock)
        let (outcome, _) = try await execute(
            task(retry: #"[{"ErrorEquals":["E"],"IntervalSeconds":10,"BackoffRate":3,"MaxAttempts":4,"MaxDelaySeconds":50}]"#),
            invoker: script.invoker, clock: clock)
        XCTAssertEqual(outcome, .succeeded("done"))
        XCTAssertEqual(script.gaps, [10_000, 30_000, 50_000, 50_000])
    }

    func testFullJitterStaysBetweenZeroAndTheBackoff() {
        let retrier = Retrier(errorEquals: ["E"], intervalSeconds: 2, maxAttempts: 5, backoffRate: 2, maxDelaySeconds: 10,
                              jitterStrategy: .full)
        for attempt in 0..<5 {
            let ceiling = Int64(min(2 * pow(2, Double(attempt)), 10) * 1000)
            for _ in 0..<50 { XCTAssertTrue((0...ceiling).contains(retrier.delay(forAttempt: attempt)), "attempt \(attempt)") }
        }
    }

    func testMaxAttemptsZeroNeverRetriesThatError() async throws {
        // AWS's own example: retry everything except States.Timeout.
        let retry = #"[{"ErrorEquals":["States.Timeout"],"MaxAttempts":0},{"ErrorEquals":["States.ALL"]}]"#
        let clock = VirtualStatesClock()
        let timeouts = Script(["States.Timeout"], clock: clock)
        let (timedOut, _) = try await execute(task(retry: retry), invoker: timeouts.invoker, clock: clock)
        XCTAssertEqual(timedOut, .failed(StatesError("States.Timeout", "cause of States.Timeout")))
        XCTAssertEqual(timeouts.times.count, 1)

        let others = Script(["Other", "Other", "Other"], clock: clock)
        let (recovered, _) = try await execute(task(retry: retry), invoker: others.invoker, clock: clock)
        XCTAssertEqual(recovered, .succeeded("done"))
        XCTAssertEqual(others.times.count, 4)
    }

    func testEachRetrierCountsItsOwnAttempts() async throws {
        // AWS's "complex retry scenario": ErrorA, ErrorB, ErrorC, ErrorB, ErrorB.
        let clock = VirtualStatesClock()
        let script = Script(["ErrorA", "ErrorB", "ErrorC", "ErrorB", "ErrorB"], clock: clock)
        let (outcome, events) = try await execute(task(
            retry: #"[{"ErrorEquals":["ErrorA","ErrorB"],"IntervalSeconds":1,"BackoffRate":2.0,"MaxAttempts":2},"#
                + #"{"ErrorEquals":["ErrorC"],"IntervalSeconds":5}]"#,
            catch: #"[{"ErrorEquals":["States.ALL"],"Next":"Z"}]"#), invoker: script.invoker, clock: clock)
        XCTAssertEqual(outcome, .succeeded("caught Z"))
        XCTAssertEqual(script.times.count, 5)
        XCTAssertEqual(script.gaps, [1_000, 2_000, 5_000, 4_000])
        XCTAssertEqual(events.filter { $0.type == "LambdaFunctionFailed" }.count, 5)
    }

    func testRetryingAParallelRunsEveryBranchAgain() async throws {
        let clock = VirtualStatesClock()
        let script = Script(["E"], clock: clock)
        let (outcome, events) = try await execute(#"""
            {"StartAt":"P","States":{"P":{"Type":"Parallel","Retry":[{"ErrorEquals":["E"]}],"Branches":[
                {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"\#(lambdaArn)","End":true}}},
                {"StartAt":"A","States":{"A":{"Type":"Pass","Result":"a","End":true}}}],"End":true}}}
            """#, invoker: script.invoker, clock: clock)
        XCTAssertEqual(outcome, .succeeded(["done", "a"]))
        XCTAssertEqual(events.filter { $0.type == "ParallelStateStarted" }.count, 2)
        XCTAssertEqual(events.filter { $0.type == "ParallelStateFailed" }.count, 1)
    }

    // MARK: - Catch

    func testTheFirstMatchingCatcherWins() async throws {
        let catchers = #"[{"ErrorEquals":["Other"],"Next":"X"},{"ErrorEquals":["Nope","Boom"],"Next":"Y"},"#
            + #"{"ErrorEquals":["States.ALL"],"Next":"Z"}]"#
        let cases: [(String, JSONValue)] = [("Boom", "caught Y"), ("Other", "caught X"), ("Anything", "caught Z"),
                                             ("States.TaskFailed", "caught Z"), ("States.Timeout", "caught Z")]
        for (error, expected) in cases {
            let (outcome, _) = try await execute(task(catch: catchers), invoker: Script([error], clock: VirtualStatesClock()).invoker)
            XCTAssertEqual(outcome, .succeeded(expected), error)
        }
    }

    func testRetryComesBeforeCatchAndTheCatchGetsTheLastError() async throws {
        let clock = VirtualStatesClock()
        let script = Script(["E1", "E2"], clock: clock)
        let (outcome, _) = try await execute(#"""
            {"StartAt":"T","States":{
              "T":{"Type":"Task","Resource":"\#(lambdaArn)","Retry":[{"ErrorEquals":["E1"]}],
                   "Catch":[{"ErrorEquals":["E1","E2"],"ResultPath":"$.error","Next":"H"}],"End":true},
              "H":{"Type":"Pass","End":true}}}
            """#, input: ["keep": true], invoker: script.invoker, clock: clock)
        XCTAssertEqual(outcome, .succeeded(["keep": true, "error": ["Error": "E2", "Cause": "cause of E2"]]))
        XCTAssertEqual(script.times.count, 2)
    }

    func testTaskFailedMatchesEverythingButTimeouts() async throws {
        let catchers = #"[{"ErrorEquals":["States.TaskFailed"],"Next":"X"},{"ErrorEquals":["States.Timeout"],"Next":"Y"}]"#
        for (error, expected) in [("Custom", "caught X"), ("Lambda.Unknown", "caught X"), ("States.Timeout", "caught Y")] {
            let (outcome, _) = try await execute(task(catch: catchers), invoker: Script([error], clock: VirtualStatesClock()).invoker)
            XCTAssertEqual(outcome, .succeeded(.string(expected)), error)
        }
    }

    func testStatesAllNeitherRetriesNorCatchesRuntimeErrors() async throws {
        let invoker = RecordingInvoker { _ in ["shape": "unexpected"] }
        let (outcome, events) = try await execute(#"""
            {"StartAt":"T","States":{
              "T":{"Type":"Task","Resource":"\#(lambdaArn)","ResultSelector":{"x.$":"$.missing"},
                   "Retry":[{"ErrorEquals":["States.ALL"]}],"Catch":[{"ErrorEquals":["States.ALL"],"Next":"H"}],"End":true},
              "H":{"Type":"Pass","End":true}}}
            """#, invoker: invoker)
        guard case .failed(let error) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(error.error, "States.Runtime")
        XCTAssertEqual(invoker.requests.count, 1)
        XCTAssertFalse(events.contains { $0.type == "PassStateEntered" })
    }

    func testStatesAllNeitherRetriesNorCatchesDataLimitExceeded() async throws {
        let big = JSONValue.string(String(repeating: "x", count: 300_000))
        let invoker = RecordingInvoker { _ in big }
        let (outcome, _) = try await execute(task(retry: #"[{"ErrorEquals":["States.ALL"]}]"#,
                                                  catch: #"[{"ErrorEquals":["States.ALL"],"Next":"Z"}]"#), invoker: invoker)
        guard case .failed(let error) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(error.error, "States.DataLimitExceeded")
        XCTAssertEqual(invoker.requests.count, 1)
    }

    func testPayloadLimitIsExactly256KiB() async throws {
        // A JSON string serializes with its two quotes: 262,142 characters are 262,144 bytes.
        for (length, fits) in [(262_142, true), (262_143, false)] {
            let invoker = RecordingInvoker { _ in .string(String(repeating: "y", count: length)) }
            let (outcome, _) = try await execute(#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"\#(lambdaArn)","End":true}}}"#,
                                                 invoker: invoker)
            if fits {
                XCTAssertEqual(output(outcome)?.stringValue?.count, length)
            } else {
                guard case .failed(let error) = outcome else { XCTFail("\(length): \(outcome)"); continue }
                XCTAssertEqual(error.error, "States.DataLimitExceeded")
            }
        }
    }

    func testAnOversizedInputFailsTheStateItEnters() async throws {
        let (outcome, events) = try await execute(#"{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}"#,
                                                  input: ["s": .string(String(repeating: "z", count: 270_000))])
        guard case .failed(let error) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(error.error, "States.DataLimitExceeded")
        XCTAssertEqual(events.map(\.type), ["ExecutionStarted", "PassStateEntered", "ExecutionFailed"])
    }

    // MARK: - Parallel and Map failures

    func testAFailingBranchFailsTheParallelWithTheBranchsError() async throws {
        let parallel = #"""
            {"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[
                {"StartAt":"Ok","States":{"Ok":{"Type":"Pass","End":true}}},
                {"StartAt":"Bad","States":{"Bad":{"Type":"Fail","Error":"BranchBoom","Cause":"branch 2"}}}]
              CATCH,"End":true}HANDLER}}
            """#
        let uncaught = parallel.replacingOccurrences(of: "CATCH", with: "").replacingOccurrences(of: "HANDLER", with: "")
        let (outcome, events) = try await execute(uncaught)
        XCTAssertEqual(outcome, .failed(StatesError("BranchBoom", "branch 2")))
        let failed = try XCTUnwrap(events.first { $0.type == "ParallelStateFailed" })
        XCTAssertNil(failed.detailsKey, "HistoryEvent has no parallelStateFailedEventDetails member")
        XCTAssertFalse(events.contains { $0.type == "ParallelStateExited" })

        let caught = parallel.replacingOccurrences(of: "CATCH", with: #","Catch":[{"ErrorEquals":["BranchBoom"],"Next":"H"}]"#)
            .replacingOccurrences(of: "HANDLER", with: #","H":{"Type":"Pass","End":true}"#)
        let (handled, _) = try await execute(caught, input: ["in": 1])
        XCTAssertEqual(handled, .succeeded(["Error": "BranchBoom", "Cause": "branch 2"]))
    }

    func testNoChoiceMatchedInABranchIsCatchableOnTheParallel() async throws {
        let (outcome, _) = try await execute(#"""
            {"StartAt":"P","States":{
              "P":{"Type":"Parallel","Branches":[{"StartAt":"C","States":{
                  "C":{"Type":"Choice","Choices":[{"Variable":"$.x","IsPresent":true,"Next":"D"}]},"D":{"Type":"Succeed"}}}],
                "Catch":[{"ErrorEquals":["States.NoChoiceMatched"],"ResultPath":"$.why","Next":"H"}],"End":true},
              "H":{"Type":"Pass","OutputPath":"$.why.Error","End":true}}}
            """#)
        XCTAssertEqual(outcome, .succeeded("States.NoChoiceMatched"))
    }

    func mapMachine(_ fields: String) -> String {
        #"""
        {"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":1\#(fields),
          "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"C","States":{
            "C":{"Type":"Choice","Choices":[{"Variable":"$.ok","BooleanEquals":false,"Next":"F"}],"Default":"S"},
            "F":{"Type":"Fail","Error":"ItemBoom","Cause":"bad item"},
            "S":{"Type":"Succeed"}}},"End":true}}}
        """#
    }

    func items(failing: Int, of total: Int) -> JSONValue {
        .array((0..<total).map { i in ["ok": .bool(i >= failing), "i": .integer(i)] })
    }

    func testAFailingIterationFailsTheMapWithItsError() async throws {
        let (outcome, events) = try await execute(mapMachine(""), input: items(failing: 1, of: 3))
        XCTAssertEqual(outcome, .failed(StatesError("ItemBoom", "bad item")))
        XCTAssertEqual(events.filter { $0.type == "MapIterationFailed" }.count, 1)
        XCTAssertEqual(events.filter { $0.type == "MapStateFailed" }.count, 1)
    }

    func testToleratedFailureThresholds() async throws {
        let cases: [(String, Int, Bool)] = [
            (#","ToleratedFailureCount":1"#, 1, true), (#","ToleratedFailureCount":1"#, 2, false),
            (#","ToleratedFailureCount":0"#, 1, false),
            (#","ToleratedFailurePercentage":50"#, 2, true), (#","ToleratedFailurePercentage":50"#, 3, false),
            (#","ToleratedFailurePercentage":100"#, 4, true),
            (#","ToleratedFailureCountPath":"$$.Execution.Input[0].i""#, 1, false),
        ]
        for (fields, failing, succeeds) in cases {
            let (outcome, _) = try await execute(mapMachine(fields), input: items(failing: failing, of: 4))
            if succeeds {
                guard case .succeeded(let value) = outcome else { XCTFail("\(fields) \(failing): \(outcome)"); continue }
                XCTAssertEqual(value.arrayValue?.count, 4)
            } else {
                guard case .failed(let error) = outcome else { XCTFail("\(fields) \(failing): \(outcome)"); continue }
                XCTAssertEqual(error.error, "States.ExceedToleratedFailureThreshold", "\(fields) \(failing)")
            }
        }
    }

    // MARK: - Fail state

    func testFailStateErrorAndCauseFromPathsAndIntrinsics() async throws {
        let (outcome, _) = try await execute(#"""
            {"StartAt":"F","States":{"F":{"Type":"Fail","ErrorPath":"$.e","CausePath":"States.Format('n={}', $.n)"}}}
            """#, input: ["e": "Custom.Error", "n": 3])
        XCTAssertEqual(outcome, .failed(StatesError("Custom.Error", "n=3")))
        let (bad, _) = try await execute(#"{"StartAt":"F","States":{"F":{"Type":"Fail","ErrorPath":"$.e"}}}"#, input: ["e": 1])
        guard case .failed(let error) = bad else { return XCTFail("\(bad)") }
        XCTAssertEqual(error.error, "States.Runtime")
    }

    // MARK: - timeouts and cancellation

    func testMachineTimeoutOnTheVirtualClock() async throws {
        let clock = VirtualStatesClock()
        let start = clock.nowMilliseconds()
        let (outcome, events) = try await execute(#"""
            {"StartAt":"W","TimeoutSeconds":10,"States":{"W":{"Type":"Wait","Seconds":3600,"Next":"Never"},"Never":{"Type":"Succeed"}}}
            """#, clock: clock)
        XCTAssertEqual(outcome, .timedOut)
        XCTAssertEqual(clock.nowMilliseconds() - start, 10_000)
        XCTAssertEqual(events.map(\.type), ["ExecutionStarted", "WaitStateEntered", "ExecutionTimedOut"])
        XCTAssertEqual(events.last?.detail("error"), "States.Timeout")
    }

    func testARetryBackoffPastTheMachineTimeoutTimesOutWithoutRetrying() async throws {
        let clock = VirtualStatesClock()
        let start = clock.nowMilliseconds()
        let script = Script(["E", "E"], clock: clock)
        let (outcome, _) = try await execute(#"""
            {"StartAt":"T","TimeoutSeconds":60,"States":{"T":{"Type":"Task","Resource":"\#(lambdaArn)",
              "Retry":[{"ErrorEquals":["E"],"IntervalSeconds":100}],"End":true}}}
            """#, invoker: script.invoker, clock: clock)
        XCTAssertEqual(outcome, .timedOut)
        XCTAssertEqual(script.times.count, 1)
        XCTAssertEqual(clock.nowMilliseconds() - start, 60_000)
    }

    func testWaitUntilATimestampOrAPathOnTheVirtualClock() async throws {
        let clock = VirtualStatesClock(startMilliseconds: 1_767_225_600_000)
        let (outcome, _) = try await execute(#"""
            {"StartAt":"A","States":{
              "A":{"Type":"Wait","Timestamp":"2026-01-01T01:00:00Z","Next":"B"},
              "B":{"Type":"Wait","SecondsPath":"$.s","Next":"C"},
              "C":{"Type":"Wait","TimestampPath":"$.t","Next":"D"},
              "D":{"Type":"Wait","Timestamp":"2000-01-01T00:00:00Z","End":true}}}
            """#, input: ["s": 30, "t": "2026-01-01T03:00:00+02:00"], clock: clock)
        XCTAssertEqual(outcome, .succeeded(["s": 30, "t": "2026-01-01T03:00:00+02:00"]))
        XCTAssertEqual(clock.nowMilliseconds(), 1_767_225_600_000 + 3_600_000 + 30_000)
        for (input, path) in [(#"{"s":-1}"#, "SecondsPath"), (#"{"s":"5"}"#, "SecondsPath"), (#"{"t":"tomorrow"}"#, "TimestampPath")] {
            let field = path == "SecondsPath" ? #""SecondsPath":"$.s""# : #""TimestampPath":"$.t""#
            let (bad, _) = try await execute(#"{"StartAt":"W","States":{"W":{"Type":"Wait",\#(field),"End":true}}}"#, input: json(input))
            guard case .failed(let error) = bad else { XCTFail("\(input): \(bad)"); continue }
            XCTAssertEqual(error.error, "States.Runtime", input)
        }
    }

    func testTaskTimeoutSecondsWithARealClock() async throws {
        let slow = RecordingInvoker { _ in
            try await Task.sleep(nanoseconds: 10_000_000_000)
            return "too late"
        }
        let started = Date()
        let (outcome, events) = try await execute(#"""
            {"StartAt":"T","States":{
              "T":{"Type":"Task","Resource":"\#(lambdaArn)","TimeoutSeconds":1,
                   "Catch":[{"ErrorEquals":["States.TaskFailed"],"Next":"Wrong"},{"ErrorEquals":["States.Timeout"],"Next":"H"}],
                   "End":true},
              "Wrong":{"Type":"Fail"},
              "H":{"Type":"Pass","OutputPath":"$.Error","End":true}}}
            """#, invoker: slow, clock: SystemStatesClock())
        let elapsed = Date().timeIntervalSince(started)
        XCTAssertEqual(outcome, .succeeded("States.Timeout"))
        XCTAssertGreaterThanOrEqual(elapsed, 0.9)
        XCTAssertTrue(events.contains { $0.type == "LambdaFunctionTimedOut" })
    }

    func testTaskTimeoutIsIgnoredOnTheVirtualClock() async throws {
        let invoker = RecordingInvoker { _ in "fine" }
        let (outcome, _) = try await execute(#"""
            {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"\#(lambdaArn)","TimeoutSeconds":1,"End":true}}}
            """#, invoker: invoker)
        XCTAssertEqual(outcome, .succeeded("fine"))
        XCTAssertEqual(invoker.requests.first?.timeoutSeconds, 1)
    }

    func testCancellingTheRunningTaskAbortsTheExecution() async throws {
        let blocking = RecordingInvoker { _ in
            try await Task.sleep(nanoseconds: 30_000_000_000)
            return "never"
        }
        let machine = try StateMachine.parse(#"""
            {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"\#(lambdaArn)",
              "Catch":[{"ErrorEquals":["States.ALL"],"Next":"H"}],"End":true},"H":{"Type":"Succeed"}}}
            """#)
        let history = InMemoryHistory()
        let clock = SystemStatesClock()
        let run = Task {
            await Interpreter(invoker: blocking, clock: clock).run(machine, execution: executionInfo(input: [:], startTime: clock.nowMilliseconds()),
                                                                    history: history)
        }
        for _ in 0..<500 where blocking.requests.isEmpty { try await Task.sleep(nanoseconds: 2_000_000) }
        XCTAssertEqual(blocking.requests.count, 1)
        run.cancel()
        let outcome = await run.value
        XCTAssertEqual(outcome, .aborted)
        let events = await history.events
        XCTAssertEqual(events.last?.type, "ExecutionAborted")
        XCTAssertFalse(events.contains { $0.type == "SucceedStateEntered" })
    }

    func testCancellingDuringAWaitOnTheRealClockAborts() async throws {
        let machine = try StateMachine.parse(#"{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":60,"End":true}}}"#)
        let history = InMemoryHistory()
        let clock = SystemStatesClock()
        let run = Task {
            await Interpreter(invoker: MockInvoker([:]), clock: clock).run(
                machine, execution: executionInfo(input: [:], startTime: clock.nowMilliseconds()), history: history)
        }
        for _ in 0..<500 where await history.events.count < 2 { try await Task.sleep(nanoseconds: 2_000_000) }
        run.cancel()
        let outcome = await run.value
        XCTAssertEqual(outcome, .aborted)
        let types = await history.events.map(\.type)
        XCTAssertEqual(types, ["ExecutionStarted", "WaitStateEntered", "ExecutionAborted"])
    }
}
