import JSON

/// The `AWS::Serverless-2016-10-31` transform: SAM's resource types expanded into
/// the CloudFormation resources SAM generates for them, under the logical ids SAM
/// gives them, so Ref and Fn::GetAtt on either name work as they do on AWS.
enum SAMTransform {
    typealias Resource = StackTemplate.Resource

    static func expand(_ template: inout StackTemplate, stackName: String) throws {
        let functionGlobals = template.globals["Function"]?.objectValue ?? JSONObject()
        var expanded: [Resource] = []
        var implicitAPIs: [String: Bool] = [:]   // logical id → created
        for resource in template.resources {
            switch resource.type {
            case "AWS::Serverless::Function":
                var properties = functionGlobals
                for member in resource.properties { properties[member.key] = member.value }
                expanded += try function(resource, properties, implicitAPIs: &implicitAPIs)
            case "AWS::Serverless::StateMachine":
                expanded.append(stateMachine(resource))
            case "AWS::Serverless::HttpApi":
                expanded += httpAPI(resource, stackName: stackName)
            case "AWS::Serverless::SimpleTable":
                expanded.append(simpleTable(resource))
            default:
                expanded.append(resource)
            }
        }
        if implicitAPIs["ServerlessHttpApi"] != nil {
            expanded += implicitAPI("ServerlessHttpApi", stage: "$default", stackName: stackName)
        }
        if implicitAPIs["ServerlessRestApi"] != nil {
            expanded += implicitAPI("ServerlessRestApi", stage: "Prod", stackName: stackName)
        }
        template.resources = expanded
    }

    static func resource(_ id: String, _ type: String, _ properties: JSONObject, like source: Resource, dependsOn: [String] = []) -> Resource {
        Resource(logicalId: id, type: type, properties: properties, dependsOn: dependsOn, condition: source.condition,
                 deletionPolicy: source.deletionPolicy)
    }

    static func function(_ source: Resource, _ p: JSONObject, implicitAPIs: inout [String: Bool]) throws -> [Resource] {
        let id = source.logicalId
        var properties = JSONObject()
        for key in ["FunctionName", "Handler", "Runtime", "Timeout", "MemorySize", "Environment", "Description", "Role",
                    "Architectures", "ReservedConcurrentExecutions", "EphemeralStorage", "TracingConfig", "DeadLetterConfig"] {
            if let v = p[key] { properties.append(key, v) }
        }
        guard properties["Handler"] != nil else { throw TemplateError(resource: id, property: "Handler", "a function needs a Handler.") }
        if let tags = p["Tags"]?.objectValue {
            properties.append("Tags", .array(tags.map { ["Key": .string($0.key), "Value": $0.value] }))
        }
        var out = [resource(id, "AWS::Lambda::Function", properties, like: source, dependsOn: source.dependsOn)]
        let functionArn: JSONValue = ["Fn::GetAtt": [.string(id), "Arn"]]
        for event in p["Events"]?.objectValue ?? JSONObject() {
            guard let type = event.value["Type"]?.stringValue else {
                throw TemplateError(resource: id, property: "Events.\(event.key)", "an event needs a Type.")
            }
            let e = event.value["Properties"]?.objectValue ?? JSONObject()
            let name = id + event.key
            switch type {
            case "SQS", "DynamoDB", "Kinesis":
                var mapping: JSONObject = ["FunctionName": ["Ref": .string(id)]]
                guard let arn = e[type == "SQS" ? "Queue" : "Stream"] else {
                    throw TemplateError(resource: id, property: "Events.\(event.key).Properties", "\(type) events need \(type == "SQS" ? "Queue" : "Stream").")
                }
                mapping.append("EventSourceArn", arn)
                for key in ["BatchSize", "Enabled", "MaximumBatchingWindowInSeconds", "FunctionResponseTypes", "ScalingConfig",
                            "StartingPosition", "MaximumRetryAttempts", "BisectBatchOnFunctionError", "MaximumRecordAgeInSeconds",
                            "ParallelizationFactor", "FilterCriteria", "DestinationConfig"] {
                    if let v = e[key] { mapping.append(key, v) }
                }
                out.append(resource(name, "AWS::Lambda::EventSourceMapping", mapping, like: source))
            case "SNS":
                var subscription: JSONObject = ["Protocol": "lambda", "Endpoint": functionArn]
                guard let topic = e["Topic"] else { throw TemplateError(resource: id, property: "Events.\(event.key).Properties", "SNS events need Topic.") }
                subscription.append("TopicArn", topic)
                for key in ["FilterPolicy", "FilterPolicyScope", "RedrivePolicy"] {
                    if let v = e[key] { subscription.append(key, v) }
                }
                out.append(resource(name, "AWS::SNS::Subscription", subscription, like: source))
            case "HttpApi", "Api":
                let api: JSONValue
                if let given = e[type == "HttpApi" ? "ApiId" : "RestApiId"] {
                    api = given
                } else {
                    let implicit = type == "HttpApi" ? "ServerlessHttpApi" : "ServerlessRestApi"
                    implicitAPIs[implicit] = true
                    api = ["Ref": .string(implicit)]
                }
                var integration: JSONObject = ["ApiId": api, "IntegrationType": "AWS_PROXY", "IntegrationUri": functionArn]
                integration.append("PayloadFormatVersion", e["PayloadFormatVersion"] ?? (type == "HttpApi" ? "2.0" : "1.0"))
                out.append(resource(name + "Integration", "AWS::ApiGatewayV2::Integration", integration, like: source))
                let routeKey: JSONValue
                if let path = e["Path"]?.stringValue {
                    let method = (e["Method"]?.stringValue ?? "ANY").uppercased()
                    routeKey = .string("\(method == "X-AMAZON-APIGATEWAY-ANY-METHOD" ? "ANY" : method) \(path)")
                } else {
                    routeKey = "$default"
                }
                out.append(resource(name + "Route", "AWS::ApiGatewayV2::Route",
                                    ["ApiId": api, "RouteKey": routeKey,
                                     "Target": ["Fn::Join": ["/", ["integrations", ["Ref": .string(name + "Integration")]]]]],
                                    like: source))
            default:
                // Schedules, EventBridge rules, S3 and the like have no emulated source yet.
                out.append(resource(name, "Offcloud::Ignored::\(type)Event", [:], like: source))
            }
        }
        return out
    }

