import ArgumentParser
import Foundation
import JSON
import SQS
import StepFunctions
import Storage
import Wire

/// `offcloud run FILE --input '{…}'`: one execution in-process, with the emulated
/// services behind it in memory; prints the path taken and the result.
struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run a state machine definition once and print its result.")

    @Argument(help: "An ASL definition file (*.asl.json).")
    var file: String

    @Option(help: "Execution input (JSON).")
    var input = "{}"

    func run() async throws {
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw ValidationError("Cannot read \(file).")
        }
        let database = try Database(path: nil)
        let sqs = try await SQSService(database: database)
        let stepFunctions = try await StepFunctionsService(database: database, integrations: Integrations(sqs: sqs))
        let context = RequestContext(requestId: "run", accountId: "000000000000", region: "us-east-1", host: "localhost:4566")
        let name = URL(fileURLWithPath: file).lastPathComponent.replacingOccurrences(of: ".asl.json", with: "")
            .replacingOccurrences(of: ".json", with: "")
        let arn: String
        do {
            arn = try await stepFunctions.deploy(name: name, definition: text, accountId: context.accountId, region: context.region)
        } catch {
            print("\(file): \(error)")
            throw ExitCode.failure
        }
        let result = try await stepFunctions.runToCompletion(stateMachineArn: arn, input: input, context: context)
        for event in result.events {
            guard let type = event["type"]?.stringValue, type.hasSuffix("StateEntered"),
                  let name = event["stateEnteredEventDetails"]?["name"]?.stringValue else { continue }
            print("→ \(name) (\(type.dropLast("StateEntered".count)))")
        }
        print("status: \(result.status)")
        if let output = result.output["output"]?.stringValue { print("output: \(output)") }
        if let error = result.output["error"]?.stringValue { print("error: \(error)") }
        if let cause = result.output["cause"]?.stringValue { print("cause: \(cause)") }
        await stepFunctions.shutdown()
        await sqs.shutdown()
        database.close()
        if result.status != "SUCCEEDED" { throw ExitCode.failure }
    }
}
