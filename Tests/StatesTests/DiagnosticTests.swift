import XCTest
@testable import States

final class DiagnosticTests: XCTestCase {
    func testPointerTokensAreEscapedAsRFC6901Says() {
        XCTAssertEqual(pointer("", "States"), "/States")
        XCTAssertEqual(pointer(pointer("", "States"), "a/b~c"), "/States/a~1b~0c")
        XCTAssertEqual(pointer("/States/Pay/Retry", 0), "/States/Pay/Retry/0")
    }

    func testDiagnosticsCollectEveryProblemAndKnowWhetherAnyIsAnError() {
        var diagnostics = Diagnostics()
        XCTAssertFalse(diagnostics.hasErrors)
        diagnostics.append(Diagnostic("NO_DOLLAR", "looks like a path", at: "/States/A/Parameters/x", severity: .warning))
        XCTAssertFalse(diagnostics.hasErrors)
        diagnostics.error("must be >= 1.0", at: "/States/Pay/Retry/0/BackoffRate")
        XCTAssertTrue(diagnostics.hasErrors)
        XCTAssertEqual(diagnostics.items.map(\.description), [
            "NO_DOLLAR: looks like a path at /States/A/Parameters/x",
            "SCHEMA_VALIDATION_FAILED: must be >= 1.0 at /States/Pay/Retry/0/BackoffRate",
        ])
    }

    func testTerminalErrorsEscapeStatesAllAndTaskFailedSkipsTimeouts() {
        XCTAssertTrue(["States.ALL"].matches("Lambda.ServiceException"))
        XCTAssertFalse(["States.ALL"].matches("States.Runtime"))
        XCTAssertFalse(["States.ALL"].matches("States.DataLimitExceeded"))
        XCTAssertTrue(["States.TaskFailed"].matches("CustomError"))
        XCTAssertFalse(["States.TaskFailed"].matches("States.Timeout"))
        XCTAssertTrue(["States.Timeout"].matches("States.Timeout"))
        XCTAssertFalse(["A", "B"].matches("C"))
    }
}
