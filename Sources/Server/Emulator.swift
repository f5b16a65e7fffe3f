import Foundation
import Logging
import APIGateway
import DynamoDB
import Lambda
import SNS
import SQS
import Stacks
import States
import StepFunctions
import Storage
import Wire

/// Everything Offcloud runs, wired together: the database, the service engines, the
/// gateway and the HTTP server. The CLI starts one; a Swift test can start one
/// in-process on a free port.
public final class Emulator: Sendable {
    public struct Configuration: Sendable {
        public var host: String
        /// 0 picks a free port.
        public var port: Int
        /// Folder for `offcloud.sqlite`; nil keeps everything in memory.
        public var dataDirectory: String?
        public var durability: Database.Durability
        public var gateway: GatewayConfiguration
        /// Folder of `*.asl.json` files deployed as state machines; nil for none.
        public var definitionsDirectory: String?
        /// The Swift closures functions name as their `Handler`.
        public var handlers: LambdaHandlers
        /// WebSocket API limits (idle and connection time, message and frame size).
        public var webSockets = WebSocketLimits()
        /// A CloudFormation/SAM template deployed at start-up (and again after a reset).
        public var template: String?
        public var stackName = "offcloud"
        public var parameterOverrides: [String: String] = [:]
        /// Every service reads the time here; a `ManualClock` makes the whole emulator run on
        /// virtual time, moved through `/_offcloud/clock`.
        public var clock: any EpochClock = SystemClock()
        /// False runs everything in-process with no listening socket (a Swift test that
        /// only uses `aws` needs no port).
        public var listens = true
        /// Step Functions Local's mock configuration, for `stateMachineArn#TestCase` in StartExecution.
        public var mockConfig: MockConfig?

        public init(host: String = "127.0.0.1", port: Int = 4566, dataDirectory: String? = ".offcloud",
                    durability: Database.Durability = .full, gateway: GatewayConfiguration = GatewayConfiguration(),
                    definitionsDirectory: String? = nil, handlers: LambdaHandlers = LambdaHandlers()) {
            self.handlers = handlers
            self.host = host
            self.port = port
            self.dataDirectory = dataDirectory
            self.durability = durability
            self.gateway = gateway
            self.definitionsDirectory = definitionsDirectory
        }
    }

    public static let version = "0.1.0"

    public let database: Database
    public let sqs: SQSService
    public let sns: SNSService
    public let stepFunctions: StepFunctionsService
    public let dynamoDB: DynamoDBService
    public let lambda: LambdaService
    public let apiGateway: APIGatewayService
    public let webSockets: WebSocketRuntime
    /// The Outputs of the deployed template, if one was given.
    public let stackOutputs: [StackOutput]
    public let gateway: Gateway
    let server: HTTPServer?
    /// Every service's operations, in-process, with the input shapes an SDK sends (the
    /// client handlers get as `context.aws`).
    public let aws: any InProcessAWS
    let background: Task<Void, Never>
    /// DynamoDB TTL expiry and the WebSocket limits, on the emulator's clock.
    let sweepers: Task<Void, Never>

    /// The listening port; 0 when the emulator does not listen.
    public var port: Int { server?.port ?? 0 }

