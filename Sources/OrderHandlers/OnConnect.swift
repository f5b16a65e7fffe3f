import JSON
import Lambda

extension OrderHandlers {
    /// WebSocket `$connect`: the client connects with `?executionArn=…`; its connection
    /// id is stored under that ARN for `GetConnect`. Without the parameter the handshake
    /// is refused with 400.
    static let onConnect: LambdaHandler = { event, context in
        let settings = OrderSettings(context)
        guard let connectionId = event["requestContext"]?["connectionId"]?.stringValue else {
            return OrderSupport.response(400, ["message": "Not a WebSocket $connect event"])
        }
        guard let executionArn = event["queryStringParameters"]?["executionArn"]?.stringValue, !executionArn.isEmpty else {
            return OrderSupport.response(400, ["message": "Connect with ?executionArn=<the execution of your order>"])
        }
        let record: JSONObject = ["executionArn": .string(executionArn), "connectionId": .string(connectionId),
                                  "connectedAt": .string(OrderSupport.now())]
        _ = try await context.call("dynamodb", "PutItem", ["TableName": .string(settings.connectionsTable),
                                                           "Item": OrderSupport.dynamoItem(record)])
        context.logger.info("connection \(connectionId) waits for \(executionArn)")
        return ["statusCode": 200]
    }
}
