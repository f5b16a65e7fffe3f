import Foundation
import JSON
import Wire

/// The events WebSocket APIs send to Lambda — CONNECT, MESSAGE and DISCONNECT — and
/// the REQUEST authorizer's event, field for field as API Gateway writes them.
enum WebSocketEvent {
    /// What the `$connect` handshake carried.
    struct Handshake: Sendable {
        var headers: [(String, String)]
        var query: String
    }

    enum Kind: String {
        case connect = "CONNECT", message = "MESSAGE", disconnect = "DISCONNECT"
    }

    /// API Gateway's request and message ids look like `Sa2T9GIgoAMFx9g=`.
    static func identifier() -> String { WebSocketConnection.newIdentifier() }

    static func requestContext(_ connection: WebSocketConnection, kind: Kind, routeKey: String, requestId: String,
                               now: Int64, disconnect: (code: Int, reason: String)? = nil) -> JSONObject {
        var context = JSONObject()
        context.append("routeKey", .string(routeKey))
        if let disconnect { context.append("disconnectStatusCode", .integer(disconnect.code)) }
        if kind == .message { context.append("messageId", .string(identifier())) }
        context.append("eventType", .string(kind.rawValue))
        context.append("extendedRequestId", .string(requestId))
        context.append("requestTime", .string(HTTPAPIEvent.timeText(Date(timeIntervalSince1970: Double(now) / 1000))))
        context.append("messageDirection", "IN")
        if let disconnect { context.append("disconnectReason", .string(disconnect.reason)) }
        context.append("stage", .string(connection.stage))
        context.append("connectedAt", .integer(connection.connectedAt))
        context.append("requestTimeEpoch", .integer(now))
        var identity = JSONObject()
        identity.append("sourceIp", .string(connection.sourceIp))
        if kind != .message { identity.append("userAgent", .string(connection.userAgent)) }
        context.append("identity", .object(identity))
        context.append("requestId", .string(requestId))
        context.append("domainName", .string(connection.domainName))
        context.append("connectionId", .string(connection.connectionId))
        context.append("apiId", .string(connection.apiId))
        if let authorizer = connection.authorizer { context.append("authorizer", .object(authorizer)) }
        return context
    }

    /// Headers and query string as `$connect` and the authorizer see them.
    static func requestParts(_ handshake: Handshake) -> JSONObject {
        var o = JSONObject()
        var headers = JSONObject(), multiHeaders = JSONObject()
        for (name, value) in handshake.headers {
            if headers[name] == nil { headers.append(name, .string(value)) }
            var list = multiHeaders[name]?.arrayValue ?? []
            list.append(.string(value))
            multiHeaders[name] = .array(list)
        }
        o.append("headers", .object(headers))
        o.append("multiValueHeaders", .object(multiHeaders))
        let parameters = (try? FormDecoding.decode(handshake.query)) ?? []
        if !parameters.isEmpty {
            var single = JSONObject(), multi = JSONObject()
            for (name, value) in parameters {
                single[name] = .string(value)
                var list = multi[name]?.arrayValue ?? []
                list.append(.string(value))
                multi[name] = .array(list)
            }
            o.append("queryStringParameters", .object(single))
            o.append("multiValueQueryStringParameters", .object(multi))
        }
        return o
    }

    static func connect(_ connection: WebSocketConnection, handshake: Handshake, requestId: String, now: Int64) -> JSONValue {
        var o = requestParts(handshake)
        o.append("requestContext", .object(requestContext(connection, kind: .connect, routeKey: "$connect", requestId: requestId, now: now)))
        o.append("isBase64Encoded", false)
        return .object(o)
    }

    static func message(_ connection: WebSocketConnection, routeKey: String, body: [UInt8], binary: Bool, requestId: String,
                        now: Int64) -> JSONValue {
        var o = JSONObject()
        o.append("requestContext", .object(requestContext(connection, kind: .message, routeKey: routeKey, requestId: requestId, now: now)))
        if binary || String(bytes: body, encoding: .utf8) == nil {
            o.append("body", .string(Data(body).base64EncodedString()))
            o.append("isBase64Encoded", true)
        } else {
            o.append("body", .string(String(decoding: body, as: UTF8.self)))
            o.append("isBase64Encoded", false)
        }
        return .object(o)
    }

    static func disconnect(_ connection: WebSocketConnection, statusCode: Int, reason: String, requestId: String, now: Int64) -> JSONValue {
        var o = JSONObject()
        let host = connection.domainName
        o.append("headers", ["Host": .string(host), "x-api-key": "", "X-Forwarded-For": "", "x-restapi": ""])
        o.append("multiValueHeaders", ["Host": [.string(host)], "x-api-key": [""], "X-Forwarded-For": [""], "x-restapi": [""]])
        o.append("requestContext", .object(requestContext(connection, kind: .disconnect, routeKey: "$disconnect", requestId: requestId,
                                                          now: now, disconnect: (statusCode, reason))))
        o.append("isBase64Encoded", false)
        return .object(o)
    }

    /// The REQUEST authorizer's event for `$connect`.
    static func authorizer(_ connection: WebSocketConnection, handshake: Handshake, requestId: String, now: Int64) -> JSONValue {
        var o = JSONObject()
        o.append("type", "REQUEST")
        o.append("methodArn", .string("arn:aws:execute-api:\(connection.region):\(connection.account):\(connection.apiId)/\(connection.stage)/$connect"))
        for member in requestParts(handshake) { o.append(member.key, member.value) }
        o.append("stageVariables", .object(JSONObject()))
        o.append("requestContext", .object(requestContext(connection, kind: .connect, routeKey: "$connect", requestId: requestId, now: now)))
        return .object(o)
    }
}
