import ArgumentParser
import Foundation
import JSON
import States
import StepFunctions
import Storage
import Wire

/// `offcloud bench-states`: in-process Step Functions figures for `make bench` —
/// state transitions per second with history persisted to a durable SQLite file.
struct BenchStates: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-states", abstract: "Measure state transitions per second in-process (used by make bench).",
        shouldDisplay: false)

    @Option(help: "Executions to run.")
    var executions = 200

    @Option(help: "Executions in flight at once.")
    var concurrency = 16

    @Option(help: "Pass states in the chain.")
    var states = 50

    @Option(name: .customLong("data-dir"), help: "Folder for the database (a temporary one if omitted).")
    var dataDir: String?

    @Flag(help: "Instead, time evaluating a typical JSONata Arguments template.")
    var jsonata = false

    @Option(help: "Template evaluations for --jsonata.")
    var evaluations = 500_000

    func run() async throws {
        if jsonata { return try benchJSONata() }
        let dir = dataDir ?? FileManager.default.temporaryDirectory.appendingPathComponent("offcloud-bench-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { if dataDir == nil { try? FileManager.default.removeItem(atPath: dir) } }
        let database = try Database(path: dir + "/offcloud.sqlite")
        let service = try await StepFunctionsService(database: database)
        let context = RequestContext(requestId: "bench", accountId: "000000000000", region: "us-east-1", host: "localhost")
        var chain = JSONObject()
        for i in 0..<states {
            chain["S\(i)"] = i == states - 1 ? ["Type": "Pass", "End": true] : ["Type": "Pass", "Next": .string("S\(i + 1)")]
        }
        let definition = JSONValue.object(["StartAt": "S0", "States": .object(chain)]).jsonString
        let arn = try await service.deploy(name: "chain", definition: definition, accountId: context.accountId, region: context.region)

        let started = Date()
        try await withThrowingTaskGroup(of: Void.self) { group in
            var launched = 0
            func launch() {
                launched += 1
                group.addTask {
                    let result = try await service.runToCompletion(stateMachineArn: arn, input: #"{"order":42}"#, context: context)
                    guard result.status == "SUCCEEDED" else { throw ValidationError("execution ended \(result.status)") }
                }
            }
            for _ in 0..<min(concurrency, executions) { launch() }
            while try await group.next() != nil {
                if launched < executions { launch() }
            }
        }
        let seconds = Date().timeIntervalSince(started)
        let transitions = Double(executions * states)
        print(String(format: "RESULT scenario=sfn_pass_chain_in_process executions=%d states=%d seconds=%.3f transitions_per_sec=%.0f",
                     executions, states, seconds, transitions / seconds))
        await service.shutdown()
        database.close()
    }
}

extension BenchStates {
    /// Evaluations per second of a Task's `Arguments` with five expressions (paths into
    /// the input, the context and a variable) and literals, compiled once as a definition is.
    func benchJSONata() throws {
        let template: JSONValue = [
            "FunctionName": "arn:aws:lambda:us-east-1:000000000000:function:ProcessPayment",
            "Payload": [
                "orderId": "{% $states.input.order.id %}", "amount": "{% $states.input.order.total %}",
                "items": "{% $states.input.order.items %}", "customer": "{% $customer %}",
                "execution": "{% $states.context.Execution.Id %}", "source": "offcloud",
            ],
        ]
        var diagnostics = Diagnostics()
        let compiled = JSONataTemplate.compile(template, at: "/Arguments", diagnostics: &diagnostics)
        guard !diagnostics.hasErrors else { throw ValidationError("\(diagnostics.items)") }
        let scope = JSONataScope(
            input: ["order": ["id": "o-42", "total": .number("129.5"), "items": [["sku": "a", "qty": 1], ["sku": "b", "qty": 2]]]],
            context: ["Execution": ["Id": "arn:aws:states:us-east-1:000000000000:execution:m:e"], "State": ["Name": "Pay"]],
            variables: ["customer": ["id": "c-7", "tier": "gold"]])
        var last = JSONValue.null
        let started = Date()
        for _ in 0..<evaluations { last = try compiled.evaluate(scope, field: "Arguments") }
        let seconds = Date().timeIntervalSince(started)
        guard last["Payload"]?["orderId"] == "o-42" else { throw ValidationError("unexpected result \(last.jsonString)") }
        print(String(format: "RESULT scenario=jsonata_arguments evaluations=%d seconds=%.3f evaluations_per_sec=%.0f",
                     evaluations, seconds, Double(evaluations) / seconds))
    }
}
