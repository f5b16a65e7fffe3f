import JSON
import Lambda

extension OrderHandlers {
    /// WebSocket `$disconnect`: removes the connection's record, found through the
    /// table's index on `connectionId`.
    static let onDisconnect: LambdaHandler = { event, context in
        let settings = OrderSettings(context)
        guard let connectionId = event["requestContext"]?["connectionId"]?.stringValue else { return ["statusCode": 200] }
        let found = try await context.call("dynamodb", "Query", [
            "TableName": .string(settings.connectionsTable), "IndexName": .string(settings.connectionsIndex),
            "KeyConditionExpression": "connectionId = :c", "ExpressionAttributeValues": [":c": ["S": .string(connectionId)]]])
        for item in found["Items"]?.arrayValue ?? [] {
            guard let arn = item["executionArn"] else { continue }
            // Only if it is still this connection: the client may have reconnected meanwhile.
            _ = try? await context.call("dynamodb", "DeleteItem", [
                "TableName": .string(settings.connectionsTable), "Key": ["executionArn": arn],
                "ConditionExpression": "connectionId = :c", "ExpressionAttributeValues": [":c": ["S": .string(connectionId)]]])
        }
        return ["statusCode": 200]
    }
}
