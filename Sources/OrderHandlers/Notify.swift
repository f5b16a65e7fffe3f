import JSON
import Lambda

extension OrderHandlers {
    /// Posts the order's outcome to the client's connection through the @connections API.
    static let notify: LambdaHandler = { event, context in
        let connectionId = try OrderSupport.require(event, "connectionId")
        let outcome = event["outcome"] ?? .null
        _ = try await context.call("apigatewaymanagementapi", "PostToConnection",
                                   ["ConnectionId": .string(connectionId), "Data": .string(outcome.jsonString)])
        return ["connectionId": .string(connectionId), "delivered": true]
    }
}
