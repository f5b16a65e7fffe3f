import Foundation
import JSON
import Wire

/// CreateApi / UpdateApi input, validated, with API Gateway's defaults.
enum APIDefinition {
    static let settable = ["name", "description", "routeSelectionExpression", "apiKeySelectionExpression", "corsConfiguration",
                           "disableExecuteApiEndpoint", "disableSchemaValidation", "version", "tags", "ipAddressType"]

    static func create(_ input: ShapeReader, id: String, created: String) throws -> JSONObject {
        guard let name = try input.string("name"), !name.isEmpty else {
            throw APIGatewayError.badRequest("Invalid input: name must not be blank")
        }
        let protocolType = try input.string("protocolType") ?? ""
        guard ["HTTP", "WEBSOCKET"].contains(protocolType) else {
            throw APIGatewayError.badRequest("Invalid protocolType specified: \(protocolType). Valid values are HTTP and WEBSOCKET.")
        }
        let selection = try input.string("routeSelectionExpression")
        if protocolType == "WEBSOCKET" && selection == nil {
            throw APIGatewayError.badRequest("RouteSelectionExpression is required for a WEBSOCKET API")
        }
        var o = JSONObject()
        o.append("apiId", .string(id))
        o.append("name", .string(name))
        o.append("protocolType", .string(protocolType))
        o.append("routeSelectionExpression", .string(selection ?? "$request.method $request.path"))
        o.append("apiKeySelectionExpression", .string(try input.string("apiKeySelectionExpression") ?? "$request.header.x-api-key"))
        o.append("createdDate", .string(created))
        o.append("disableExecuteApiEndpoint", .bool(try input.bool("disableExecuteApiEndpoint") ?? false))
        for key in ["description", "corsConfiguration", "version", "tags"] {
            if let value = input.value(key) { o.append(key, value) }
        }
        return o
    }

    static func update(_ o: inout JSONObject, _ input: ShapeReader) throws {
        if let name = try input.string("name"), name.isEmpty { throw APIGatewayError.badRequest("Invalid input: name must not be blank") }
        for key in settable { if let value = input.value(key) { o[key] = value } }
    }
}

/// Routes, integrations, stages and deployments: validation and defaults.
enum ResourceDefinition {
    static let methods: Set<String> = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"]

    /// `$default`, `GET /orders/{id}` or `ANY /{proxy+}` for HTTP APIs; any key for WebSocket.
    static func checkRouteKey(_ key: String, api: JSONObject) throws {
        guard api["protocolType"]?.stringValue == "HTTP", key != "$default" else {
            if key.isEmpty { throw APIGatewayError.badRequest("Invalid input: routeKey must not be blank") }
            return
        }
        let parts = key.split(separator: " ", maxSplits: 1).map(String.init)
        guard parts.count == 2, methods.contains(parts[0]), parts[1].hasPrefix("/") else {
            throw APIGatewayError.badRequest("Unable to create route \(key): the route key must be '$default' or an HTTP method and a path beginning with '/', such as 'GET /pets'.")
        }
        let segments = parts[1].split(separator: "/")
        for (i, segment) in segments.enumerated() where segment.hasSuffix("+}") && i != segments.count - 1 {
            throw APIGatewayError.badRequest("Unable to create route \(key): a greedy path variable must be the last segment.")
        }
    }

    static func create(_ kind: ResourceKind, _ input: ShapeReader, api: JSONObject, id: String, created: String) throws -> JSONObject {
        var o = JSONObject()
        switch kind {
        case .route:
            let key = try input.string("routeKey") ?? ""
            try checkRouteKey(key, api: api)
            o.append("routeId", .string(id))
            o.append("routeKey", .string(key))
            o.append("apiKeyRequired", .bool(try input.bool("apiKeyRequired") ?? false))
            o.append("authorizationType", .string(try input.string("authorizationType") ?? "NONE"))
            for k in ["target", "authorizerId", "authorizationScopes", "routeResponseSelectionExpression", "operationName",
                      "requestParameters", "requestModels", "modelSelectionExpression"] {
                if let v = input.value(k) { o.append(k, v) }
            }
            if api["protocolType"]?.stringValue == "HTTP" { o.append("apiGatewayManaged", false) }
        case .integration:
            let type = try input.string("integrationType") ?? ""
            guard ["AWS", "AWS_PROXY", "HTTP", "HTTP_PROXY", "MOCK"].contains(type) else {
                throw APIGatewayError.badRequest("Invalid integration type specified: \(type)")
            }
            let http = api["protocolType"]?.stringValue == "HTTP"
            if http && type == "AWS_PROXY" && input.value("integrationUri") == nil && input.value("integrationSubtype") == nil {
                throw APIGatewayError.badRequest("IntegrationUri is required for an AWS_PROXY integration")
            }
            let subtype = try input.string("integrationSubtype")
            if http, let subtype {
                try IntegrationSubtype.validate(subtype: subtype, type: type, format: try input.string("payloadFormatVersion"),
                                                requestParameters: input.value("requestParameters"))
            }
            // Service integrations speak payload format 1.0 only.
            let format = try input.string("payloadFormatVersion") ?? (http && subtype == nil ? "2.0" : "1.0")
            guard ["1.0", "2.0"].contains(format) else {
                throw APIGatewayError.badRequest("Invalid payload format version specified: \(format)")
            }
            o.append("integrationId", .string(id))
            o.append("integrationType", .string(type))
            o.append("connectionType", .string(try input.string("connectionType") ?? "INTERNET"))
            o.append("integrationMethod", .string(try input.string("integrationMethod") ?? "POST"))
            o.append("payloadFormatVersion", .string(format))
            o.append("timeoutInMillis", .integer(try input.int("timeoutInMillis") ?? (http ? 30_000 : 29_000)))
            for k in ["integrationUri", "integrationSubtype", "requestParameters", "requestTemplates", "description",
                      "credentialsArn", "templateSelectionExpression", "passthroughBehavior", "contentHandlingStrategy"] {
                if let v = input.value(k) { o.append(k, v) }
            }
            if http { o.append("apiGatewayManaged", false) }
        case .stage:
            guard let name = try input.string("stageName"), !name.isEmpty else {
                throw APIGatewayError.badRequest("Invalid input: stageName must not be blank")
            }
            o.append("stageName", .string(name))
            o.append("createdDate", .string(created))
            o.append("lastUpdatedDate", .string(created))
            o.append("autoDeploy", .bool(try input.bool("autoDeploy") ?? false))
            o.append("defaultRouteSettings", input.value("defaultRouteSettings") ?? ["detailedMetricsEnabled": false])
            o.append("routeSettings", input.value("routeSettings") ?? [:])
            o.append("stageVariables", input.value("stageVariables") ?? [:])
            for k in ["description", "deploymentId", "tags", "accessLogSettings"] {
                if let v = input.value(k) { o.append(k, v) }
            }
        case .deployment:
            o.append("deploymentId", .string(id))
            o.append("createdDate", .string(created))
            o.append("deploymentStatus", "DEPLOYED")
            o.append("autoDeployed", false)
            if let v = input.value("description") { o.append("description", v) }
        case .authorizer:
            try authorizer(&o, input, api: api, id: id)
        case .routeResponse:
            guard let key = try input.string("routeResponseKey"), !key.isEmpty else {
                throw APIGatewayError.badRequest("Invalid input: routeResponseKey must not be blank")
            }
            o.append("routeResponseId", .string(id))
            o.append("routeResponseKey", .string(key))
            for k in ["modelSelectionExpression", "responseModels", "responseParameters"] {
                if let v = input.value(k) { o.append(k, v) }
            }
        case .integrationResponse:
            guard let key = try input.string("integrationResponseKey"), !key.isEmpty else {
                throw APIGatewayError.badRequest("Invalid input: integrationResponseKey must not be blank")
            }
            o.append("integrationResponseId", .string(id))
            o.append("integrationResponseKey", .string(key))
            for k in ["contentHandlingStrategy", "responseParameters", "responseTemplates", "templateSelectionExpression"] {
                if let v = input.value(k) { o.append(k, v) }
            }
        }
        return o
    }

