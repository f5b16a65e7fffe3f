import States

/// Step Functions Local's `#TestCaseName`: StartExecution on `…:stateMachine:name#Case`
/// runs the machine with the mocked responses of test case `Case` in the mock
/// configuration the server was started with (`offcloud serve --mock-config`).
/// States without a mock in the case call their services as usual.
extension StepFunctionsService {
    /// The state machine ARN without its `#TestCase` suffix, and the case.
    func mockTestCase(in requested: String) throws -> (String, String?) {
        guard let hash = requested.lastIndex(of: "#") else { return (requested, nil) }
        let arn = String(requested[..<hash]), testCase = String(requested[requested.index(after: hash)...])
        guard let mockConfig else {
            throw SFNError.invalidArn(requested)
        }
        let machine = SFNArn(arn)?.parts.first ?? ""
        guard mockConfig.testCase(testCase, stateMachine: machine) != nil else {
            throw SFNError.validation("The mock configuration has no test case '\(testCase)' for state machine '\(machine)'.")
        }
        return (arn, testCase)
    }

    /// The invoker an execution runs with: mocked when it was started with a test case.
    func mockedInvoker(_ executionArn: String, stateMachine: String, fallback: any TaskInvoker) -> any TaskInvoker {
        guard let testCase = mockedExecutions.value[executionArn],
              let mocks = mockConfig?.testCase(testCase, stateMachine: stateMachine) else { return fallback }
        return MockingTaskInvoker(mocks: mocks, fallback: fallback)
    }
}
