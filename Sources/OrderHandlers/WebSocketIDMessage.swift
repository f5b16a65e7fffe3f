import JSON
import Lambda

extension OrderHandlers {
    /// First state: saves message id → execution ARN and WebSocket URL, so a client
    /// holding only the MessageId can find its execution (GET /orders/{messageId}).
    static let webSocketIDMessage: LambdaHandler = { event, context in
        let settings = OrderSettings(context)
        let messageId = try OrderSupport.require(event, "messageId")
        let executionArn = try OrderSupport.require(event, "executionArn")
        let record: JSONObject = ["messageId": .string(messageId), "executionArn": .string(executionArn),
                                  "webSocketUrl": .string(settings.webSocketURL), "createdAt": .string(OrderSupport.now())]
        _ = try await context.call("dynamodb", "PutItem", ["TableName": .string(settings.executionsTable),
                                                           "Item": OrderSupport.dynamoItem(record)])
        return .object(record)
    }
}