    public static func start(_ configuration: Configuration, logger: Logger = Logger(label: "offcloud")) async throws -> Emulator {
        var path: String?
        if let dir = configuration.dataDirectory {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            path = URL(fileURLWithPath: dir).appendingPathComponent("offcloud.sqlite").path
        }
        let database = try Database(path: path, durability: configuration.durability)
        let clock = configuration.clock
        let sqs = try await SQSService(database: database, clock: clock)
        let dynamoDB = try await DynamoDBService(database: database, clock: clock)
        let lambda = try await LambdaService(database: database, handlers: configuration.handlers, clock: clock)
        lambda.connect(sqs: sqs)
        let sns = try await SNSService(database: database, clock: clock, dataDirectory: configuration.dataDirectory)
        sns.connect(sqs: sqs, lambda: lambda)
        let integrations = Integrations(sqs: sqs, lambda: LambdaStatesInvoker(lambda: lambda))
        let statesClock: any StatesClock = clock is SystemClock ? SystemStatesClock() : EpochStatesClock(clock)
        let stepFunctions = try await StepFunctionsService(database: database, clock: clock, statesClock: statesClock,
                                                           integrations: integrations, mockConfig: configuration.mockConfig)
        var loader: DefinitionsLoader?
        if let dir = configuration.definitionsDirectory, FileManager.default.fileExists(atPath: dir) {
            loader = DefinitionsLoader(directory: URL(fileURLWithPath: dir), stepFunctions: stepFunctions,
                                       accountId: configuration.gateway.defaultAccountId,
                                       region: configuration.gateway.defaultRegion, logger: logger)
        }
        let deployAll: @Sendable () async -> Void = { [loader] in
            guard let loader else { return }
            for path in loader.scan().keys.sorted() { await loader.load(path) }
        }
        await deployAll()
        var watcher: Task<Void, Never>?
        if let loader {
            let files = loader.scan()
            watcher = Task { await loader.run(initial: files) }
        }
        let apiGateway = try await APIGatewayService(database: database, clock: clock)
        let webSockets = WebSocketRuntime(service: apiGateway, lambda: lambda, limits: configuration.webSockets)
        let connections = ConnectionsAPI(runtime: webSockets)
        let endpoints = [sqs.endpoint, sns.endpoint, stepFunctions.endpoint, dynamoDB.endpoint, dynamoDB.streamsEndpoint, lambda.endpoint,
                         apiGateway.endpoint, connections.endpoint]
        let aws = GatewayAWS(services: endpoints, accountId: configuration.gateway.defaultAccountId,
                             region: configuration.gateway.defaultRegion)
        var handlerAWS = aws
        handlerAWS.errorsAsFunctionErrors = true
        lambda.connect(handlerAWS)
        integrations.services.value = { try await aws.call(service: $0, operation: $1, input: $2) }
        // Executions resume once every service they may call exists.
        try await stepFunctions.resumeRunningExecutions()
        let runtime = HTTPAPIRuntime(service: apiGateway, lambda: lambda, aws: aws)
        await lambda.resumeEventSourceMappings()
        let redeploy = LockedValue<(@Sendable () async -> Void)?>(nil)
        let internalEndpoints = InternalEndpoints(
            version: version, database: database, clock: ClockEndpoint(clock: clock), sqs: sqs, sns: sns, stepFunctions: stepFunctions,
            lambda: lambda, defaultAccountId: configuration.gateway.defaultAccountId, defaultRegion: configuration.gateway.defaultRegion,
            afterReset: { await deployAll(); await redeploy.value?() })
        let gateway = Gateway(
            configuration: configuration.gateway,
            services: endpoints,
            internalEndpoints: internalEndpoints,
            executeAPI: { apiId, path, request, host in
                await runtime.handle(apiId: apiId, path: path, request: request, host: host, sourceIp: "127.0.0.1")
            },
            connections: connections)
        let server = configuration.listens
            ? try await HTTPServer.start(host: configuration.host, port: configuration.port, gateway: gateway, webSockets: webSockets,
                                         logger: logger)
            : nil
        let advertised = server.map { "\(configuration.host):\($0.port)" } ?? "localhost"
        stepFunctions.advertise(host: advertised)
        sns.advertise(host: advertised)
        await sns.resumeDeliveries()
        var stackOutputs: [StackOutput] = []
        if let template = configuration.template {
            var stackAWS = aws
            stackAWS.host = advertised
            let deployer = try await StackDeployer(database: database, aws: stackAWS, accountId: configuration.gateway.defaultAccountId,
                                                   region: configuration.gateway.defaultRegion) { logger.info("\($0)") }
            let deploy: @Sendable () async throws -> [StackOutput] = {
                try await deployer.deploy(templateAt: template, stackName: configuration.stackName,
                                          parameterOverrides: configuration.parameterOverrides)
            }
            do {
                stackOutputs = try await deploy()
            } catch {
                await server?.close()
                await lambda.shutdown()
                await stepFunctions.shutdown()
                await sqs.shutdown()
                database.close()
                throw error
            }
            redeploy.value = {
                do { _ = try await deploy() } catch { logger.error("redeploying the template failed: \(error)") }
            }
        }
        internalEndpoints.ready.value = true
        let definitionsWatcher = watcher
        let background = Task {
            await withTaskCancellationHandler {
                await sqs.runRetentionSweeper()
            } onCancel: {
                definitionsWatcher?.cancel()
            }
        }
        let sweepers = Task {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await dynamoDB.runTTLSweeper() }
                group.addTask { await webSockets.runLimitSweeper() }
            }
        }
        var publicAWS = aws
        publicAWS.host = advertised
        publicAWS.errorsAsFunctionErrors = true
        return Emulator(database: database, sqs: sqs, sns: sns, stepFunctions: stepFunctions, dynamoDB: dynamoDB, lambda: lambda,
                        apiGateway: apiGateway, webSockets: webSockets, stackOutputs: stackOutputs, aws: publicAWS, gateway: gateway,
                        server: server,
                        background: background, sweepers: sweepers)
    }

    private init(database: Database, sqs: SQSService, sns: SNSService, stepFunctions: StepFunctionsService, dynamoDB: DynamoDBService,
                 lambda: LambdaService, apiGateway: APIGatewayService, webSockets: WebSocketRuntime, stackOutputs: [StackOutput],
                 aws: any InProcessAWS, gateway: Gateway, server: HTTPServer?,
                 background: Task<Void, Never>, sweepers: Task<Void, Never>) {
        self.lambda = lambda
        self.apiGateway = apiGateway
        self.webSockets = webSockets
        self.stackOutputs = stackOutputs
        self.aws = aws
        self.dynamoDB = dynamoDB
        self.sweepers = sweepers
        self.database = database
        self.sqs = sqs
        self.sns = sns
        self.stepFunctions = stepFunctions
        self.gateway = gateway
        self.server = server
        self.background = background
    }

    /// Stops accepting connections, ends background work, and closes the database
    /// after the queued writes commit.
    public func shutdown() async {
        webSockets.closeAll()
        await server?.close()
        background.cancel()
        sweepers.cancel()
        await sns.shutdown()
        await lambda.shutdown()
        await stepFunctions.shutdown()
        await sqs.shutdown()
        database.close()
    }

    /// Suspends until the listening socket closes.
    public func waitUntilClosed() async {
        try? await server?.channel.closeFuture.get()
    }
}
