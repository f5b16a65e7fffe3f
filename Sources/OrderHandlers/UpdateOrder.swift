import JSON
import Lambda

extension OrderHandlers {
    /// Writes the payment result to the order record and returns the outcome the client
    /// and the webhook are told: `{messageId, executionArn, status, message, …}`. `status` is PAID, or
    /// PAYMENT_FAILED with the payment error (`error`, and `cause`: the error document).
    static let updateOrder: LambdaHandler = { event, context in
        let settings = OrderSettings(context)
        let messageId = try OrderSupport.require(event, "messageId")
        let status = event["status"]?.stringValue ?? "PAID"
        var outcome: JSONObject = ["messageId": .string(messageId), "status": .string(status)]
        if let executionArn = event["executionArn"]?.stringValue { outcome["executionArn"] = .string(executionArn) }
        var values: JSONObject = [":status": ["S": .string(status)], ":at": ["S": .string(OrderSupport.now())]]
        var update = "SET #status = :status, updatedAt = :at"
        if let payment = event["payment"], payment.objectValue != nil {
            update += ", payment = :payment"
            values[":payment"] = OrderSupport.attribute(payment)
            outcome["amount"] = payment["amount"] ?? .null
            outcome["transactionId"] = payment["transactionId"] ?? .null
            outcome["message"] = .string("Payment of \(payment["amount"]?.jsonString ?? "?") approved")
        }
        if let error = event["error"]?.stringValue {
            // Cause is the function's error document as JSON text; its errorMessage reads best.
            let cause = event["cause"]?.stringValue ?? ""
            let message = (try? JSONValue.parse(cause))?["errorMessage"]?.stringValue ?? cause
            update += ", paymentError = :error"
            values[":error"] = OrderSupport.attribute(["error": .string(error), "message": .string(message)])
            outcome["error"] = .string(error)
            outcome["message"] = .string(message)
        }
        let updated = try await context.call("dynamodb", "UpdateItem", [
            "TableName": .string(settings.ordersTable), "Key": ["messageId": ["S": .string(messageId)]],
            "UpdateExpression": .string(update), "ExpressionAttributeNames": ["#status": "status"],
            "ExpressionAttributeValues": .object(values), "ReturnValues": "ALL_NEW"])
        if let total = updated["Attributes"]?["total"] { outcome["total"] = OrderSupport.plain(total) }
        return .object(outcome)
    }
}
