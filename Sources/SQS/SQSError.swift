import Wire

/// An SQS error: the model's shape name for JSON clients, the legacy code for query
/// clients (and for `x-amzn-query-error`), with AWS's own messages.
public struct SQSError: AWSServiceError, Equatable, CustomStringConvertible {
    public var code: String
    public var queryCode: String
    public var httpStatus: Int
    public var message: String
    public var isSenderFault: Bool

    init(_ code: String, query: String? = nil, status: Int = 400, _ message: String, sender: Bool = true) {
        self.code = code
        self.queryCode = query ?? code
        self.httpStatus = status
        self.message = message
        self.isSenderFault = sender
    }

    public var description: String { "\(queryCode): \(message)" }

    static func queueDoesNotExist() -> SQSError {
        SQSError("QueueDoesNotExist", query: "AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist.")
    }
    static func queueNameExists(_ attribute: String) -> SQSError {
        SQSError("QueueNameExists", query: "QueueAlreadyExists",
                 "A queue already exists with the same name and a different value for attribute \(attribute)")
    }
    static func invalidParameterValue(_ message: String) -> SQSError {
        SQSError("InvalidParameterValue", message)
    }
    /// AWS's standard wording: "Value X for parameter Y is invalid. Reason: Z."
    static func invalidParameter(_ name: String, value: String, reason: String) -> SQSError {
        SQSError("InvalidParameterValue", "Value \(value) for parameter \(name) is invalid. Reason: \(reason)")
    }
    static func missingParameter(_ name: String) -> SQSError {
        SQSError("MissingRequiredParameterException", query: "MissingParameter", "The request must contain the parameter \(name).")
    }
    static func invalidAttributeName(_ name: String) -> SQSError {
        SQSError("InvalidAttributeName", "Unknown Attribute \(name).")
    }
    static func invalidAttributeValue(_ name: String, reason: String? = nil) -> SQSError {
        SQSError("InvalidAttributeValue", "Invalid value for the parameter \(name).\(reason.map { " Reason: \($0)" } ?? "")")
    }
    static func invalidMessageContents() -> SQSError {
        SQSError("InvalidMessageContents", "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF")
    }
    static func receiptHandleIsInvalid(_ handle: String) -> SQSError {
        SQSError("ReceiptHandleIsInvalid", "The input receipt handle \"\(handle)\" is not a valid receipt handle.")
    }
    static func messageNotInflight() -> SQSError {
        SQSError("MessageNotInflight", query: "AWS.SimpleQueueService.MessageNotInflight", "Message is not in flight.")
    }
    static func tooManyEntries(_ count: Int) -> SQSError {
        SQSError("TooManyEntriesInBatchRequest", query: "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
                 "Maximum number of entries per request are 10. You have sent \(count).")
    }
    static func emptyBatch(_ parameter: String) -> SQSError {
        SQSError("EmptyBatchRequest", query: "AWS.SimpleQueueService.EmptyBatchRequest",
                 "There should be at least one \(parameter) in the request.")
    }
    static func batchEntryIdsNotDistinct(_ id: String) -> SQSError {
        SQSError("BatchEntryIdsNotDistinct", query: "AWS.SimpleQueueService.BatchEntryIdsNotDistinct", "Id \(id) repeated.")
    }
    static func invalidBatchEntryId() -> SQSError {
        SQSError("InvalidBatchEntryId", query: "AWS.SimpleQueueService.InvalidBatchEntryId",
                 "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.")
    }
    static func batchRequestTooLong(_ size: Int, limit: Int) -> SQSError {
        SQSError("BatchRequestTooLong", query: "AWS.SimpleQueueService.BatchRequestTooLong",
                 "Batch requests cannot be longer than \(limit) bytes. You have sent \(size) bytes.")
    }
    static func purgeQueueInProgress(_ name: String) -> SQSError {
        SQSError("PurgeQueueInProgress", query: "AWS.SimpleQueueService.PurgeQueueInProgress", status: 403,
                 "Only one PurgeQueue operation on \(name) is allowed every 60 seconds.")
    }
    static func overLimit(_ message: String) -> SQSError {
        SQSError("OverLimit", status: 403, message)
    }
    static func resourceNotFound(_ message: String) -> SQSError {
        SQSError("ResourceNotFoundException", status: 404, message)
    }
    static func unsupportedOperation(_ message: String) -> SQSError {
        SQSError("UnsupportedOperation", query: "AWS.SimpleQueueService.UnsupportedOperation", message)
    }

    /// A request member missing or of the wrong type, as SQS reports it.
    static func from(_ error: ShapeError) -> SQSError {
        switch error {
        case .missing:
            return .missingParameter(error.memberName)
        case .typeMismatch(_, let expected, let found, let lenient):
            if lenient {
                return .invalidParameter(error.memberName, value: found, reason: "Must be \(expected == "integer" ? "an integer" : "a \(expected)").")
            }
            return SQSError("SerializationException", "Expected \(expected) for \(error.memberName), found \(found).")
        }
    }
}
