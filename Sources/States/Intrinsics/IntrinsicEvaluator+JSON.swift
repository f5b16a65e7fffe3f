import JSON

extension IntrinsicEvaluator {
    /// `States.StringToJson(string)`: parses JSON text, keeping key order and number
    /// spelling. Blank text gives `null`, as on AWS.
    func stringToJson() throws -> JSONValue {
        let text = try string(0)
        if text.utf8.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) { return .null }
        do {
            return try JSONValue.parse(text)
        } catch {
            throw invalidArguments()
        }
    }

    /// `States.JsonMerge(left, right, false)`: a shallow merge — right's members replace
    /// left's (in left's position) or are appended. Deep merge (`true`) is not supported
    /// by Step Functions.
    func jsonMerge() throws -> JSONValue {
        var merged = try object(0)
        let right = try object(1)
        if arguments[2] == .bool(true) { throw invalidArguments() }
        for member in right { merged[member.key] = member.value }
        return .object(merged)
    }
}
