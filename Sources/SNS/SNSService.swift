import Foundation
import JSON
import Lambda
import SQS
import Storage
import Wire

/// The SNS engine: topics and subscriptions over SQLite, and a durable deliverer that
/// fans published messages out to SQS queues, Lambda functions, HTTP/S endpoints and
/// recorded email/SMS/mobile endpoints. No HTTP server inside: the network edge reaches
/// it through `endpoint`; webhooks are called with URLSession.
public final class SNSService: Sendable {
    let database: Database
    let clock: any EpochClock
    let sqsBox = LockedValue<SQSService?>(nil)
    let lambdaBox = LockedValue<LambdaService?>(nil)
    /// `host:port` the emulator answers on, for SubscribeURL, UnsubscribeURL and SigningCertURL.
    let advertisedHost = LockedValue("localhost:4566")
    let cache = TopicCache()
    let deliverer: Deliverer
    /// Made on first use: a key is generated (and libcrypto loaded) only once something
    /// is signed, so start-up and memory stay small for everything that does not use SNS.
    private let signerOnce: LockedValue<MessageSigner??> = LockedValue(nil)
    private let dataDirectory: String?
    let webhooks: WebhookClient

    var signer: MessageSigner? {
        signerOnce.update { loaded in
            if let loaded { return loaded }
            let made = MessageSigner.load(directory: dataDirectory)
            loaded = .some(made)
            return made
        }
    }

    /// - Parameter dataDirectory: where the signing key and certificate live (generated
    ///   once with `openssl`); nil keeps them in a temporary folder.
    public init(database: Database, clock: any EpochClock = SystemClock(), dataDirectory: String? = nil) async throws {
        self.database = database
        self.clock = clock
        try await database.migrate(SNSSchema.migrations)
        self.dataDirectory = dataDirectory
        webhooks = WebhookClient()
        deliverer = Deliverer(database: database, clock: clock)
        deliverer.attach(self)
    }

    public static let xmlNamespace = "http://sns.amazonaws.com/doc/2010-03-31/"

    /// Delivers to queues and functions through these engines' own operations.
    public func connect(sqs: SQSService, lambda: LambdaService) {
        sqsBox.value = sqs
        lambdaBox.value = lambda
    }

    /// The address clients reach the emulator at, once the server listens.
    public func advertise(host: String) { advertisedHost.value = host }

    /// Starts delivering what was pending when the emulator last stopped.
    public func resumeDeliveries() async { await deliverer.resume() }

    /// awsQuery with `Version=2010-03-31`.
    public var endpoint: ServiceEndpoint {
        ServiceEndpoint(signingName: "sns", jsonTargetPrefix: nil, jsonErrorTypePrefix: "", queryVersion: "2010-03-31",
                        xmlNamespace: Self.xmlNamespace, queryCompatible: false) { [self] name in
            guard let operation = SNSOperation(rawValue: name) else { return nil }
            return ServiceOperation(name: operation.rawValue, query: operation.querySchema) { input, context in
                try await self.invoke(operation, input, context)
            }
        }
    }

