import APIGateway
import Foundation
import JSON
import SQS
import Storage
import Wire

/// Routes one HTTP request to the service and protocol it is written in, as
/// DESIGN.md's table says: `X-Amz-Target` → awsJson; form `Action` → awsQuery;
/// `/_offcloud/…` → the emulator's own endpoints. No NIO here: bytes in, bytes out.
public final class Gateway: Sendable {
    let configuration: GatewayConfiguration
    let services: [ServiceEndpoint]
    let internalEndpoints: InternalEndpoints
    /// Serves deployed APIs: (api id, path after it, request, Host) → response.
    let executeAPI: (@Sendable (String, String, WireRequest, String) async -> WireResponse)?
    /// The @connections API of WebSocket APIs, at `…/<stage>/@connections/<id>`.
    let connections: ConnectionsAPI?

    init(configuration: GatewayConfiguration, services: [ServiceEndpoint], internalEndpoints: InternalEndpoints,
         executeAPI: (@Sendable (String, String, WireRequest, String) async -> WireResponse)? = nil,
         connections: ConnectionsAPI? = nil) {
        self.connections = connections
        self.configuration = configuration
        self.services = services
        self.internalEndpoints = internalEndpoints
        self.executeAPI = executeAPI
    }

    public func handle(_ request: WireRequest) async -> WireOutcome {
        let requestId = UUID().uuidString.lowercased()
        var outcome = await route(request, requestId: requestId)
        outcome.response.headers.add("x-amzn-RequestId", requestId)
        return outcome
    }

    private func route(_ request: WireRequest, requestId: String) async -> WireOutcome {
        if request.path.hasPrefix("/_offcloud/") {
            return await internalEndpoints.handle(request)
        }
        if let executeAPI, let (apiId, path) = Self.executeAPITarget(request) {
            if let connections, let (stage, id) = ConnectionsAPI.target(path) {
                return WireOutcome(connections.handle(request, apiId: apiId, stage: stage, connectionId: id, requestId: requestId))
            }
            return WireOutcome(await executeAPI(apiId, path, request, request.headers["host"] ?? "localhost"))
        }
        // `https://{domainName}/{stage}/@connections/{id}` as a handler builds it from its event:
        // connection ids are unique, so the id alone finds the connection.
        if let connections, let (stage, id) = ConnectionsAPI.target(request.path) {
            return WireOutcome(connections.handle(request, apiId: nil, stage: stage, connectionId: id, requestId: requestId))
        }
        let auth = authorization(of: request)
        var context = RequestContext(
            requestId: requestId,
            accountId: account(for: auth?.accessKeyId),
            region: auth?.region ?? configuration.defaultRegion,
            host: request.headers["host"] ?? "localhost",
            accessKeyId: auth?.accessKeyId)

        if let target = request.headers["x-amz-target"] {
            let (prefix, operation) = split(target: target)
            guard let service = services.first(where: { $0.jsonTargetPrefix == prefix }) else {
                return WireOutcome(AWSJSONProtocol.errorResponse(CommonError.unknownOperation(target), endpoint: genericJSON, context: context))
            }
            if let failure = checkSignature(request, auth) {
                return WireOutcome(AWSJSONProtocol.errorResponse(failure, endpoint: service, context: context))
            }
            return await AWSJSONProtocol.handle(request, operationName: operation, endpoint: service, context: context)
        }

        // restJson1 paths (`/2015-03-31/functions/…`) never collide with query URLs, and
        // some clients label a raw payload as a form.
        for service in services where !service.restRoutes.isEmpty {
            if let (route, labels) = RestJSONProtocol.route(request, in: service.restRoutes) {
                context.wireProtocol = .restJSON
                if let failure = checkSignature(request, auth) {
                    return WireOutcome(RestJSONProtocol.errorResponse(failure, context: context))
                }
                return await RestJSONProtocol.handle(request, route: route, labels: labels, endpoint: service, context: context)
            }
        }

        if isQuery(request) {
            context.wireProtocol = .query
            let fallback = services.first { $0.signingName == auth?.service } ?? services.first { $0.queryVersion != nil }!
            var parameters: [(name: String, value: String)]
            do {
                parameters = try AWSQueryProtocol.parameters(of: request)
            } catch {
                return WireOutcome(AWSQueryProtocol.errorResponse(
                    CommonError.malformedQueryString("The request could not be parsed: \((error as? FormDecoding.Failure)?.reason ?? "invalid form encoding")."),
                    namespace: fallback.xmlNamespace, context: context))
            }
            let version = parameters.first { $0.name == "Version" }?.value
            let service = services.first { $0.queryVersion != nil && $0.queryVersion == version }
                ?? services.first { $0.signingName == auth?.service && $0.queryVersion != nil } ?? fallback
            guard let action = parameters.first(where: { $0.name == "Action" })?.value, !action.isEmpty else {
                return WireOutcome(AWSQueryProtocol.errorResponse(CommonError.missingAction(), namespace: service.xmlNamespace, context: context))
            }
            if let failure = checkSignature(request, auth) {
                return WireOutcome(AWSQueryProtocol.errorResponse(failure, namespace: service.xmlNamespace, context: context))
            }
            // Legacy SQS clients address the queue by posting to its URL.
            if service.signingName == "sqs", !parameters.contains(where: { $0.name == "QueueUrl" }),
               request.path.split(separator: "/").count == 2 {
                parameters.append((name: "QueueUrl", value: "http://\(context.host)\(request.path)"))
            }
            return await AWSQueryProtocol.handle(action: action, parameters: parameters, endpoint: service, context: context)
        }

        var headers = WireHeaders()
        headers.add("Content-Type", "application/json")
        let body: JSONValue = ["message": .string("No AWS service or operation matches \(request.method) \(request.path)")]
        return WireOutcome(WireResponse(status: 404, headers: headers, body: body.serialized()))
    }

