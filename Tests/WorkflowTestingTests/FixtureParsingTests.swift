import JSON
import States
import XCTest
@testable import WorkflowTesting

final class WorkflowTestingTests: XCTestCase {
    func testMockConfigRangesPickTheResponseByInvocationAndRepeatTheLast() throws {
        let config = try MockConfig.parse(try JSONValue.parse("""
            {"StateMachines": {"m": {"TestCases": {"Case": {"Pay": "Retried"}}}},
             "MockedResponses": {"Retried": {"0": {"Throw": {"Error": "Busy", "Cause": "later"}},
                                             "1-2": {"Throw": {"Error": "Slow", "Cause": ""}},
                                             "3": {"Return": {"ok": true}}}}}
            """))
        let pay = try XCTUnwrap(config.testCase("Case", stateMachine: "m")?["Pay"])
        XCTAssertEqual(pay.response(forInvocation: 0), .throwing(error: "Busy", cause: "later"))
        XCTAssertEqual(pay.response(forInvocation: 2), .throwing(error: "Slow", cause: ""))
        XCTAssertEqual(pay.response(forInvocation: 3), .returns(["ok": true]))
        XCTAssertEqual(pay.response(forInvocation: 9), .returns(["ok": true]))
        XCTAssertNil(config.testCase("Other", stateMachine: "m"))
    }

    func testSubsetDiffNamesEveryDifferenceByPath() {
        let lines = JSONMatch.differences(["a": ["b": 1, "c": ["$regex": "^x"]], "d": ["$exists": false]],
                                          ["a": ["b": 2, "c": "yz", "extra": true], "d": 1], subset: true)
        XCTAssertEqual(lines, ["$.a.b: expected 1, got 2", "$.a.c: expected $regex \"^x\", got \"yz\"",
                               "$.d: expected $exists false, got 1"])
        XCTAssertEqual(JSONMatch.differences(["a": 1], ["a": 1, "b": 2], subset: false), ["$.b: unexpected 2"])
    }

    func testSeededRunsRepeatTheirUUIDs() async throws {
        func uuid(_ seed: UInt64) async throws -> JSONValue {
            let machine = try StateMachine.parse("""
                {"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"id.$": "States.UUID()"}, "End": true}}}
                """)
            let interpreter = Interpreter(invoker: MockingTaskInvoker(mocks: [:]), clock: VirtualStatesClock())
            let info = ExecutionInfo(executionArn: "arn:aws:states:us-east-1:0:execution:m:e", name: "e",
                                     stateMachineArn: "arn:aws:states:us-east-1:0:stateMachine:m", stateMachineName: "m",
                                     roleArn: "r", startTime: 0, input: [:])
            let outcome = await StatesRandomness.$source.withValue(SeededRandomSource(seed: seed)) {
                await interpreter.run(machine, execution: info, history: InMemoryHistory())
            }
            guard case .succeeded(let output) = outcome else { throw FixtureError("failed: \(outcome)") }
            return output
        }
        let a = try await uuid(7), b = try await uuid(7), c = try await uuid(8)
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, c)
        XCTAssertEqual(a["id"]?.stringValue?.count, 36)
    }

    func testRunnerReportsRetriesVirtualTimeAndWhereThePathDiverged() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wft-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try """
            {"StartAt": "Call", "States": {
              "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "Week",
                       "Retry": [{"ErrorEquals": ["Busy"], "IntervalSeconds": 3, "MaxAttempts": 2}]},
              "Week": {"Type": "Wait", "Seconds": 604800, "Next": "Done"},
              "Done": {"Type": "Succeed"}}}
            """.write(to: folder.appendingPathComponent("m.asl.json"), atomically: true, encoding: .utf8)
        let fixture = folder.appendingPathComponent("t.json").path
        try """
            {"definition": "m", "mocks": {"Call": {"sequence": [{"error": "Busy", "times": 2}, {"payload": {"ok": true}}]}},
             "tests": [{"name": "right", "expect": {"retries": {"Call": 2}, "virtualSeconds": 604809}},
                       {"name": "wrong", "expect": {"states": ["Call", "Done"]}}]}
            """.write(toFile: fixture, atomically: true, encoding: .utf8)
        let loaded = FixtureLoader.load(paths: [fixture], definitionsDirectory: folder.path)
        XCTAssertTrue(loaded.errors.isEmpty, "\(loaded.errors)")
        let results = await WorkflowTestRunner().run(loaded.tests)
        XCTAssertEqual(results.map(\.outcome), [.passed, .failed])
        XCTAssertEqual(results[1].mismatches.first?.divergedAt, "Call")
        XCTAssertEqual(results[1].mismatches.first?.lines.first, "diverged after Call (state #2): expected Done, got Week")
        let junit = JUnitReport.render(results, seconds: 0.1)
        XCTAssertTrue(junit.contains("<testsuites name=\"offcloud test\" tests=\"2\" failures=\"1\" errors=\"0\""))
        let coverage = DefinitionCoverage.compute(results)
        XCTAssertEqual(coverage.first?.retriers.map(\.covered), [true])
    }
}
