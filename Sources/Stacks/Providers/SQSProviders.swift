import JSON

/// AWS::SQS::Queue: Ref is the queue URL; Arn, QueueName and QueueUrl are attributes.
struct SQSQueueProvider: ResourceProvider {
    static func attributes(_ p: JSONObject) -> JSONValue {
        var attributes = JSONObject()
        for member in Properties.without(p, ["QueueName", "Tags"]) {
            attributes.append(member.key, member.key.hasPrefix("Redrive") ? Properties.jsonText(member.value)
                                                                          : .string(StackTemplate.text(member.value)))
        }
        return .object(attributes)
    }

    func create(_ id: String, _ p: JSONObject, _ stack: StackContext) async throws -> DeployedResource {
        let fifo = p["FifoQueue"].map(StackTemplate.text) == "true"
        let name = p["QueueName"]?.stringValue ?? stack.physicalName(id, maxLength: 80, suffix: fifo ? ".fifo" : "")
        var input: JSONObject = ["QueueName": .string(name), "Attributes": Self.attributes(p)]
        if let tags = Properties.tagMap(p["Tags"]) { input.append("tags", tags) }
        let url = try await stack.call("sqs", "CreateQueue", .object(input))["QueueUrl"] ?? .null
        let arn = try await stack.call("sqs", "GetQueueAttributes", ["QueueUrl": url, "AttributeNames": ["QueueArn"]])["Attributes"]?["QueueArn"]
        return DeployedResource(type: "AWS::SQS::Queue", properties: p, ref: url,
                                attributes: ["Arn": arn ?? .null, "QueueName": .string(name), "QueueUrl": url])
    }

    func update(_ id: String, _ old: DeployedResource, _ p: JSONObject, _ stack: StackContext) async throws -> DeployedResource? {
        guard p["QueueName"] == old.properties["QueueName"], p["FifoQueue"] == old.properties["FifoQueue"] else { return nil }
        // Attributes no longer set go back to SQS's defaults.
        var attributes = Self.attributes(p).objectValue ?? JSONObject()
        let defaults: [String: String] = ["DelaySeconds": "0", "MaximumMessageSize": "262144", "MessageRetentionPeriod": "345600",
                                          "ReceiveMessageWaitTimeSeconds": "0", "VisibilityTimeout": "30", "RedrivePolicy": "",
                                          "Policy": ""]
        for (name, value) in defaults where attributes[name] == nil && old.properties[name] != nil {
            attributes[name] = .string(value)
        }
        attributes["FifoQueue"] = nil
        _ = try await stack.call("sqs", "SetQueueAttributes", ["QueueUrl": old.ref, "Attributes": .object(attributes)])
        var updated = old
        updated.properties = p
        return updated
    }

    func delete(_ id: String, _ deployed: DeployedResource, _ stack: StackContext) async throws {
        _ = try await stack.call("sqs", "DeleteQueue", ["QueueUrl": deployed.ref])
    }
}

/// AWS::SQS::QueuePolicy: the policy document set on each listed queue.
struct SQSQueuePolicyProvider: ResourceProvider {
    func create(_ id: String, _ p: JSONObject, _ stack: StackContext) async throws -> DeployedResource {
        guard let document = p["PolicyDocument"], let queues = p["Queues"]?.arrayValue else {
            throw TemplateError(resource: id, property: "PolicyDocument", "a queue policy needs PolicyDocument and Queues.")
        }
        for queue in queues {
            _ = try await stack.call("sqs", "SetQueueAttributes",
                                     ["QueueUrl": queue, "Attributes": ["Policy": Properties.jsonText(document)]])
        }
        return DeployedResource(type: "AWS::SQS::QueuePolicy", properties: p, ref: .string(id), attributes: [:])
    }

    func delete(_ id: String, _ deployed: DeployedResource, _ stack: StackContext) async throws {
        for queue in deployed.properties["Queues"]?.arrayValue ?? [] {
            _ = try? await stack.call("sqs", "SetQueueAttributes", ["QueueUrl": queue, "Attributes": ["Policy": ""]])
        }
    }
}
