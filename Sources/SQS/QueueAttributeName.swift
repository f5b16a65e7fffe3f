/// Every queue attribute name SQS knows, as `GetQueueAttributes` spells it.
enum QueueAttributeName: String, CaseIterable, Sendable {
    case all = "All"
    case policy = "Policy"
    case visibilityTimeout = "VisibilityTimeout"
    case maximumMessageSize = "MaximumMessageSize"
    case messageRetentionPeriod = "MessageRetentionPeriod"
    case approximateNumberOfMessages = "ApproximateNumberOfMessages"
    case approximateNumberOfMessagesNotVisible = "ApproximateNumberOfMessagesNotVisible"
    case createdTimestamp = "CreatedTimestamp"
    case lastModifiedTimestamp = "LastModifiedTimestamp"
    case queueArn = "QueueArn"
    case approximateNumberOfMessagesDelayed = "ApproximateNumberOfMessagesDelayed"
    case delaySeconds = "DelaySeconds"
    case receiveMessageWaitTimeSeconds = "ReceiveMessageWaitTimeSeconds"
    case redrivePolicy = "RedrivePolicy"
    case fifoQueue = "FifoQueue"
    case contentBasedDeduplication = "ContentBasedDeduplication"
    case kmsMasterKeyId = "KmsMasterKeyId"
    case kmsDataKeyReusePeriodSeconds = "KmsDataKeyReusePeriodSeconds"
    case deduplicationScope = "DeduplicationScope"
    case fifoThroughputLimit = "FifoThroughputLimit"
    case redriveAllowPolicy = "RedriveAllowPolicy"
    case sqsManagedSseEnabled = "SqsManagedSseEnabled"

    /// Attributes a client may set (on create or with `SetQueueAttributes`).
    var isSettable: Bool {
        switch self {
        case .policy, .visibilityTimeout, .maximumMessageSize, .messageRetentionPeriod, .delaySeconds,
             .receiveMessageWaitTimeSeconds, .redrivePolicy, .fifoQueue, .contentBasedDeduplication, .kmsMasterKeyId,
             .kmsDataKeyReusePeriodSeconds, .deduplicationScope, .fifoThroughputLimit, .redriveAllowPolicy,
             .sqsManagedSseEnabled:
            return true
        case .all, .approximateNumberOfMessages, .approximateNumberOfMessagesNotVisible, .createdTimestamp,
             .lastModifiedTimestamp, .queueArn, .approximateNumberOfMessagesDelayed:
            return false
        }
    }

    /// Attributes that exist only on FIFO queues.
    var isFifoOnly: Bool {
        switch self {
        case .fifoQueue, .contentBasedDeduplication, .deduplicationScope, .fifoThroughputLimit: return true
        default: return false
        }
    }
}

/// Settable attributes with the values AWS gives a new queue.
enum QueueDefaults {
    static let visibilityTimeout = 30
    static let maximumMessageSize = 1_048_576
    static let messageRetentionPeriod = 345_600
    static let delaySeconds = 0
    static let receiveMessageWaitTimeSeconds = 0

    static func attributes(fifo: Bool) -> [(QueueAttributeName, String)] {
        var list: [(QueueAttributeName, String)] = [
            (.visibilityTimeout, "30"), (.maximumMessageSize, "1048576"), (.messageRetentionPeriod, "345600"),
            (.delaySeconds, "0"), (.receiveMessageWaitTimeSeconds, "0"), (.sqsManagedSseEnabled, "true"),
        ]
        if fifo {
            list += [(.fifoQueue, "true"), (.contentBasedDeduplication, "false"), (.deduplicationScope, "queue"),
                     (.fifoThroughputLimit, "perQueue")]
        }
        return list
    }
}
