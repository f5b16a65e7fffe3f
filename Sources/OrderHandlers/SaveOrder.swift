import JSON
import Lambda

extension OrderHandlers {
    /// Creates the order record: the order as sent, its message id and request id,
    /// status RECEIVED.
    static let saveOrder: LambdaHandler = { event, context in
        let settings = OrderSettings(context)
        let messageId = try OrderSupport.require(event, "messageId")
        guard let order = event["order"], order.objectValue != nil else {
            throw LambdaFunctionError("InvalidOrder", "The event has no 'order' object")
        }
        var record: JSONObject = ["messageId": .string(messageId), "requestId": event["requestId"] ?? .null, "order": order,
                                  "status": "RECEIVED", "createdAt": .string(OrderSupport.now())]
        if let total = OrderSupport.total(of: order) { record["total"] = OrderSupport.numberValue(total) }
        _ = try await context.call("dynamodb", "PutItem", ["TableName": .string(settings.ordersTable),
                                                           "Item": OrderSupport.dynamoItem(record)])
        return .object(record)
    }
}
