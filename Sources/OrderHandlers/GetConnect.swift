import JSON
import Lambda

extension OrderHandlers {
    /// Reads the connection id stored for an execution. Fails with `ConnectionNotFound`
    /// until `OnConnect` has written it; the workflow retries that error while the
    /// client connects.
    static let getConnect: LambdaHandler = { event, context in
        let settings = OrderSettings(context)
        let executionArn = try OrderSupport.require(event, "executionArn")
        let found = try await context.call("dynamodb", "GetItem", [
            "TableName": .string(settings.connectionsTable), "Key": ["executionArn": ["S": .string(executionArn)]],
            "ConsistentRead": true])
        guard let connectionId = found["Item"]?["connectionId"]?["S"]?.stringValue else {
            throw LambdaFunctionError("ConnectionNotFound", "No WebSocket client has connected for \(executionArn) yet")
        }
        return ["connectionId": .string(connectionId), "executionArn": .string(executionArn)]
    }
}
