import Foundation
import JSON
import States
import Storage
import Wire

/// The Step Functions engine: state machines, executions and their history in
/// SQLite, run by the `States` interpreter. No HTTP inside.
public final class StepFunctionsService: Sendable {
    let database: Database
    let clock: any EpochClock
    let statesClock: any StatesClock
    let runner = ExecutionRunner()
    let mapRuns = MapRunTasks()
    /// `host:port` that task integrations put in URLs they return (queue URLs).
    let advertisedHost = LockedValue("localhost:4566")
    /// Set while the emulator shuts down: running executions are cancelled but stay
    /// RUNNING with their last checkpoint, to resume at the next start.
    let suspending = LockedValue(false)
    /// Where a distributed Map's ItemReader finds `<Bucket>/<Key>` (S3 is not emulated).
    public let itemReaderRoot: String
    let tokens = TaskTokens()
    let activities = ActivityQueues()
    let integrations: Integrations
    /// Step Functions Local's mock configuration: StartExecution on `stateMachineArn#TestCase`
    /// runs the execution with that test case's mocked responses.
    let mockConfig: MockConfig?
    /// Execution ARN → the mock test case it runs with.
    let mockedExecutions = LockedValue<[String: String]>([:])

    public init(database: Database, clock: any EpochClock = SystemClock(), statesClock: any StatesClock = SystemStatesClock(),
                integrations: Integrations = Integrations(),
                itemReaderRoot: String = FileManager.default.currentDirectoryPath, mockConfig: MockConfig? = nil) async throws {
        self.database = database
        self.mockConfig = mockConfig
        self.itemReaderRoot = itemReaderRoot
        self.clock = clock
        self.statesClock = statesClock
        self.integrations = integrations
        try await database.migrate(SFNSchema.migrations)
    }

    /// awsJson1_0 with `AWSStepFunctions.*` targets.
    public var endpoint: ServiceEndpoint {
        ServiceEndpoint(
            signingName: "states", jsonTargetPrefix: "AWSStepFunctions", jsonErrorTypePrefix: "com.amazonaws.swf.service.v2.model#",
            queryVersion: nil, xmlNamespace: "", queryCompatible: false
        ) { [self] name in
            guard let operation = SFNOperation(rawValue: name) else { return nil }
            return ServiceOperation(name: operation.rawValue, query: QueryOperationSchema()) { input, context in
                try await self.invoke(operation, input, context)
            }
        }
    }

    public func invoke(_ operation: SFNOperation, _ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        do {
            switch operation {
            case .createStateMachine: return try await createStateMachine(input, context)
            case .describeStateMachine: return try await describeStateMachine(input, context)
            case .updateStateMachine: return try await updateStateMachine(input, context)
            case .deleteStateMachine: return try await deleteStateMachine(input, context)
            case .listStateMachines: return try await listStateMachines(input, context)
            case .validateStateMachineDefinition: return try validateStateMachineDefinition(input)
            case .startExecution: return try await startExecution(input, context, sync: false)
            case .startSyncExecution: return try await startExecution(input, context, sync: true)
            case .describeExecution: return try await describeExecution(input, context)
            case .describeStateMachineForExecution: return try await describeStateMachineForExecution(input, context)
            case .stopExecution: return try await stopExecution(input, context)
            case .listExecutions: return try await listExecutions(input, context)
            case .getExecutionHistory: return try await getExecutionHistory(input, context)
            case .sendTaskSuccess: return try await sendTaskSuccess(input)
            case .sendTaskFailure: return try await sendTaskFailure(input)
            case .sendTaskHeartbeat: return try await sendTaskHeartbeat(input)
            case .createActivity: return try await createActivity(input, context)
            case .describeActivity: return try await describeActivity(input, context)
            case .deleteActivity: return try await deleteActivity(input, context)
            case .listActivities: return try await listActivities(input, context)
            case .getActivityTask: return try await getActivityTask(input, context)
            case .tagResource: return try await tagResource(input, context)
            case .untagResource: return try await untagResource(input, context)
            case .listTagsForResource: return try await listTagsForResource(input, context)
            case .publishStateMachineVersion: return try await publishStateMachineVersion(input, context)
            case .listStateMachineVersions: return try await listStateMachineVersions(input, context)
            case .deleteStateMachineVersion: return try await deleteStateMachineVersion(input, context)
            case .createStateMachineAlias: return try await createStateMachineAlias(input, context)
            case .describeStateMachineAlias: return try await describeStateMachineAlias(input, context)
            case .updateStateMachineAlias: return try await updateStateMachineAlias(input, context)
            case .deleteStateMachineAlias: return try await deleteStateMachineAlias(input, context)
            case .listStateMachineAliases: return try await listStateMachineAliases(input, context)
            case .redriveExecution: return try await redriveExecution(input, context)
            case .testState: return try await testState(input, context)
            case .describeMapRun: return try await describeMapRun(input, context)
            case .listMapRuns: return try await listMapRuns(input, context)
            case .updateMapRun: return try await updateMapRun(input, context)
            }
        } catch let error as ShapeError {
            throw SFNError.from(error)
        }
    }

    /// Epoch seconds with milliseconds, as AWS JSON protocols send timestamps.
    static func date(_ milliseconds: Int64) -> JSONValue {
        let whole = milliseconds / 1000, fraction = milliseconds % 1000
        return .number(fraction == 0 ? String(whole) : "\(whole).\(String(format: "%03lld", fraction))")
    }

    /// Starts executions that were running when the emulator stopped, from their checkpoints.
    public func resumeRunningExecutions() async throws {
        let rows = try await database.transaction { db in
            try db.all("SELECT arn FROM sfn_executions WHERE status = 'RUNNING'") { $0.text(0) }
        }
        for arn in rows { try await launch(arn, resume: true) }
    }

    /// The address clients use to reach the emulator, for URLs in task results.
    public func advertise(host: String) { advertisedHost.value = host }

    /// Stops running executions without ending them: they resume at the next start.
    public func shutdown() async {
        suspending.value = true
        await mapRuns.cancelAll()
        await runner.cancelAll()
    }

    /// Cancels every running execution for a reset (their rows are about to go).
    public func cancelAll() async {
        suspending.value = true
        await mapRuns.cancelAll()
        await runner.cancelAll()
        suspending.value = false
    }
}
