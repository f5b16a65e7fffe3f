import JSON

/// AWS::SNS::Topic: Ref is the topic ARN; TopicArn and TopicName are attributes.
/// Inline `Subscription` entries are subscribed with it.
struct SNSTopicProvider: ResourceProvider {
    func create(_ id: String, _ p: JSONObject, _ stack: StackContext) async throws -> DeployedResource {
        let fifo = p["FifoTopic"].map(StackTemplate.text) == "true"
        let name = p["TopicName"]?.stringValue ?? stack.physicalName(id, maxLength: 256, suffix: fifo ? ".fifo" : "")
        var attributes = JSONObject()
        for member in Properties.without(p, ["TopicName", "Tags", "Subscription"]) {
            attributes.append(member.key, member.value.objectValue != nil ? Properties.jsonText(member.value)
                                                                         : .string(StackTemplate.text(member.value)))
        }
        var input: JSONObject = ["Name": .string(name), "Attributes": .object(attributes)]
        if let tags = p["Tags"] { input.append("Tags", tags) }
        let arn = try await stack.call("sns", "CreateTopic", .object(input))["TopicArn"] ?? .null
        for subscription in p["Subscription"]?.arrayValue ?? [] {
            _ = try await stack.call("sns", "Subscribe", ["TopicArn": arn, "Protocol": subscription["Protocol"] ?? .null,
                                                          "Endpoint": subscription["Endpoint"] ?? .null])
        }
        return DeployedResource(type: "AWS::SNS::Topic", properties: p, ref: arn, attributes: ["TopicArn": arn, "TopicName": .string(name)])
    }

    func delete(_ id: String, _ deployed: DeployedResource, _ stack: StackContext) async throws {
        _ = try await stack.call("sns", "DeleteTopic", ["TopicArn": deployed.ref])
    }
}

/// AWS::SNS::Subscription: Ref is the subscription ARN.
struct SNSSubscriptionProvider: ResourceProvider {
    func create(_ id: String, _ p: JSONObject, _ stack: StackContext) async throws -> DeployedResource {
        guard let topic = p["TopicArn"], let proto = p["Protocol"] else {
            throw TemplateError(resource: id, property: "TopicArn", "a subscription needs TopicArn and Protocol.")
        }
        var attributes = JSONObject()
        for member in Properties.without(p, ["TopicArn", "Protocol", "Endpoint", "Region"]) {
            attributes.append(member.key, member.value.objectValue != nil ? Properties.jsonText(member.value)
                                                                         : .string(StackTemplate.text(member.value)))
        }
        var input: JSONObject = ["TopicArn": topic, "Protocol": proto, "ReturnSubscriptionArn": true, "Attributes": .object(attributes)]
        if let endpoint = p["Endpoint"] { input.append("Endpoint", endpoint) }
        let arn = try await stack.call("sns", "Subscribe", .object(input))["SubscriptionArn"] ?? .null
        return DeployedResource(type: "AWS::SNS::Subscription", properties: p, ref: arn, attributes: ["Arn": arn])
    }

    func delete(_ id: String, _ deployed: DeployedResource, _ stack: StackContext) async throws {
        _ = try await stack.call("sns", "Unsubscribe", ["SubscriptionArn": deployed.ref])
    }
}
