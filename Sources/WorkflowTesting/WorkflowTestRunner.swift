import Foundation
import JSON
import Lambda
import States

/// Runs fixture tests in-process: each on its own virtual clock, history, mocks and
/// seeded randomness, so tests run in parallel without seeing each other.
public struct WorkflowTestRunner: Sendable {
    public var handlers: LambdaHandlers
    /// Step Functions Local mock configuration for tests that name a `testCase`.
    public var mockConfig: MockConfig?
    /// Tests running at once.
    public var concurrency: Int
    let catalog = DefinitionCatalog()
    let mockConfigs = MockConfigCache()

    public init(handlers: LambdaHandlers = LambdaHandlers(), mockConfig: MockConfig? = nil,
                concurrency: Int = max(4, ProcessInfo.processInfo.activeProcessorCount * 4)) {
        self.handlers = handlers
        self.mockConfig = mockConfig
        self.concurrency = concurrency
    }

    /// Every test's result, in the order given.
    public func run(_ tests: [FixtureTest]) async -> [TestResult] {
        await withTaskGroup(of: (Int, TestResult).self) { group in
            var results = [TestResult?](repeating: nil, count: tests.count)
            var next = 0
            func startNext() {
                guard next < tests.count else { return }
                let i = next, test = tests[i]
                next += 1
                group.addTask { (i, await self.run(test)) }
            }
            for _ in 0..<min(concurrency, tests.count) { startNext() }
            while let (i, result) = await group.next() {
                results[i] = result
                startNext()
            }
            return results.map { $0! }
        }
    }

    /// One test: run, then check.
    public func run(_ test: FixtureTest) async -> TestResult {
        let started = Date()
        func broken(_ message: String) -> TestResult {
            TestResult(test: test, outcome: .error(message), mismatches: [], actual: nil, seconds: Date().timeIntervalSince(started))
        }
        let machine: StateMachine
        switch catalog.machine(test.definitionPath, substitutions: test.substitutions) {
        case .success(let m): machine = m
        case .failure(let e): return broken(e.message)
        }
        let invoker: MockingTaskInvoker
        do {
            invoker = try makeInvoker(test)
        } catch {
            return broken("\(error)")
        }
        let actual = await execute(test, machine: machine, invoker: invoker)
        let mismatches = ExpectationCheck.mismatches(test.expect, actual)
        return TestResult(test: test, outcome: mismatches.isEmpty ? .passed : .failed, mismatches: mismatches, actual: actual,
                          seconds: Date().timeIntervalSince(started))
    }

    func makeInvoker(_ test: FixtureTest) throws -> MockingTaskInvoker {
        var responses: [String: MockedResponses] = [:]
        var routes: [String: (name: String, environment: [String: String])] = [:]
        if let testCase = test.mockTestCase {
            let config = try test.mockConfigPath.map { try mockConfigs.load($0) } ?? mockConfig
            guard let config else { throw FixtureError("testCase \(testCase) needs a mock configuration (--mock-config or \"mockConfig\").") }
            guard let mocks = config.testCase(testCase, stateMachine: test.definitionName) else {
                throw FixtureError("the mock configuration has no test case \(testCase) for state machine \(test.definitionName).")
            }
            responses = mocks
        }
        for (state, mock) in test.mocks {
            switch mock {
            case .responses(let r):
                responses[state] = r
            case .handler(let name, let environment):
                responses[state] = nil
                routes[state] = (name, environment)
            }
        }
        return MockingTaskInvoker(mocks: responses, fallback: HandlerInvoker(handlers: handlers, routes: routes))
    }

    func execute(_ test: FixtureTest, machine: StateMachine, invoker: MockingTaskInvoker) async -> ActualRun {
        let start = test.context.startTime ?? 1_767_225_600_000
        let clock = VirtualStatesClock(startMilliseconds: start)
        let recorder = RunRecorder()
        var interpreter = Interpreter(invoker: invoker, clock: clock)
        interpreter.observer = recorder
        let machineName = test.definitionName
        let name = test.context.executionName ?? ExecutionNames.from(test.name)
        let info = ExecutionInfo(
            executionArn: "arn:aws:states:us-east-1:000000000000:execution:\(machineName):\(name)", name: name,
            stateMachineArn: "arn:aws:states:us-east-1:000000000000:stateMachine:\(machineName)", stateMachineName: machineName,
            roleArn: "arn:aws:iam::000000000000:role/offcloud-test", startTime: start, input: test.input)
        let history = InMemoryHistory()
        let configured = interpreter
        let outcome = await StatesRandomness.$source.withValue(SeededRandomSource(seed: test.seed)) {
            await configured.run(machine, execution: info, history: history)
        }
        let events = await history.events
        return ActualRun.from(outcome: outcome, events: events, recorder: recorder, start: start)
    }
}

/// Mock configuration files named by fixtures, read once.
final class MockConfigCache: @unchecked Sendable {
    // @unchecked: `configs` is guarded by `lock`.
    private let lock = NSLock()
    private var configs: [String: MockConfig] = [:]

    func load(_ path: String) throws -> MockConfig {
        if let cached = lock.withLock({ configs[path] }) { return cached }
        let config = try MockConfig.load(path: path)
        lock.withLock { configs[path] = config }
        return config
    }
}

enum ExecutionNames {
    /// A valid execution name from a test's name: letters, digits, `-` and `_`, at most 80.
    static func from(_ text: String) -> String {
        let mapped = text.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? String($0) : "-" }.joined()
        let name = String(mapped.prefix(80))
        return name.isEmpty ? "test" : name
    }
}
