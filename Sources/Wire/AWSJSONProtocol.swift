import Digest
import JSON

/// awsJson1_0 / awsJson1_1: `POST /` with `X-Amz-Target: Prefix.Operation` and a JSON
/// body; JSON out; errors as `{"__type", "message"}`.
public enum AWSJSONProtocol {
    public static func handle(_ request: WireRequest, operationName: String, endpoint: ServiceEndpoint,
                              context: RequestContext) async -> WireOutcome {
        guard let operation = endpoint.operation(operationName) else {
            return WireOutcome(errorResponse(CommonError.unknownOperation("\(endpoint.jsonTargetPrefix ?? "").\(operationName)"),
                                             endpoint: endpoint, context: context))
        }
        let input: JSONValue
        if request.body.isEmpty {
            input = .object(JSONObject())
        } else {
            do {
                input = try JSONValue.parse(request.body)
            } catch let error as JSONSyntaxError {
                return WireOutcome(errorResponse(CommonError.serialization("Malformed JSON request body: \(error)"),
                                                 endpoint: endpoint, context: context))
            } catch {
                return WireOutcome(errorResponse(CommonError.serialization("Malformed JSON request body"), endpoint: endpoint, context: context))
            }
        }
        do {
            let reader = try ShapeReader(input)
            let output = try await operation.invoke(reader, context)
            var headers = WireHeaders()
            headers.add("Content-Type", endpoint.jsonContentType)
            let bytes = output.serialized()
            if endpoint.addsCRC32 { headers.add("x-amz-crc32", String(CRC32.checksum(bytes))) }
            return WireOutcome(WireResponse(status: 200, headers: headers, body: bytes))
        } catch let error as AWSServiceError {
            return WireOutcome(errorResponse(error, endpoint: endpoint, context: context))
        } catch let error as ShapeError {
            return WireOutcome(errorResponse(CommonError.serialization(describe(error)), endpoint: endpoint, context: context))
        } catch {
            return WireOutcome(errorResponse(CommonError.internalFailure(), endpoint: endpoint, context: context), unexpected: error)
        }
    }

    static func describe(_ error: ShapeError) -> String {
        switch error {
        case .missing(let path): return "Missing required member \(path)"
        case .typeMismatch(let path, let expected, let found, _): return "Expected \(expected) at \(path), found \(found)"
        }
    }

    public static func errorResponse(_ error: AWSServiceError, endpoint: ServiceEndpoint, context: RequestContext) -> WireResponse {
        var headers = WireHeaders()
        headers.add("Content-Type", endpoint.jsonContentType)
        if endpoint.queryCompatible {
            headers.add("x-amzn-query-error", "\(error.queryCode);\(error.isSenderFault ? "Sender" : "Receiver")")
        }
        let qualified = error.code.contains("#") ? error.code : endpoint.jsonErrorTypePrefix + error.code
        var body: JSONObject = ["__type": .string(qualified), "message": .string(error.message)]
        for m in error.extraMembers ?? JSONObject() { body[m.key] = m.value }
        let bytes = JSONValue.object(body).serialized()
        if endpoint.addsCRC32 { headers.add("x-amz-crc32", String(CRC32.checksum(bytes))) }
        return WireResponse(status: error.httpStatus, headers: headers, body: bytes)
    }
}
