import JSON
import Lambda

extension OrderHandlers {
    /// POST /orders (HTTP API, payload 2.0): sends the order to the `orders` queue and
    /// answers 202 with the SQS MessageId to track it and the WebSocket URL to connect to.
    static let placeOrder: LambdaHandler = { event, context in
        let settings = OrderSettings(context)
        guard let text = OrderSupport.body(of: event), let order = try? JSONValue.parse(text), order.objectValue != nil else {
            return OrderSupport.response(400, ["message": "The body must be a JSON object: the order"])
        }
        guard OrderSupport.total(of: order) != nil else {
            return OrderSupport.response(400, ["message": "The order needs a numeric 'total' or 'items' with 'price' (and 'quantity')"])
        }
        let queueURL: String
        if let url = settings.queueURL {
            queueURL = url
        } else {
            let found = try await context.call("sqs", "GetQueueUrl", ["QueueName": .string(settings.queueName)])
            queueURL = found["QueueUrl"]?.stringValue ?? ""
        }
        let sent = try await context.call("sqs", "SendMessage", ["QueueUrl": .string(queueURL), "MessageBody": .string(order.jsonString)])
        let messageId = sent["MessageId"] ?? .null
        context.logger.info("order queued as \(messageId.stringValue ?? "?")")
        return OrderSupport.response(202, ["messageId": messageId, "webSocketUrl": .string(settings.webSocketURL), "status": "ACCEPTED"])
    }
}