    static func stateMachine(_ source: Resource) -> Resource {
        var properties = JSONObject()
        let p = source.properties
        if let v = p["Name"] { properties.append("StateMachineName", v) }
        if let v = p["Type"] { properties.append("StateMachineType", v) }
        if let v = p["Definition"] { properties.append("Definition", v) }
        if let v = p["DefinitionUri"] { properties.append("DefinitionUri", v) }
        if let v = p["DefinitionSubstitutions"] { properties.append("DefinitionSubstitutions", v) }
        if let v = p["Role"] { properties.append("RoleArn", v) }
        if let tags = p["Tags"]?.objectValue {
            properties.append("Tags", .array(tags.map { ["Key": .string($0.key), "Value": $0.value] }))
        }
        return resource(source.logicalId, "AWS::StepFunctions::StateMachine", properties, like: source, dependsOn: source.dependsOn)
    }

    static func httpAPI(_ source: Resource, stackName: String) -> [Resource] {
        let p = source.properties
        var api: JSONObject = ["Name": p["Name"] ?? .string("\(stackName)-\(source.logicalId)"), "ProtocolType": "HTTP"]
        if let cors = p["CorsConfiguration"], cors.objectValue != nil { api.append("CorsConfiguration", cors) }
        if let v = p["Description"] { api.append("Description", v) }
        let stageName = p["StageName"] ?? "$default"
        var stage: JSONObject = ["ApiId": ["Ref": .string(source.logicalId)], "StageName": stageName, "AutoDeploy": true]
        if let v = p["StageVariables"] { stage.append("StageVariables", v) }
        return [resource(source.logicalId, "AWS::ApiGatewayV2::Api", api, like: source, dependsOn: source.dependsOn),
                resource(source.logicalId + "ApiGatewayDefaultStage", "AWS::ApiGatewayV2::Stage", stage, like: source)]
    }

    static func implicitAPI(_ id: String, stage: String, stackName: String) -> [Resource] {
        let source = Resource(logicalId: id, type: "", properties: [:], dependsOn: [], condition: nil, deletionPolicy: nil)
        return [resource(id, "AWS::ApiGatewayV2::Api", ["Name": .string(stackName), "ProtocolType": "HTTP"], like: source),
                resource(id + "ApiGatewayDefaultStage", "AWS::ApiGatewayV2::Stage",
                         ["ApiId": ["Ref": .string(id)], "StageName": .string(stage), "AutoDeploy": true], like: source)]
    }

    static func simpleTable(_ source: Resource) -> Resource {
        let key = source.properties["PrimaryKey"]?.objectValue
        let name = key?["Name"] ?? "id"
        let type: JSONValue = switch key?["Type"]?.stringValue { case "Number": "N"; case "Binary": "B"; default: "S" }
        var properties: JSONObject = ["AttributeDefinitions": [["AttributeName": name, "AttributeType": type]],
                                      "KeySchema": [["AttributeName": name, "KeyType": "HASH"]]]
        if let throughput = source.properties["ProvisionedThroughput"] {
            properties.append("ProvisionedThroughput", throughput)
        } else {
            properties.append("BillingMode", "PAY_PER_REQUEST")
        }
        if let v = source.properties["TableName"] { properties.append("TableName", v) }
        return resource(source.logicalId, "AWS::DynamoDB::Table", properties, like: source, dependsOn: source.dependsOn)
    }
}
