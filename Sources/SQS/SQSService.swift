import JSON
import Storage
import Wire

/// The SQS engine: typed operations over SQLite, no HTTP inside. The network edge
/// reaches it through `endpoint`; other services call the same operations in-process.
public final class SQSService: Sendable {
    let database: Database
    let clock: any EpochClock
    let waiters: ReceiveWaiters
    let moveTasks = MoveTaskRunner()

    public init(database: Database, clock: any EpochClock = SystemClock()) async throws {
        self.database = database
        self.clock = clock
        waiters = ReceiveWaiters(clock: clock)
        try await database.migrate(SQSSchema.migrations)
        await resumeMoveTasks()
    }

    public static let xmlNamespace = "http://queue.amazonaws.com/doc/2012-11-05/"

    /// How SQS requests are recognised and run: awsJson1_0 with `AmazonSQS.*` targets
    /// (query-compatible), or the legacy query protocol with `Version=2012-11-05`.
    public var endpoint: ServiceEndpoint {
        ServiceEndpoint(
            signingName: "sqs", jsonTargetPrefix: "AmazonSQS", jsonErrorTypePrefix: "com.amazonaws.sqs#",
            queryVersion: "2012-11-05", xmlNamespace: Self.xmlNamespace, queryCompatible: true
        ) { [self] name in
            guard let operation = SQSOperation(rawValue: name) else { return nil }
            return ServiceOperation(name: operation.rawValue, query: operation.querySchema) { input, context in
                try await self.invoke(operation, input, context)
            }
        }
    }

    /// Runs one operation on a decoded request.
    public func invoke(_ operation: SQSOperation, _ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        do {
            switch operation {
            case .createQueue: return try await createQueue(input, context)
            case .deleteQueue: return try await deleteQueue(input, context)
            case .getQueueUrl: return try await getQueueUrl(input, context)
            case .listQueues: return try await listQueues(input, context)
            case .getQueueAttributes: return try await getQueueAttributes(input, context)
            case .setQueueAttributes: return try await setQueueAttributes(input, context)
            case .purgeQueue: return try await purgeQueue(input, context)
            case .tagQueue: return try await tagQueue(input, context)
            case .untagQueue: return try await untagQueue(input, context)
            case .listQueueTags: return try await listQueueTags(input, context)
            case .listDeadLetterSourceQueues: return try await listDeadLetterSourceQueues(input, context)
            case .addPermission: return try await addPermission(input, context)
            case .removePermission: return try await removePermission(input, context)
            case .sendMessage: return try await sendMessage(input, context)
            case .sendMessageBatch: return try await sendMessageBatch(input, context)
            case .receiveMessage: return try await receiveMessage(input, context)
            case .deleteMessage: return try await deleteMessage(input, context)
            case .deleteMessageBatch: return try await deleteMessageBatch(input, context)
            case .changeMessageVisibility: return try await changeMessageVisibility(input, context)
            case .changeMessageVisibilityBatch: return try await changeMessageVisibilityBatch(input, context)
            case .startMessageMoveTask: return try await startMessageMoveTask(input, context)
            case .listMessageMoveTasks: return try await listMessageMoveTasks(input, context)
            case .cancelMessageMoveTask: return try await cancelMessageMoveTask(input, context)
            }
        } catch let error as ShapeError {
            throw SQSError.from(error)
        }
    }

    /// The queue a request's `QueueUrl` names.
    func queueKey(_ input: ShapeReader, _ context: RequestContext) throws -> QueueKey {
        let url = try input.requiredString("QueueUrl")
        guard let key = QueueURL.key(url, account: context.accountId, region: context.region) else {
            throw SQSError.queueDoesNotExist()
        }
        return key
    }

    /// Wakes long-polling receivers everywhere, e.g. after a reset.
    public func wakeAllReceivers() { waiters.notifyAll() }
}