    /// `/_aws/execute-api/<apiId>/<rest>`, or any path on Host `<apiId>.execute-api.localhost`.
    static func executeAPITarget(_ request: WireRequest) -> (String, String)? {
        let prefix = "/_aws/execute-api/"
        if request.path.hasPrefix(prefix) {
            let rest = request.path.dropFirst(prefix.count)
            let apiId = rest.prefix { $0 != "/" }
            guard !apiId.isEmpty else { return nil }
            return (String(apiId), String(rest.dropFirst(apiId.count)))
        }
        if let host = request.headers["host"], let range = host.range(of: ".execute-api.localhost") {
            return (String(host[..<range.lowerBound]), request.path)
        }
        return nil
    }

    /// A JSON endpoint for errors raised before any service is known.
    private var genericJSON: ServiceEndpoint {
        ServiceEndpoint(signingName: "", jsonTargetPrefix: nil, jsonErrorTypePrefix: "", queryVersion: nil, xmlNamespace: "",
                        queryCompatible: false) { _ in nil }
    }

    private func split(target: String) -> (String, String) {
        guard let dot = target.lastIndex(of: ".") else { return (target, "") }
        return (String(target[..<dot]), String(target[target.index(after: dot)...]))
    }

    private func isQuery(_ request: WireRequest) -> Bool {
        if let type = request.contentType, type.lowercased().hasPrefix("application/x-www-form-urlencoded") { return true }
        return request.query.contains("Action=")
    }

    private func authorization(of request: WireRequest) -> SigV4Authorization? {
        if let header = request.headers["authorization"] { return SigV4Authorization(header: header) }
        if let credential = SigV4Verifier.queryValue(request.query, "X-Amz-Credential") {
            return SigV4Authorization(credential: credential,
                                      signedHeaders: SigV4Verifier.queryValue(request.query, "X-Amz-SignedHeaders") ?? "host",
                                      signature: SigV4Verifier.queryValue(request.query, "X-Amz-Signature") ?? "")
        }
        return nil
    }

    /// A 12-digit access key id names the account; any other key uses the default.
    func account(for accessKeyId: String?) -> String {
        if let key = accessKeyId, key.utf8.count == 12, key.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { return key }
        return configuration.defaultAccountId
    }

    private func checkSignature(_ request: WireRequest, _ auth: SigV4Authorization?) -> CommonError? {
        guard configuration.verifySignatures else { return nil }
        guard let auth else { return CommonError.missingAuthenticationToken() }
        guard let secret = configuration.credentials[auth.accessKeyId] else { return CommonError.invalidClientTokenId() }
        do {
            try SigV4Verifier.verify(request, authorization: auth, secret: secret)
            return nil
        } catch SigV4Verifier.Failure.missingDate {
            return CommonError.incompleteSignature("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
        } catch {
            return CommonError.signatureDoesNotMatch()
        }
    }
}
