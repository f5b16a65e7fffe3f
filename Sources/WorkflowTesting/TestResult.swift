import JSON
import States

/// What one run did.
public struct ActualRun: Sendable {
    public var status: String
    public var output: JSONValue?
    public var error: String?
    public var cause: String?
    /// Every state entered, in order.
    public var states: [String]
    /// State name → retries made.
    public var retries: [String: Int]
    public var variables: JSONValue
    public var history: [HistoryEvent]
    public var virtualSeconds: Double
    public var choices: [ChoiceTaken]
    public var retriesTaken: [BranchTaken]
    public var catches: [BranchTaken]
    /// The state the execution failed in, when it failed.
    public var failedState: String?
    public var trace: [TraceStep]
}

/// One expectation that did not hold.
public struct Mismatch: Sendable {
    public var field: String
    /// The difference, one line each (`$.payment.status: expected "APPROVED", got "DECLINED"`).
    public var lines: [String]
    /// The state where expected and actual parted.
    public var divergedAt: String?
}

public struct TestResult: Sendable {
    public enum Outcome: Sendable, Equatable {
        case passed, failed
        /// The test could not run (a bad fixture, a definition that does not parse).
        case error(String)
    }
    public var test: FixtureTest
    public var outcome: Outcome
    public var mismatches: [Mismatch]
    public var actual: ActualRun?
    /// Wall-clock seconds.
    public var seconds: Double

    public var passed: Bool { outcome == .passed }
}
