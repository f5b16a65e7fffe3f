import JSON
import Lambda

extension OrderHandlers {
    /// SQS event source: starts one `order-workflow` execution per message, named after
    /// the message id (a redelivered message finds its execution already started), with
    /// the order, the message id and the request id. Messages that could not start are
    /// reported as batch item failures, so only they come back.
    static let startExecutionStepFunctions: LambdaHandler = { event, context in
        let settings = OrderSettings(context)
        var failures: [JSONValue] = []
        for record in event["Records"]?.arrayValue ?? [] {
            let messageId = record["messageId"]?.stringValue ?? ""
            do {
                guard let body = record["body"]?.stringValue, let order = try? JSONValue.parse(body) else {
                    throw LambdaFunctionError("InvalidOrder", "The message body is not JSON")
                }
                let input: JSONValue = ["order": order, "messageId": .string(messageId), "requestId": .string(context.requestID)]
                do {
                    let started = try await context.call("stepfunctions", "StartExecution", [
                        "stateMachineArn": .string(settings.stateMachineArn), "name": .string(messageId), "input": .string(input.jsonString)])
                    context.logger.info("message \(messageId) started \(started["executionArn"]?.stringValue ?? "?")")
                } catch {
                    // Started by an earlier delivery of the same message?
                    let arn = settings.stateMachineArn.replacingOccurrences(of: ":stateMachine:", with: ":execution:") + ":" + messageId
                    guard (try? await context.call("stepfunctions", "DescribeExecution", ["executionArn": .string(arn)])) != nil else { throw error }
                    context.logger.info("message \(messageId) already started \(arn)")
                }
            } catch {
                context.logger.error("message \(messageId) not started: \(error)")
                failures.append(["itemIdentifier": .string(messageId)])
            }
        }
        return ["batchItemFailures": .array(failures)]
    }
}
