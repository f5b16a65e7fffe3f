import Wire

/// Every operation in the SQS API (botocore's `sqs` 2012-11-05 model).
public enum SQSOperation: String, CaseIterable, Sendable {
    case addPermission = "AddPermission"
    case cancelMessageMoveTask = "CancelMessageMoveTask"
    case changeMessageVisibility = "ChangeMessageVisibility"
    case changeMessageVisibilityBatch = "ChangeMessageVisibilityBatch"
    case createQueue = "CreateQueue"
    case deleteMessage = "DeleteMessage"
    case deleteMessageBatch = "DeleteMessageBatch"
    case deleteQueue = "DeleteQueue"
    case getQueueAttributes = "GetQueueAttributes"
    case getQueueUrl = "GetQueueUrl"
    case listDeadLetterSourceQueues = "ListDeadLetterSourceQueues"
    case listMessageMoveTasks = "ListMessageMoveTasks"
    case listQueueTags = "ListQueueTags"
    case listQueues = "ListQueues"
    case purgeQueue = "PurgeQueue"
    case receiveMessage = "ReceiveMessage"
    case removePermission = "RemovePermission"
    case sendMessage = "SendMessage"
    case sendMessageBatch = "SendMessageBatch"
    case setQueueAttributes = "SetQueueAttributes"
    case startMessageMoveTask = "StartMessageMoveTask"
    case tagQueue = "TagQueue"
    case untagQueue = "UntagQueue"
}

/// How SQS's members are spelled in the query protocol (flattened lists and maps
/// with singular element names), for clients that still send `Action=…`.
extension SQSOperation {
    private static let attributeMap = QueryShape.map(key: "Name", value: "Value", .scalar)
    private static let tagMap = QueryShape.map(key: "Key", value: "Value", .scalar)
    private static let messageAttributeValue = QueryShape.structure([
        QueryMember("StringListValues", query: "StringListValue", .list(.scalar)),
        QueryMember("BinaryListValues", query: "BinaryListValue", .list(.scalar)),
    ])
    private static let messageAttributes = QueryMember("MessageAttributes", query: "MessageAttribute",
                                                       .map(key: "Name", value: "Value", messageAttributeValue))
    private static let messageSystemAttributes = QueryMember("MessageSystemAttributes", query: "MessageSystemAttribute",
                                                             .map(key: "Name", value: "Value", messageAttributeValue))
    private static let failed = QueryMember("Failed", query: "BatchResultErrorEntry", .list(.structure([])))

    private static func batch(_ request: String, _ result: String, entry: [QueryMember] = []) -> QueryOperationSchema {
        QueryOperationSchema(
            input: .structure([QueryMember("Entries", query: request, .list(.structure(entry)))]),
            output: .structure([QueryMember("Successful", query: result, .list(.structure([]))), failed]))
    }

    var querySchema: QueryOperationSchema {
        switch self {
        case .createQueue:
            return QueryOperationSchema(
                input: .structure([QueryMember("Attributes", query: "Attribute", Self.attributeMap),
                                   QueryMember("tags", query: "Tag", Self.tagMap)]),
                output: .structure([QueryMember("QueueUrl", .scalar)]))
        case .getQueueUrl:
            return QueryOperationSchema(output: .structure([QueryMember("QueueUrl", .scalar)]))
        case .listQueues:
            return QueryOperationSchema(output: .structure([QueryMember("QueueUrls", query: "QueueUrl", .list(.scalar))]))
        case .getQueueAttributes:
            return QueryOperationSchema(
                input: .structure([QueryMember("AttributeNames", query: "AttributeName", .list(.scalar))]),
                output: .structure([QueryMember("Attributes", query: "Attribute", Self.attributeMap)]))
        case .setQueueAttributes:
            return QueryOperationSchema(input: .structure([QueryMember("Attributes", query: "Attribute", Self.attributeMap)]))
        case .sendMessage:
            return QueryOperationSchema(
                input: .structure([Self.messageAttributes, Self.messageSystemAttributes]),
                output: .structure([QueryMember("MessageId", .scalar)]))
        case .sendMessageBatch:
            return Self.batch("SendMessageBatchRequestEntry", "SendMessageBatchResultEntry",
                              entry: [Self.messageAttributes, Self.messageSystemAttributes])
        case .receiveMessage:
            return QueryOperationSchema(
                input: .structure([
                    QueryMember("AttributeNames", query: "AttributeName", .list(.scalar)),
                    QueryMember("MessageSystemAttributeNames", query: "MessageSystemAttributeName", .list(.scalar)),
                    QueryMember("MessageAttributeNames", query: "MessageAttributeName", .list(.scalar)),
                ]),
                output: .structure([
                    QueryMember("Messages", query: "Message", .list(.structure([
                        QueryMember("Attributes", query: "Attribute", Self.attributeMap),
                        Self.messageAttributes,
                    ]))),
                ]))
        case .deleteMessageBatch:
            return Self.batch("DeleteMessageBatchRequestEntry", "DeleteMessageBatchResultEntry")
        case .changeMessageVisibilityBatch:
            return Self.batch("ChangeMessageVisibilityBatchRequestEntry", "ChangeMessageVisibilityBatchResultEntry")
        case .tagQueue:
            return QueryOperationSchema(input: .structure([QueryMember("Tags", query: "Tag", Self.tagMap)]))
        case .untagQueue:
            return QueryOperationSchema(input: .structure([QueryMember("TagKeys", query: "TagKey", .list(.scalar))]))
        case .listQueueTags:
            return QueryOperationSchema(output: .structure([QueryMember("Tags", query: "Tag", Self.tagMap)]))
        case .listDeadLetterSourceQueues:
            return QueryOperationSchema(output: .structure([QueryMember("queueUrls", query: "QueueUrl", .list(.scalar))]))
        case .addPermission:
            return QueryOperationSchema(input: .structure([
                QueryMember("AWSAccountIds", query: "AWSAccountId", .list(.scalar)),
                QueryMember("Actions", query: "ActionName", .list(.scalar)),
            ]))
        case .listMessageMoveTasks:
            return QueryOperationSchema(output: .structure([
                QueryMember("Results", query: "ListMessageMoveTasksResultEntry", .list(.structure([]))),
            ]))
        case .startMessageMoveTask:
            return QueryOperationSchema(output: .structure([QueryMember("TaskHandle", .scalar)]))
        case .cancelMessageMoveTask:
            return QueryOperationSchema(output: .structure([QueryMember("ApproximateNumberOfMessagesMoved", .scalar)]))
        case .changeMessageVisibility, .deleteMessage, .deleteQueue, .purgeQueue, .removePermission:
            return QueryOperationSchema()
        }
    }
}
