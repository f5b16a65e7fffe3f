import JSON

/// The AWS::ApiGatewayV2 resources, through the apigatewayv2 control plane. Each is
/// created with its properties in the API's camelCase; Ref is the resource's id (a
/// stage's name), and an Api also answers ApiEndpoint and ApiId.
struct APIGatewayV2Provider: ResourceProvider {
    enum Kind: String, CaseIterable {
        case api = "Api", route = "Route", integration = "Integration", stage = "Stage", deployment = "Deployment"
        case authorizer = "Authorizer", routeResponse = "RouteResponse", integrationResponse = "IntegrationResponse"

        var idMember: String {
            switch self {
            case .api: "apiId"
            case .stage: "stageName"
            default: rawValue.prefix(1).lowercased() + rawValue.dropFirst() + "Id"
            }
        }
    }

    let kind: Kind

    /// Members whose keys are the user's, not API Gateway's.
    static let userMaps: Set<String> = ["Tags", "RequestParameters", "RequestTemplates", "ResponseParameters", "ResponseTemplates",
                                        "StageVariables", "RequestModels", "ResponseModels", "RouteSettings"]

    func input(_ p: JSONObject) -> JSONObject {
        var o = Properties.camelCased(.object(Properties.without(p, ["Body", "BodyS3Location", "BasePath", "FailOnWarnings"])),
                                      keepingKeysOf: Self.userMaps).objectValue ?? JSONObject()
        if kind == .deployment { o["stageName"] = nil }
        return o
    }

    func create(_ id: String, _ p: JSONObject, _ stack: StackContext) async throws -> DeployedResource {
        if kind == .api, p["Body"] != nil || p["BodyS3Location"] != nil {
            throw TemplateError(resource: id, property: "Body", "importing an OpenAPI definition is not supported; declare routes and integrations.")
        }
        let created = try await stack.call("apigatewayv2", "Create\(kind.rawValue)", .object(input(p)))
        let ref = created[kind.idMember] ?? .null
        var attributes: [String: JSONValue] = [:]
        if kind == .api {
            attributes = ["ApiEndpoint": created["apiEndpoint"] ?? .null, "ApiId": ref]
        } else if kind == .authorizer {
            attributes = ["AuthorizerId": ref]
        }
        return DeployedResource(type: "AWS::ApiGatewayV2::\(kind.rawValue)", properties: p, ref: ref, attributes: attributes)
    }

    func update(_ id: String, _ old: DeployedResource, _ p: JSONObject, _ stack: StackContext) async throws -> DeployedResource? {
        // A resource moved to another API (or a stage renamed) is a new resource.
        let parents = ["ApiId", "RouteId", "IntegrationId", "StageName", "ProtocolType"]
        guard parents.allSatisfy({ p[$0] == old.properties[$0] }), kind != .deployment else { return nil }
        var request = input(p)
        request[kind.idMember] = old.ref
        _ = try await stack.call("apigatewayv2", "Update\(kind.rawValue)", .object(request))
        var updated = old
        updated.properties = p
        return updated
    }

    func delete(_ id: String, _ deployed: DeployedResource, _ stack: StackContext) async throws {
        var request: JSONObject = [kind.idMember: deployed.ref]
        for parent in ["ApiId", "RouteId", "IntegrationId"] where kind != .api {
            if let v = deployed.properties[parent] { request[parent.prefix(1).lowercased() + parent.dropFirst()] = v }
        }
        // Deleting an API takes its routes, stages and the rest with it.
        _ = try? await stack.call("apigatewayv2", "Delete\(kind.rawValue)", .object(request))
    }
}

/// IAM, logging and any type Offcloud does not emulate: accepted, logged once, not
/// created. Ref answers what CloudFormation would (a role's name) and Fn::GetAtt an
/// ARN-shaped value, so templates that pass them along still deploy.
enum IgnoredResource {
    static func deployed(_ id: String, type: String, _ p: JSONObject, _ stack: StackContext) -> DeployedResource {
        let name = p["RoleName"]?.stringValue ?? p["PolicyName"]?.stringValue ?? stack.physicalName(id, maxLength: 64)
        let arn: JSONValue
        switch type {
        case "AWS::IAM::Role": arn = .string("arn:aws:iam::\(stack.accountId):role/\(name)")
        case "AWS::IAM::ManagedPolicy": arn = .string("arn:aws:iam::\(stack.accountId):policy/\(name)")
        default: arn = .string("arn:aws:offcloud:\(stack.region):\(stack.accountId):\(id)")
        }
        let ref: JSONValue = type == "AWS::IAM::Role" || type == "AWS::IAM::Policy" ? .string(name) : arn
        return DeployedResource(type: type, properties: p, ref: ref, attributes: ["Arn": arn, "RoleId": .string(name)])
    }
}
