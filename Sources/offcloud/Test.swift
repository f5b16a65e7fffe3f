import ArgumentParser
import Foundation
import JSON
import Lambda
import OrderHandlers
import States
import WorkflowTesting

/// `offcloud test [PATH…]`: workflow fixtures run in-process on a virtual clock, with
/// mocked Task results; a readable report, JUnit XML, JSON, coverage.
struct Test: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run workflow test fixtures against state machine definitions; exits non-zero on failure.")

    @Argument(help: "Fixture files or folders (JSON or YAML).")
    var paths: [String] = ["fixtures"]

    @Option(help: "Folder of the definitions fixtures name.")
    var definitions = "definitions"

    @Option(help: "A Step Functions Local mock configuration file (MockConfigFile.json) for fixtures that name a testCase.")
    var mockConfig: String?

    @Option(help: "Write a JUnit XML report to this file.")
    var junit: String?

    @Flag(help: "Print the report as JSON instead of text.")
    var json = false

    @Option(help: "Run only tests whose 'file > name' contains this text (or matches it as a regular expression).")
    var filter: String?

    @Flag(help: "Write actual results into the expectations a test lists under \"update\".")
    var update = false

    @Flag(help: "Report which states, Choice rules, Retry and Catch entries the tests exercised.")
    var coverage = false

    @Option(help: "Write the coverage report as JSON to this file.")
    var coverageJson: String?

    @Flag(help: "Only failures in the text report (no path for passing tests).")
    var quiet = false

    @Option(help: "Tests run at once.")
    var parallel: Int?

    func run() async throws {
        let started = Date()
        var loaded = FixtureLoader.load(paths: paths, definitionsDirectory: definitions)
        if let filter {
            let regex = try? NSRegularExpression(pattern: filter)
            loaded.tests = loaded.tests.filter { test in
                let name = test.fullName
                if name.contains(filter) { return true }
                return regex?.firstMatch(in: name, range: NSRange(name.startIndex..., in: name)) != nil
            }
        }
        let handlers = LambdaHandlers()
        OrderHandlers.register(into: handlers)
        var runner = WorkflowTestRunner(handlers: handlers)
        if let mockConfig {
            do {
                runner.mockConfig = try MockConfig.load(path: mockConfig)
            } catch {
                throw ValidationError("\(error)")
            }
        }
        if let parallel { runner.concurrency = max(1, parallel) }
        let results = await runner.run(loaded.tests)
        let seconds = Date().timeIntervalSince(started)
        let coverageReport = coverage || coverageJson != nil ? DefinitionCoverage.compute(results) : nil

        if json {
            print(JSONReport.render(results, loadErrors: loaded.errors, seconds: seconds, coverage: coverageReport).jsonString)
        } else {
            print(TextReport.render(results, loadErrors: loaded.errors, seconds: seconds, verbose: !quiet), terminator: "")
            if coverage, let coverageReport {
                print("")
                for c in coverageReport { print(c.text, terminator: "") }
            }
        }
        if let junit {
            try JUnitReport.render(results, loadErrors: loaded.errors, seconds: seconds).write(toFile: junit, atomically: true, encoding: .utf8)
        }
        if let coverageJson, let coverageReport {
            try JSONValue.array(coverageReport.map(\.json)).jsonString.write(toFile: coverageJson, atomically: true, encoding: .utf8)
        }
        if update {
            for line in FixtureUpdater.update(results) { FileHandle.standardError.write(Data((line + "\n").utf8)) }
        }
        if update { return }
        if !loaded.errors.isEmpty || results.contains(where: { !$0.passed }) || (results.isEmpty && filter == nil) {
            throw ExitCode.failure
        }
    }
}
