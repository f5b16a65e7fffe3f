import Foundation
import JSON
import Lambda

extension LambdaContext {
    /// The in-process client to the emulated services.
    var services: any InProcessAWS {
        get throws {
            guard let aws else { throw LambdaFunctionError("ServiceUnavailable", "No in-process AWS client in this context") }
            return aws
        }
    }

    func call(_ service: String, _ operation: String, _ input: JSONValue) async throws -> JSONValue {
        try await services.call(service: service, operation: operation, input: input)
    }
}

/// Small helpers the handlers share: DynamoDB attribute values, API Gateway answers.
enum OrderSupport {
    /// A DynamoDB attribute value for any JSON value: numbers stay as written.
    static func attribute(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let s): return ["S": .string(s)]
        case .number(let n): return ["N": .string(n)]
        case .bool(let b): return ["BOOL": .bool(b)]
        case .null: return ["NULL": true]
        case .array(let items): return ["L": .array(items.map(attribute))]
        case .object(let o): return ["M": .object(JSONObject(o.members.map { JSONObject.Member($0.key, attribute($0.value)) }))]
        }
    }

    /// The plain JSON of a DynamoDB item or attribute value.
    static func plain(_ attribute: JSONValue) -> JSONValue {
        guard let o = attribute.objectValue, let member = o.members.first, o.count == 1 else { return .null }
        switch member.key {
        case "S", "BOOL": return member.value
        case "N": return member.value.stringValue.map(JSONValue.number) ?? member.value
        case "NULL": return .null
        case "L": return .array((member.value.arrayValue ?? []).map(plain))
        case "M": return item(member.value)
        case "SS", "NS": return member.value
        default: return member.value
        }
    }

    /// An item (attribute name → attribute value) as plain JSON.
    static func item(_ item: JSONValue) -> JSONValue {
        .object(JSONObject((item.objectValue ?? JSONObject()).members.map { JSONObject.Member($0.key, plain($0.value)) }))
    }

    /// An item from plain JSON.
    static func dynamoItem(_ object: JSONObject) -> JSONValue {
        .object(JSONObject(object.members.map { JSONObject.Member($0.key, attribute($0.value)) }))
    }

    /// An HTTP API (payload 2.0) or WebSocket answer with a JSON body.
    static func response(_ status: Int, _ body: JSONValue) -> JSONValue {
        ["statusCode": .integer(status), "headers": ["content-type": "application/json"], "body": .string(body.jsonString)]
    }

    /// The request body of an HTTP API event, base64 decoded if need be.
    static func body(of event: JSONValue) -> String? {
        guard let text = event["body"]?.stringValue else { return nil }
        if event["isBase64Encoded"]?.boolValue == true {
            guard let data = Data(base64Encoded: text) else { return nil }
            return String(decoding: data, as: UTF8.self)
        }
        return text
    }

    static func now() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date())
    }

    /// A required string field of a handler's event.
    static func require(_ event: JSONValue, _ field: String) throws -> String {
        guard let value = event[field]?.stringValue, !value.isEmpty else {
            throw LambdaFunctionError("InvalidInput", "The event has no '\(field)'")
        }
        return value
    }

    /// The order's total: `total` if it has one, else the sum of quantity × price of its items.
    static func total(of order: JSONValue) -> Double? {
        if let total = order["total"], let value = number(total) { return value }
        guard let items = order["items"]?.arrayValue, !items.isEmpty else { return nil }
        var sum = 0.0
        for item in items {
            guard let price = item["price"].flatMap(number) else { return nil }
            sum += (item["quantity"].flatMap(number) ?? 1) * price
        }
        return sum
    }

    static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .number(let n): return Double(n)
        case .string(let s): return Double(s)
        default: return nil
        }
    }

    /// A number as JSON, without a trailing `.0` for whole values.
    static func numberValue(_ value: Double) -> JSONValue {
        if value == value.rounded(), abs(value) < 1e15 { return .integer(Int(value)) }
        return .number(String(value))
    }
}
