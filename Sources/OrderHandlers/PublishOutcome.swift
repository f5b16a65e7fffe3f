import JSON
import Lambda

extension OrderHandlers {
    /// Publishes the order's outcome to the SNS topic (`TOPIC_ARN`); its subscribers
    /// (the webhook) receive it. The message is the outcome as JSON, with `status` also
    /// as a message attribute for filter policies.
    static let publishOutcome: LambdaHandler = { event, context in
        let settings = OrderSettings(context)
        guard let outcome = event["outcome"], outcome.objectValue != nil else {
            throw LambdaFunctionError("InvalidInput", "The event has no 'outcome' object")
        }
        var message = outcome.objectValue ?? JSONObject()
        if let arn = event["executionArn"]?.stringValue { message["executionArn"] = .string(arn) }
        if let notified = event["notified"]?.boolValue { message["notified"] = .bool(notified) }
        let status = outcome["status"]?.stringValue ?? "UNKNOWN"
        let published = try await context.call("sns", "Publish", [
            "TopicArn": .string(settings.topicArn), "Subject": .string("Order \(status)"),
            "Message": .string(JSONValue.object(message).jsonString),
            "MessageAttributes": ["status": ["DataType": "String", "StringValue": .string(status)]]])
        return ["MessageId": published["MessageId"] ?? .null, "TopicArn": .string(settings.topicArn)]
    }
}
