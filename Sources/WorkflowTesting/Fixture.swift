import JSON
import States

/// One workflow test: a definition, an input, mocked Task results, the execution's
/// context and what the run must show.
public struct FixtureTest: Sendable {
    /// The fixture file the test came from, and its position there.
    public var file: String
    public var index: Int
    public var name: String
    /// The resolved definition file.
    public var definitionPath: String
    public var substitutions: [String: String]
    public var input: JSONValue
    public var mocks: [String: StateMock]
    /// A Step Functions Local test case (`--mock-config`), by name.
    public var mockTestCase: String?
    public var mockConfigPath: String?
    public var context: TestContext
    public var seed: UInt64
    public var expect: Expectations
    /// Expectation keys `--update` rewrites from the actual run.
    public var update: [String]

    /// `file > name`, as `--filter` and reports see it.
    public var fullName: String { "\(file) > \(name)" }
    /// The definition's name: its file name without `.asl.json`.
    public var definitionName: String { DefinitionCatalog.machineName(definitionPath) }
}

/// How a Task state is answered in a test.
public enum StateMock: Sendable {
    /// Results and errors by invocation (first call, retries…).
    case responses(MockedResponses)
    /// A Swift handler registered in `LambdaHandlers`, called with the Task's payload.
    case handler(name: String, environment: [String: String])
}

public struct TestContext: Sendable {
    public var executionName: String?
    /// Epoch milliseconds; the virtual clock starts here.
    public var startTime: Int64?
}

/// What a test checks; nil or empty members are not checked.
public struct Expectations: Sendable {
    public var status: String?
    public var output: JSONValue?
    public var outputContains: JSONValue?
    /// JSONPath → value or matcher (`{"$regex": …}`, `{"$exists": true}`, …).
    public var outputMatches: [(path: String, expected: JSONValue)] = []
    public var error: String?
    public var cause: String?
    /// Every state entered, in order (nested states included).
    public var states: [String]?
    /// State name → number of retries.
    public var retries: [String: Int] = [:]
    /// The variables at the end: a subset, with matchers.
    public var variables: JSONValue?
    /// History event types, exactly and in order.
    public var history: [String]?
    /// History event types that must appear (in this order, not necessarily adjacent).
    public var historyContains: [String]?
    /// Virtual seconds from start to end.
    public var virtualSeconds: Double?

    public var isEmpty: Bool {
        status == nil && output == nil && outputContains == nil && outputMatches.isEmpty && error == nil && cause == nil
            && states == nil && retries.isEmpty && variables == nil && history == nil && historyContains == nil && virtualSeconds == nil
    }
}
