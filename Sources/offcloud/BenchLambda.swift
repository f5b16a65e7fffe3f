import APIGateway
import ArgumentParser
import Foundation
import JSON
import Lambda
import Server
import Wire

/// `offcloud bench-lambda`: Lambda figures for `make bench`. With `--serve` it runs the
/// emulator with an `echo` function backed by a Swift closure and an HTTP API whose
/// `$default` route proxies to it, for wrk; without, it measures in-process Invoke
/// overhead and throughput.
struct BenchLambda: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-lambda", abstract: "Measure Lambda invocation overhead (used by make bench).", shouldDisplay: false)

    @Option(help: "Invocations to run in-process.")
    var invocations = 20_000

    @Option(help: "Invocations in flight at once for the throughput figure.")
    var concurrency = 16

    @Flag(help: "Serve HTTP with the echo function deployed, until SIGTERM.")
    var serve = false

    @Option(help: "Port for --serve (0 picks a free one).")
    var port = 0

    @Option(name: .customLong("data-dir"), help: "Folder for the database (in memory if omitted).")
    var dataDir: String?

    func run() async throws {
        let handlers = LambdaHandlers()
        handlers.register("echo") { event, _ in event }
        let emulator = try await Emulator.start(Emulator.Configuration(port: serve ? port : 0, dataDirectory: dataDir, handlers: handlers))
        let context = RequestContext(requestId: "bench", accountId: "000000000000", region: "us-east-1", host: "localhost")
        _ = try await emulator.lambda.invoke(.createFunction, try ShapeReader([
            "FunctionName": "echo", "Runtime": "provided.al2023", "Handler": "echo",
            "Role": "arn:aws:iam::000000000000:role/bench", "Code": ["ZipFile": "eA=="]]), context)
        if serve {
            let api = try await emulator.apiGateway.invoke(APIGatewayOperation("CreateApi")!, try ShapeReader([
                "name": "bench", "protocolType": "HTTP"]), context)
            let apiId = api["apiId"]?.stringValue ?? ""
            let integration = try await emulator.apiGateway.invoke(APIGatewayOperation("CreateIntegration")!, try ShapeReader([
                "apiId": .string(apiId), "integrationType": "AWS_PROXY", "payloadFormatVersion": "2.0",
                "integrationUri": "arn:aws:lambda:us-east-1:000000000000:function:echo"]), context)
            _ = try await emulator.apiGateway.invoke(APIGatewayOperation("CreateRoute")!, try ShapeReader([
                "apiId": .string(apiId), "routeKey": "POST /orders",
                "target": .string("integrations/\(integration["integrationId"]?.stringValue ?? "")")]), context)
            _ = try await emulator.apiGateway.invoke(APIGatewayOperation("CreateStage")!, try ShapeReader([
                "apiId": .string(apiId), "stageName": "$default", "autoDeploy": true]), context)
            print("LISTENING port=\(emulator.port) api=\(apiId)")
            fflush(nil)
            await SignalWatcher().waitForTermination()
            await emulator.shutdown()
            return
        }
        let payload: JSONValue = ["order": 42, "items": ["a", "b"]]
        var latencies: [Double] = []
        latencies.reserveCapacity(invocations)
        for _ in 0..<invocations {
            let start = DispatchTime.now().uptimeNanoseconds
            let result = try await emulator.lambda.invoke(function: "echo", payload: payload, context: context)
            latencies.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000)
            guard result.error == nil else { throw ValidationError("echo failed: \(result.payload.jsonString)") }
        }
        latencies.sort()
        let started = Date()
        try await withThrowingTaskGroup(of: Void.self) { group in
            var launched = 0
            func launch() {
                launched += 1
                group.addTask { _ = try await emulator.lambda.invoke(function: "echo", payload: payload, context: context) }
            }
            for _ in 0..<min(concurrency, invocations) { launch() }
            while try await group.next() != nil {
                if launched < invocations { launch() }
            }
        }
        let seconds = Date().timeIntervalSince(started)
        print(String(format: "RESULT scenario=lambda_invoke_in_process invocations=%d p50_us=%.1f p99_us=%.1f invokes_per_sec=%.0f",
                     invocations, latencies[latencies.count / 2], latencies[latencies.count * 99 / 100], Double(invocations) / seconds))
        await emulator.shutdown()
    }
}
