import JSON
import Lambda

/// The Swift handlers of the WebSocket order pattern (issue 7), each named as the
/// pattern names its function. A template's `Handler: PlaceOrder` picks one.
///
/// POST /orders → `PlaceOrder` → SQS `orders` → `StartExecutionStepFunctions` → the
/// `order-workflow` state machine: `WebSocketIDMessage` → `SaveOrder` → `ProcessPayment`
/// → `UpdateOrder` → `GetConnect` (retried until `OnConnect` has stored the client's
/// connection) → `Notify`, then an `sns:publish` task sends the outcome to the topic.
/// `GetOrder` answers GET /orders/{messageId}.
public enum OrderHandlers {
    /// Every handler by name.
    public static let all: [(name: String, handler: LambdaHandler)] = [
        ("PlaceOrder", placeOrder),
        ("GetOrder", getOrder),
        ("StartExecutionStepFunctions", startExecutionStepFunctions),
        ("WebSocketIDMessage", webSocketIDMessage),
        ("SaveOrder", saveOrder),
        ("ProcessPayment", processPayment),
        ("UpdateOrder", updateOrder),
        ("OnConnect", onConnect),
        ("OnDisconnect", onDisconnect),
        ("GetConnect", getConnect),
        ("Notify", notify),
    ]

    public static func register(into handlers: LambdaHandlers) {
        for (name, handler) in all { handlers.register(name, handler) }
    }
}
