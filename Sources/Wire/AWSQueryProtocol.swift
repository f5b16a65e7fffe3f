import JSON

/// awsQuery: form-encoded `Action=…&Version=…` in, XML out, wrapped as
/// `<ActionResponse><ActionResult>…</ActionResult><ResponseMetadata>…`.
public enum AWSQueryProtocol {
    /// Decodes the form parameters of a query request (body, or URL for GET).
    public static func parameters(of request: WireRequest) throws -> [(name: String, value: String)] {
        var pairs = try FormDecoding.decode(request.query.utf8)
        if !request.body.isEmpty { pairs += try FormDecoding.decode(request.body) }
        return pairs
    }

    public static func handle(action: String, parameters: [(name: String, value: String)], endpoint: ServiceEndpoint,
                              context: RequestContext) async -> WireOutcome {
        guard let operation = endpoint.operation(action) else {
            return WireOutcome(errorResponse(CommonError.invalidAction(action), namespace: endpoint.xmlNamespace, context: context))
        }
        let input = operation.query.input.decode(parameters: parameters)
        do {
            let reader = try ShapeReader(input, lenient: true)
            let output = try await operation.invoke(reader, context)
            return WireOutcome(successResponse(action: operation.name, output: output, schema: operation.query,
                                               namespace: endpoint.xmlNamespace, context: context))
        } catch let error as AWSServiceError {
            return WireOutcome(errorResponse(error, namespace: endpoint.xmlNamespace, context: context))
        } catch let error as ShapeError {
            let common: CommonError
            switch error {
            case .missing: common = CommonError(code: "MissingParameter", message: "The request must contain the parameter \(error.memberName).")
            case .typeMismatch(_, _, let found, _):
                common = CommonError(code: "InvalidParameterValue", message: "Value \(found) for parameter \(error.memberName) is invalid.")
            }
            return WireOutcome(errorResponse(common, namespace: endpoint.xmlNamespace, context: context))
        } catch {
            return WireOutcome(errorResponse(CommonError.internalFailure(), namespace: endpoint.xmlNamespace, context: context),
                               unexpected: error)
        }
    }

    public static func successResponse(action: String, output: JSONValue, schema: QueryOperationSchema, namespace: String,
                                       context: RequestContext) -> WireResponse {
        var xml = XMLWriter()
        xml.open("\(action)Response", xmlns: namespace)
        let hasMembers: Bool
        if case .structure(let members) = schema.output { hasMembers = !members.isEmpty } else { hasMembers = true }
        if hasMembers || !(output.objectValue?.isEmpty ?? true) {
            xml.open("\(action)Result")
            schema.output.encodeMembers(output, into: &xml)
            xml.close("\(action)Result")
        }
        xml.open("ResponseMetadata")
        xml.element("RequestId", context.requestId)
        xml.close("ResponseMetadata")
        xml.close("\(action)Response")
        var headers = WireHeaders()
        headers.add("Content-Type", "text/xml")
        return WireResponse(status: 200, headers: headers, body: xml.bytes)
    }

    public static func errorResponse(_ error: AWSServiceError, namespace: String, context: RequestContext) -> WireResponse {
        var xml = XMLWriter()
        xml.open("ErrorResponse", xmlns: namespace)
        xml.open("Error")
        xml.element("Type", error.isSenderFault ? "Sender" : "Receiver")
        xml.element("Code", error.queryCode)
        xml.element("Message", error.message)
        xml.empty("Detail")
        xml.close("Error")
        xml.element("RequestId", context.requestId)
        xml.close("ErrorResponse")
        var headers = WireHeaders()
        headers.add("Content-Type", "text/xml")
        return WireResponse(status: error.httpStatus, headers: headers, body: xml.bytes)
    }
}
