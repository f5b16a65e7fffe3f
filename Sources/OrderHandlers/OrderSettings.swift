import Lambda

/// What a handler reads from its function's environment (set by `template.yaml`), with
/// the defaults the reference architecture uses when a variable is absent.
struct OrderSettings {
    let environment: [String: String]
    /// Region and account, from the invoked function's ARN.
    let region: String
    let account: String

    init(_ context: LambdaContext) {
        environment = context.environment
        let parts = context.invokedFunctionARN.split(separator: ":", omittingEmptySubsequences: false)
        region = parts.count > 4 && !parts[3].isEmpty ? String(parts[3]) : "us-east-1"
        account = parts.count > 4 && !parts[4].isEmpty ? String(parts[4]) : "000000000000"
    }

    func value(_ name: String, _ fallback: String) -> String {
        if let value = environment[name], !value.isEmpty { return value }
        return fallback
    }

    /// Message id → execution ARN and WebSocket URL.
    var executionsTable: String { value("EXECUTIONS_TABLE", "OrderExecutions") }
    /// The order records, keyed by message id.
    var ordersTable: String { value("ORDERS_TABLE", "Orders") }
    /// Execution ARN → WebSocket connection id, with an index on the connection id.
    var connectionsTable: String { value("CONNECTIONS_TABLE", "OrderConnections") }
    var connectionsIndex: String { value("CONNECTIONS_INDEX", "ConnectionIdIndex") }
    /// The queue POST /orders sends to: a URL, or found by name.
    var queueURL: String? { environment["QUEUE_URL"].flatMap { $0.isEmpty ? nil : $0 } }
    var queueName: String { value("QUEUE_NAME", "orders") }
    var stateMachineArn: String {
        value("STATE_MACHINE_ARN", "arn:aws:states:\(region):\(account):stateMachine:order-workflow")
    }
    /// Where clients connect to be told the outcome (the WebSocket API's stage URL).
    var webSocketURL: String { value("WEBSOCKET_URL", "") }
    /// Orders with a total above this are declined by `ProcessPayment`.
    var paymentLimit: Double { Double(value("PAYMENT_LIMIT", "1000")) ?? 1000 }
}