    /// REQUEST authorizers (a Lambda function) for both protocols, JWT for HTTP APIs.
    static func authorizer(_ o: inout JSONObject, _ input: ShapeReader, api: JSONObject, id: String) throws {
        guard let name = try input.string("name"), !name.isEmpty else {
            throw APIGatewayError.badRequest("Invalid input: name must not be blank")
        }
        let type = try input.string("authorizerType") ?? ""
        let http = api["protocolType"]?.stringValue == "HTTP"
        guard type == "REQUEST" || (http && type == "JWT") else {
            throw APIGatewayError.badRequest("Invalid authorizer type specified: \(type). Valid values are \(http ? "REQUEST and JWT" : "REQUEST").")
        }
        if type == "REQUEST" && input.value("authorizerUri") == nil {
            throw APIGatewayError.badRequest("AuthorizerUri is required for a REQUEST authorizer")
        }
        if type == "JWT" && input.value("jwtConfiguration") == nil {
            throw APIGatewayError.badRequest("JwtConfiguration is required for a JWT authorizer")
        }
        if http && type == "REQUEST" {
            guard let format = try input.string("authorizerPayloadFormatVersion"), ["1.0", "2.0"].contains(format) else {
                throw APIGatewayError.badRequest("AuthorizerPayloadFormatVersion must be 1.0 or 2.0 for a REQUEST authorizer")
            }
        }
        o.append("authorizerId", .string(id))
        o.append("authorizerType", .string(type))
        o.append("name", .string(name))
        o.append("identitySource", input.value("identitySource") ?? .array([]))
        for k in ["authorizerUri", "authorizerCredentialsArn", "authorizerPayloadFormatVersion", "authorizerResultTtlInSeconds",
                  "enableSimpleResponses", "identityValidationExpression", "jwtConfiguration"] {
            if let v = input.value(k) { o.append(k, v) }
        }
    }

    static func update(_ kind: ResourceKind, _ o: inout JSONObject, _ input: ShapeReader, api: JSONObject, updated: String) throws {
        var fixed: Set<String> = ["apiId", kind.idMember, "createdDate"]
        if let parent = kind.parent { fixed.insert(parent.idMember) }
        if kind == .route, let key = try input.string("routeKey") { try checkRouteKey(key, api: api) }
        for member in input.object where !fixed.contains(member.key) {
            o[member.key] = member.value
        }
        if kind == .integration, api["protocolType"]?.stringValue == "HTTP", let subtype = o["integrationSubtype"]?.stringValue {
            try IntegrationSubtype.validate(subtype: subtype, type: o["integrationType"]?.stringValue ?? "",
                                            format: o["payloadFormatVersion"]?.stringValue, requestParameters: o["requestParameters"])
        }
        if kind == .stage { o["lastUpdatedDate"] = .string(updated) }
    }
}

/// One API as the runtime needs it.
public struct DeployedAPI: Sendable {
    public var api: JSONObject
    public var account: String
    public var region: String
    public var routes: [JSONObject]
    public var integrations: [JSONObject]
    public var stages: [JSONObject]
    public var authorizers: [JSONObject] = []
    /// Each carries its route's `routeId`.
    public var routeResponses: [JSONObject] = []
    /// Each carries its integration's `integrationId`.
    public var integrationResponses: [JSONObject] = []

    public var apiId: String { api["apiId"]?.stringValue ?? "" }
}