    /// Runs one operation on a decoded request.
    public func invoke(_ operation: SNSOperation, _ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        do {
            switch operation {
            case .createTopic: return try await createTopic(input, context)
            case .deleteTopic: return try await deleteTopic(input, context)
            case .listTopics: return try await listTopics(input, context)
            case .getTopicAttributes: return try await getTopicAttributes(input, context)
            case .setTopicAttributes: return try await setTopicAttributes(input, context)
            case .tagResource: return try await tagResource(input, context)
            case .untagResource: return try await untagResource(input, context)
            case .listTagsForResource: return try await listTagsForResource(input, context)
            case .addPermission: return try await addPermission(input, context)
            case .removePermission: return try await removePermission(input, context)
            case .getDataProtectionPolicy: return try await getDataProtectionPolicy(input, context)
            case .putDataProtectionPolicy: return try await putDataProtectionPolicy(input, context)
            case .subscribe: return try await subscribe(input, context)
            case .confirmSubscription: return try await confirmSubscription(input, context)
            case .unsubscribe: return try await unsubscribe(input, context)
            case .listSubscriptions: return try await listSubscriptions(input, context)
            case .listSubscriptionsByTopic: return try await listSubscriptionsByTopic(input, context)
            case .getSubscriptionAttributes: return try await getSubscriptionAttributes(input, context)
            case .setSubscriptionAttributes: return try await setSubscriptionAttributes(input, context)
            case .publish: return try await publish(input, context)
            case .publishBatch: return try await publishBatch(input, context)
            case .createPlatformApplication, .createPlatformEndpoint, .deleteEndpoint, .deletePlatformApplication,
                 .getEndpointAttributes, .getPlatformApplicationAttributes, .listEndpointsByPlatformApplication,
                 .listPlatformApplications, .setEndpointAttributes, .setPlatformApplicationAttributes:
                return try await platform(operation, input, context)
            case .checkIfPhoneNumberIsOptedOut, .createSMSSandboxPhoneNumber, .deleteSMSSandboxPhoneNumber, .getSMSAttributes,
                 .getSMSSandboxAccountStatus, .listOriginationNumbers, .listPhoneNumbersOptedOut, .listSMSSandboxPhoneNumbers,
                 .optInPhoneNumber, .setSMSAttributes, .verifySMSSandboxPhoneNumber:
                return try await sms(operation, input, context)
            }
        } catch let error as ShapeError {
            throw SNSError.from(error)
        }
    }

    /// After `/_offcloud/reset`: pending deliveries and cached topics are gone.
    public func reset() async {
        cache.invalidate()
        await deliverer.clear()
    }

    public func shutdown() async {
        await deliverer.stop()
    }

    /// A fresh id for messages and subscriptions.
    static func newId() -> String { UUID().uuidString.lowercased() }
}

/// What the emulator's own endpoints show of SNS.
extension SNSService {
    /// Recorded deliveries (email, email-json, sms, mobile, and every HTTP/S attempt,
    /// dead letter and drop), oldest first, narrowed by any of the given fields.
    public func deliveryLog(protocol: String?, endpoint: String?, topicArn: String?, subscriptionArn: String?,
                            limit: Int = 1000) async throws -> JSONValue {
        var clauses: [String] = []
        var values: [SQLValue] = []
        for (column, value) in [("protocol", `protocol`), ("endpoint", endpoint), ("topic_arn", topicArn), ("subscription_arn", subscriptionArn)] {
            if let value { clauses.append("\(column) = ?"); values.append(.text(value)) }
        }
        values.append(.integer(Int64(limit)))
        let sql = "SELECT protocol, endpoint, subscription_arn, topic_arn, message_id, kind, body, status, delivered_at FROM sns_delivery_log"
            + (clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ")) + " ORDER BY id LIMIT ?"
        let bound = values
        let rows: [JSONValue] = try await database.read { db in
            try db.all(sql, bound) { r in
                [
                    "Protocol": .string(r.text(0)), "Endpoint": .string(r.text(1)), "SubscriptionArn": .string(r.text(2)),
                    "TopicArn": .string(r.text(3)), "MessageId": .string(r.text(4)), "Type": .string(r.text(5)),
                    "Body": .string(r.text(6)), "Status": .string(r.text(7)),
                    "Timestamp": .string(SNSTimestamp.format(r.int64(8))),
                ]
            }
        }
        return ["Deliveries": .array(rows)]
    }

    /// The signing certificate (PEM) served at SigningCertURL, if signing is available.
    public var signingCertificate: (name: String, pem: String)? {
        signer.map { (MessageSigner.certificateName, $0.certificatePEM) }
    }

    /// How many deliveries are still pending (for tests and benchmarks).
    public func pendingDeliveries() async throws -> Int {
        try await database.read { db in try db.first("SELECT COUNT(*) FROM sns_deliveries", [], { $0.int(0) }) ?? 0 }
    }
}
