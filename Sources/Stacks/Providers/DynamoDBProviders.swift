import JSON

/// AWS::DynamoDB::Table: Ref is the table name; Arn and StreamArn are attributes.
/// TimeToLiveSpecification is applied after the table exists, as CloudFormation does.
struct DynamoDBTableProvider: ResourceProvider {
    static let passed = ["AttributeDefinitions", "KeySchema", "BillingMode", "ProvisionedThroughput", "GlobalSecondaryIndexes",
                         "LocalSecondaryIndexes", "SSESpecification", "Tags", "TableClass", "DeletionProtectionEnabled"]

    func create(_ id: String, _ p: JSONObject, _ stack: StackContext) async throws -> DeployedResource {
        guard p["KeySchema"] != nil, p["AttributeDefinitions"] != nil else {
            throw TemplateError(resource: id, property: "KeySchema", "a table needs KeySchema and AttributeDefinitions.")
        }
        let name = p["TableName"]?.stringValue ?? stack.physicalName(id, maxLength: 255)
        var input: JSONObject = ["TableName": .string(name)]
        for key in Self.passed { if let v = p[key] { input.append(key, v) } }
        if input["BillingMode"] == nil && input["ProvisionedThroughput"] == nil { input["BillingMode"] = "PAY_PER_REQUEST" }
        if let view = p["StreamSpecification"]?["StreamViewType"] {
            input.append("StreamSpecification", ["StreamEnabled": true, "StreamViewType": view])
        }
        let description = try await stack.call("dynamodb", "CreateTable", .object(input))["TableDescription"]
        try await applyTimeToLive(name, p["TimeToLiveSpecification"], previous: nil, stack)
        return DeployedResource(type: "AWS::DynamoDB::Table", properties: p, ref: .string(name),
                                attributes: ["Arn": description?["TableArn"] ?? .null, "StreamArn": description?["LatestStreamArn"] ?? .null])
    }

    func applyTimeToLive(_ table: String, _ spec: JSONValue?, previous: JSONValue?, _ stack: StackContext) async throws {
        let enabled = spec?["Enabled"].map(StackTemplate.text) == "true"
        if enabled, let attribute = spec?["AttributeName"] {
            _ = try await stack.call("dynamodb", "UpdateTimeToLive",
                                     ["TableName": .string(table), "TimeToLiveSpecification": ["AttributeName": attribute, "Enabled": true]])
        } else if previous?["Enabled"].map(StackTemplate.text) == "true", let attribute = previous?["AttributeName"] {
            _ = try await stack.call("dynamodb", "UpdateTimeToLive",
                                     ["TableName": .string(table), "TimeToLiveSpecification": ["AttributeName": attribute, "Enabled": false]])
        }
    }

    /// A change of name, keys or indexes replaces the table; TTL changes are applied in place.
    func update(_ id: String, _ old: DeployedResource, _ p: JSONObject, _ stack: StackContext) async throws -> DeployedResource? {
        let inPlace: Set<String> = ["TimeToLiveSpecification", "Tags", "PointInTimeRecoverySpecification", "DeletionProtectionEnabled"]
        guard Properties.without(p, inPlace) == Properties.without(old.properties, inPlace) else { return nil }
        if p["TimeToLiveSpecification"] != old.properties["TimeToLiveSpecification"], let table = old.ref.stringValue {
            try await applyTimeToLive(table, p["TimeToLiveSpecification"], previous: old.properties["TimeToLiveSpecification"], stack)
        }
        var updated = old
        updated.properties = p
        return updated
    }

    func delete(_ id: String, _ deployed: DeployedResource, _ stack: StackContext) async throws {
        _ = try await stack.call("dynamodb", "DeleteTable", ["TableName": deployed.ref])
    }
}
