import APIGateway
import ArgumentParser
import Dispatch
import Foundation
import Logging
import Lambda
import OrderHandlers
import Server
import Stacks
import States
import Storage
import Wire

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve the AWS APIs on a local port (the default command).")

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (env OFFCLOUD_PORT; 0 picks a free one).")
    var port: Int?

    @Option(name: .customLong("data-dir"), help: "Folder for offcloud.sqlite.")
    var dataDir = ".offcloud"

    @Flag(name: .customLong("in-memory"), help: "Keep all state in memory; nothing is written to disk.")
    var inMemory = false

    @Option(help: "fsync policy for commits: full (survives power loss), normal (survives a crash of the process).")
    var durability = "full"

    @Option(name: .customLong("account-id"), help: "Default account (env OFFCLOUD_ACCOUNT_ID).")
    var accountId: String?

    @Option(help: "Default region when a request names none.")
    var region = "us-east-1"

    @Flag(name: .customLong("verify-signatures"), help: "Check SigV4 signatures against --credentials.")
    var verifySignatures = false

    @Option(name: .customLong("credentials"), help: "ACCESS_KEY_ID:SECRET pair accepted in strict mode (repeatable).")
    var credentials: [String] = []

    @Option(help: "Folder of *.asl.json files deployed as state machines at start-up and kept in step while running.")
    var definitions = "definitions"

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel = "info"

    @Option(help: "CloudFormation/SAM template deployed at start-up (default: template.yaml, template.yml or template.json here, if present).")
    var template: String?

    @Flag(name: .customLong("no-template"), help: "Do not deploy the template found in the current folder.")
    var noTemplate = false

    @Option(name: .customLong("stack-name"), help: "Name of the stack the template deploys (generated names start with it).")
    var stackName = "offcloud"

    @Option(name: .customLong("parameter-overrides"), parsing: .upToNextOption, help: "Template parameters as Name=Value.")
    var parameterOverrides: [String] = []

    @Flag(name: .customLong("virtual-clock"), help: "Run every service on a virtual clock moved with POST /_offcloud/clock.")
    var virtualClock = false

    @Option(name: .customLong("virtual-clock-start"), help: "Where the virtual clock starts (ISO 8601; default: now).")
    var virtualClockStart: String?

    @Option(name: .customLong("mock-config"),
            help: "Step Functions Local mock configuration for StartExecution on stateMachineArn#TestCase (env SFN_MOCK_CONFIG).")
    var mockConfig: String?

    @Option(name: .customLong("websocket-idle-timeout"), help: "Seconds without a message before a WebSocket connection is closed (AWS: 600).")
    var webSocketIdleTimeout = 600

    @Option(name: .customLong("websocket-max-connection"), help: "Seconds a WebSocket connection may last (AWS: 7200).")
    var webSocketMaxConnection = 7_200

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("Unknown log level '\(logLevel)'.") }
        guard Database.Durability(rawValue: durability) != nil else { throw ValidationError("Unknown durability '\(durability)'.") }
        if let accountId = resolvedAccountId, accountId.count != 12 || !accountId.allSatisfy(\.isNumber) {
            throw ValidationError("The account id must be 12 digits.")
        }
        guard webSocketIdleTimeout > 0, webSocketMaxConnection > 0 else {
            throw ValidationError("WebSocket time limits must be positive.")
        }
        if let start = virtualClockStart, Self.milliseconds(start) == nil {
            throw ValidationError("--virtual-clock-start must be an ISO 8601 timestamp such as 2030-01-01T00:00:00Z.")
        }
        for pair in parameterOverrides where !pair.contains("=") {
            throw ValidationError("Parameter overrides are written Name=Value; '\(pair)' is not.")
        }
        if let template, !FileManager.default.fileExists(atPath: template) {
            throw ValidationError("No template at \(template).")
        }
        for pair in credentials where !pair.contains(":") {
            throw ValidationError("Credentials are written ACCESS_KEY_ID:SECRET.")
        }
    }

    static func milliseconds(_ timestamp: String) -> Int64? { Timestamp(timestamp)?.milliseconds }

    /// `--template`, else a template in the current folder unless `--no-template`.
    var resolvedTemplate: String? {
        if let template { return template }
        guard !noTemplate else { return nil }
        return ["template.yaml", "template.yml", "template.json"].first { FileManager.default.fileExists(atPath: $0) }
    }

    var resolvedAccountId: String? { accountId ?? ProcessInfo.processInfo.environment["OFFCLOUD_ACCOUNT_ID"] }

    func run() async throws {
        let signals = SignalWatcher()
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "offcloud")
        let env = ProcessInfo.processInfo.environment
        var secrets: [String: String] = [:]
        for pair in credentials {
            let parts = pair.split(separator: ":", maxSplits: 1)
            secrets[String(parts[0])] = String(parts[1])
        }
        var configuration = Emulator.Configuration(
            host: host,
            port: port ?? env["OFFCLOUD_PORT"].flatMap(Int.init) ?? 4566,
            dataDirectory: inMemory ? nil : dataDir,
            durability: Database.Durability(rawValue: durability) ?? .full,
            gateway: GatewayConfiguration(defaultAccountId: resolvedAccountId ?? "000000000000", defaultRegion: region,
                                          verifySignatures: verifySignatures, credentials: secrets),
            definitionsDirectory: definitions)
        OrderHandlers.register(into: configuration.handlers)  // the reference architecture's Swift handlers (template.yaml)
        if virtualClock || virtualClockStart != nil {
            let start = virtualClockStart.flatMap(Self.milliseconds) ?? Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
            configuration.clock = ManualClock(milliseconds: start)
        }
        configuration.template = resolvedTemplate
        configuration.stackName = stackName
        for pair in parameterOverrides {
            let parts = pair.split(separator: "=", maxSplits: 1)
            configuration.parameterOverrides[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        configuration.webSockets = WebSocketLimits(idleTimeoutSeconds: webSocketIdleTimeout, maxConnectionSeconds: webSocketMaxConnection)
        if let path = mockConfig ?? env["SFN_MOCK_CONFIG"] {
            do { configuration.mockConfig = try MockConfig.load(path: path) } catch { throw ValidationError("\(error)") }
        }
        let emulator: Emulator
        do {
            emulator = try await Emulator.start(configuration, logger: logger)
        } catch let error as TemplateError {
            logger.critical("The template \(configuration.template ?? "") cannot be deployed: \(error.message)")
            throw ExitCode.failure
        }
        logger.info("offcloud listening", metadata: [
            "address": "http://\(host):\(emulator.port)",
            "data": "\(emulator.database.path ?? ":memory:")",
        ])
        if !emulator.stackOutputs.isEmpty {
            var text = "Outputs of stack \(stackName):\n"
            for output in emulator.stackOutputs {
                text += "  \(output.name) = \(output.value)\(output.description.map { "  (\($0))" } ?? "")\n"
            }
            FileHandle.standardOutput.write(Data(text.utf8))
        }

        await signals.waitForTermination()
        logger.info("shutting down")
        await emulator.shutdown()
    }
}

/// Turns SIGINT/SIGTERM into an awaited event, so shutdown is orderly. Installed before
/// the emulator starts, so a signal that arrives while it starts is not lost.
final class SignalWatcher: @unchecked Sendable {
    // @unchecked: `sources`, `signalled` and `waiter` are only touched on `queue`.
    private let queue = DispatchQueue(label: "offcloud.signals")
    private var sources: [DispatchSourceSignal] = []
    private var signalled = false
    private var waiter: CheckedContinuation<Void, Never>?

    init() {
        queue.sync {
            for sig in [SIGINT, SIGTERM] {
                // The default action would end the process before the source sees the signal.
                signal(sig, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: sig, queue: queue)
                source.setEventHandler { [unowned self] in
                    signalled = true
                    waiter?.resume()
                    waiter = nil
                }
                source.resume()
                sources.append(source)
            }
        }
    }

    func waitForTermination() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            queue.sync {
                if signalled { continuation.resume() } else { waiter = continuation }
            }
        }
    }
}
