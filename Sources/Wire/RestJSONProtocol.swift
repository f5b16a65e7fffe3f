import JSON

/// restJson1: the operation is found by method and path; input members come from
/// path labels, the query string, headers and a JSON (or raw) body; output members
/// go to headers and the body; errors carry `x-amzn-ErrorType`.
public enum RestJSONProtocol {
    /// The route of the first operation whose binding fits the request.
    public static func route(_ request: WireRequest, in routes: [RestJSONRoute]) -> (RestJSONRoute, [String: String])? {
        for route in routes {
            if let labels = route.match(method: request.method, path: request.path) { return (route, labels) }
        }
        return nil
    }

    /// Gathers every input member into one object for the service's reader.
    public static func input(_ request: WireRequest, route: RestJSONRoute, labels: [String: String]) throws -> JSONValue {
        var object = JSONObject()
        if let payload = route.payload {
            if !request.body.isEmpty {
                guard let text = String(validating: request.body, as: UTF8.self) else {
                    throw CommonError.serialization("The request payload is not valid UTF-8.")
                }
                object[payload] = .string(text)
            }
        } else if !request.body.isEmpty {
            do {
                guard case .object(let body) = try JSONValue.parse(request.body) else {
                    throw CommonError.serialization("The request body must be a JSON object.")
                }
                object = body
            } catch let error as JSONSyntaxError {
                throw CommonError.serialization("Malformed JSON request body: \(error)")
            }
        }
        for (name, value) in labels { object[name] = .string(value) }
        for (name, value) in (try? FormDecoding.decode(request.query)) ?? [] {
            guard let member = route.query[name] else { continue }
            if route.listQuery.contains(member) {
                object[member] = .array((object[member]?.arrayValue ?? []) + [.string(value)])
            } else {
                object[member] = .string(value)
            }
        }
        for (header, member) in route.headers {
            if let value = request.headers[header] { object[member] = .string(value) }
        }
        return .object(object)
    }

    public static func handle(_ request: WireRequest, route: RestJSONRoute, labels: [String: String], endpoint: ServiceEndpoint,
                              context: RequestContext) async -> WireOutcome {
        guard let operation = endpoint.operation(route.operation) else {
            return WireOutcome(errorResponse(CommonError.unknownOperation(route.operation), context: context))
        }
        do {
            let body: JSONValue
            do {
                body = try input(request, route: route, labels: labels)
            } catch let error as CommonError where endpoint.malformedBody != nil {
                throw endpoint.malformedBody!(error.message)
            }
            let reader = try ShapeReader(body, lenient: true)
            let output = try await operation.invoke(reader, context)
            return WireOutcome(successResponse(output, route: route))
        } catch let error as AWSServiceError {
            return WireOutcome(errorResponse(error, context: context))
        } catch let error as ShapeError {
            return WireOutcome(errorResponse(CommonError.serialization(AWSJSONProtocol.describe(error)), context: context))
        } catch {
            return WireOutcome(errorResponse(CommonError.internalFailure(), context: context), unexpected: error)
        }
    }

    public static func successResponse(_ output: JSONValue, route: RestJSONRoute) -> WireResponse {
        var headers = WireHeaders()
        var body = output.objectValue ?? JSONObject()
        var status = route.successStatus
        if let member = route.outputStatus, let value = body[member] {
            status = value.intValue ?? status
            body[member] = nil
        }
        for (member, header) in route.outputHeaders.sorted(by: { $0.key < $1.key }) {
            if let value = body[member] {
                headers.add(header, QueryShape.scalarText(value))
                body[member] = nil
            }
        }
        if let payloadMember = route.outputPayload {
            let payload = body[payloadMember]
            headers.add("Content-Type", "application/json")
            let bytes: [UInt8]
            switch payload {
            case .string(let s)?: bytes = Array(s.utf8)
            case nil, .null?: bytes = []
            case let other?: bytes = other.serialized()
            }
            return WireResponse(status: status, headers: headers, body: bytes)
        }
        headers.add("Content-Type", "application/json")
        if status == 204 { return WireResponse(status: status, headers: headers, body: []) }
        return WireResponse(status: status, headers: headers, body: JSONValue.object(body).serialized())
    }

    public static func errorResponse(_ error: AWSServiceError, context: RequestContext) -> WireResponse {
        var headers = WireHeaders()
        headers.add("Content-Type", "application/json")
        headers.add("x-amzn-ErrorType", error.code)
        let body: JSONValue = ["Type": .string(error.isSenderFault ? "User" : "Service"), "message": .string(error.message)]
        return WireResponse(status: error.httpStatus, headers: headers, body: body.serialized())
    }
}
