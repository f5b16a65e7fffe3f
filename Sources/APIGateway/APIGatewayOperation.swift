import Wire

/// An API Gateway v2 control-plane operation: a verb on an API or on one of its
/// resources, parsed once from the operation name (`CreateRoute`, `GetStages`).
public struct APIGatewayOperation: Sendable, Equatable {
    public enum Verb: String, Sendable { case create = "Create", get = "Get", list = "List", update = "Update", delete = "Delete" }
    var verb: Verb
    /// nil for the API itself.
    var kind: ResourceKind?

    public init?(_ name: String) {
        for verb in [Verb.create, .get, .update, .delete] where name.hasPrefix(verb.rawValue) {
            var noun = String(name.dropFirst(verb.rawValue.count))
            var resolved = verb
            if verb == .get, noun.hasSuffix("s") {
                noun.removeLast()
                resolved = .list
            }
            if noun == "Api" {
                self.verb = resolved
                kind = nil
                return
            }
            guard let kind = ResourceKind.allCases.first(where: { $0.operationNoun == noun }) else { return nil }
            self.verb = resolved
            self.kind = kind
            return
        }
        return nil
    }

    static let routes: [RestJSONRoute] = {
        var routes = [
            RestJSONRoute("CreateApi", "POST", "/v2/apis", status: 201),
            RestJSONRoute("GetApis", "GET", "/v2/apis", query: ["maxResults": "maxResults", "nextToken": "nextToken"]),
            RestJSONRoute("GetApi", "GET", "/v2/apis/{apiId}"),
            RestJSONRoute("UpdateApi", "PATCH", "/v2/apis/{apiId}"),
            RestJSONRoute("DeleteApi", "DELETE", "/v2/apis/{apiId}", status: 204),
        ]
        for kind in ResourceKind.allCases {
            let singular = kind.operationNoun, label = kind.idMember
            var collection = "/v2/apis/{apiId}/\(kind.collection)"
            if let parent = kind.parent { collection = "/v2/apis/{apiId}/\(parent.collection)/{\(parent.idMember)}/\(kind.collection)" }
            routes += [
                RestJSONRoute("Create\(singular)", "POST", collection, status: 201),
                RestJSONRoute("Get\(singular)s", "GET", collection, query: ["maxResults": "maxResults", "nextToken": "nextToken"]),
                RestJSONRoute("Get\(singular)", "GET", "\(collection)/{\(label)}"),
                RestJSONRoute("Update\(singular)", "PATCH", "\(collection)/{\(label)}"),
                RestJSONRoute("Delete\(singular)", "DELETE", "\(collection)/{\(label)}", status: 204),
            ]
        }
        return routes
    }()
}

/// The resources an API owns, each kept as its API Gateway JSON.
enum ResourceKind: String, CaseIterable, Sendable {
    case route, integration, stage, deployment, authorizer
    case routeResponse = "routeresponse", integrationResponse = "integrationresponse"

    /// Route and integration responses belong to one route or integration.
    var parent: ResourceKind? {
        switch self {
        case .routeResponse: .route
        case .integrationResponse: .integration
        default: nil
        }
    }

    var collection: String { rawValue + "s" }
    var operationNoun: String {
        switch self {
        case .routeResponse: "RouteResponse"
        case .integrationResponse: "IntegrationResponse"
        default: rawValue.prefix(1).uppercased() + rawValue.dropFirst()
        }
    }
    /// The member naming one resource (`routeId`; a stage is named by `stageName`).
    var idMember: String {
        switch self {
        case .stage: "stageName"
        case .routeResponse: "routeResponseId"
        case .integrationResponse: "integrationResponseId"
        default: rawValue + "Id"
        }
    }
}
