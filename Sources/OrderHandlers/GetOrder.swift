import JSON
import Lambda

extension OrderHandlers {
    /// GET /orders/{messageId}: the execution started for a message, with the WebSocket
    /// URL and the order's current status once `SaveOrder` has written it. 404 until
    /// `WebSocketIDMessage` has run.
    static let getOrder: LambdaHandler = { event, context in
        let settings = OrderSettings(context)
        guard let messageId = event["pathParameters"]?["messageId"]?.stringValue, !messageId.isEmpty else {
            return OrderSupport.response(400, ["message": "The path needs a message id: /orders/{messageId}"])
        }
        let key: JSONValue = ["messageId": ["S": .string(messageId)]]
        let found = try await context.call("dynamodb", "GetItem", ["TableName": .string(settings.executionsTable), "Key": key,
                                                                   "ConsistentRead": true])
        guard let item = found["Item"] else {
            return OrderSupport.response(404, ["message": .string("No execution for message \(messageId) yet"), "messageId": .string(messageId)])
        }
        var answer = OrderSupport.item(item).objectValue ?? JSONObject()
        let order = try await context.call("dynamodb", "GetItem", ["TableName": .string(settings.ordersTable), "Key": key,
                                                                   "ConsistentRead": true])
        if let record = order["Item"] {
            let plain = OrderSupport.item(record)
            answer["status"] = plain["status"] ?? .null
            if let payment = plain["payment"] { answer["payment"] = payment }
        }
        return OrderSupport.response(200, .object(answer))
    }
}
