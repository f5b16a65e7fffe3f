import Wire

/// A DynamoDB error: its `__type` shape name and AWS's message wording.
public struct DynamoDBError: AWSServiceError, Equatable, CustomStringConvertible {
    public var code: String
    public var queryCode: String { code }
    public var httpStatus: Int
    public var message: String
    public var isSenderFault: Bool { httpStatus < 500 }
    /// TransactionCanceledException's reasons, one per action, in order.
    public var cancellationReasons: [CancellationReason]?

    public struct CancellationReason: Equatable, Sendable {
        public var code: String
        public var message: String?
        public var item: Item?

        public static func == (a: CancellationReason, b: CancellationReason) -> Bool {
            a.code == b.code && a.message == b.message
        }
    }

    public init(_ code: String, _ message: String, status: Int = 400) {
        self.code = code
        self.message = message
        self.httpStatus = status
    }

    public var description: String { "\(code): \(message)" }

    public static func validation(_ message: String) -> DynamoDBError { DynamoDBError("ValidationException", message) }
    public static func resourceNotFound(_ message: String = "Requested resource not found") -> DynamoDBError {
        DynamoDBError("ResourceNotFoundException", message)
    }
    public static func resourceInUse(_ message: String) -> DynamoDBError { DynamoDBError("ResourceInUseException", message) }
    public static func conditionalCheckFailed(_ item: Item? = nil) -> DynamoDBError {
        var e = DynamoDBError("ConditionalCheckFailedException", "The conditional request failed")
        e.item = item
        return e
    }
    /// ReturnValuesOnConditionCheckFailure=ALL_OLD puts the item in the error.
    public var item: Item?

    public static func == (a: DynamoDBError, b: DynamoDBError) -> Bool {
        a.code == b.code && a.message == b.message && a.httpStatus == b.httpStatus
    }
}
