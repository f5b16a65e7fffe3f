import Foundation
import JSON

/// The retry schedule of an HTTP/S subscription (`healthyRetryPolicy`), from its own
/// DeliveryPolicy or its topic's `http.defaultHealthyRetryPolicy`, with AWS's defaults:
/// three retries twenty seconds apart.
struct RetryPolicy: Sendable, Equatable {
    var minDelayTarget = 20
    var maxDelayTarget = 20
    var numRetries = 3
    var numNoDelayRetries = 0
    var numMinDelayRetries = 0
    var numMaxDelayRetries = 0
    var backoffFunction = "linear"

    static let httpDefault = RetryPolicy()
    /// SQS and Lambda endpoints: 3 immediate retries, 2 at 1 s, 10 backing off to 20 s,
    /// then 20 s apart (AWS keeps going for 23 days; we stop after a day's worth).
    static let awsManaged = RetryPolicy(minDelayTarget: 1, maxDelayTarget: 20, numRetries: 4_335, numNoDelayRetries: 3,
                                        numMinDelayRetries: 2, numMaxDelayRetries: 4_320, backoffFunction: "exponential")

    init(minDelayTarget: Int = 20, maxDelayTarget: Int = 20, numRetries: Int = 3, numNoDelayRetries: Int = 0,
         numMinDelayRetries: Int = 0, numMaxDelayRetries: Int = 0, backoffFunction: String = "linear") {
        self.minDelayTarget = minDelayTarget
        self.maxDelayTarget = maxDelayTarget
        self.numRetries = numRetries
        self.numNoDelayRetries = numNoDelayRetries
        self.numMinDelayRetries = numMinDelayRetries
        self.numMaxDelayRetries = numMaxDelayRetries
        self.backoffFunction = backoffFunction
    }

    init(json: JSONValue) {
        func int(_ k: String) -> Int? { json[k]?.intValue ?? json[k]?.stringValue.flatMap { Int($0) } }
        minDelayTarget = int("minDelayTarget") ?? 20
        maxDelayTarget = int("maxDelayTarget") ?? 20
        numRetries = int("numRetries") ?? 3
        numNoDelayRetries = int("numNoDelayRetries") ?? 0
        numMinDelayRetries = int("numMinDelayRetries") ?? 0
        numMaxDelayRetries = int("numMaxDelayRetries") ?? 0
        backoffFunction = json["backoffFunction"]?.stringValue ?? "linear"
    }

    var json: JSONValue {
        ["minDelayTarget": .integer(minDelayTarget), "maxDelayTarget": .integer(maxDelayTarget), "numRetries": .integer(numRetries),
         "numMaxDelayRetries": .integer(numMaxDelayRetries), "numNoDelayRetries": .integer(numNoDelayRetries),
         "numMinDelayRetries": .integer(numMinDelayRetries), "backoffFunction": .string(backoffFunction)]
    }

    /// Milliseconds to wait before retry number `retry` (1-based), or nil once the
    /// retries are spent. Phases: immediate, minimum delay, backoff, maximum delay.
    func delay(beforeRetry retry: Int) -> Int64? {
        guard retry >= 1, retry <= numRetries else { return nil }
        if retry <= numNoDelayRetries { return 0 }
        if retry <= numNoDelayRetries + numMinDelayRetries { return Int64(minDelayTarget) * 1000 }
        let backoffCount = max(0, numRetries - numNoDelayRetries - numMinDelayRetries - numMaxDelayRetries)
        let k = retry - numNoDelayRetries - numMinDelayRetries
        if k > backoffCount { return Int64(maxDelayTarget) * 1000 }
        let lo = Double(minDelayTarget), hi = Double(maxDelayTarget)
        let fraction = backoffCount <= 1 ? 1.0 : Double(k - 1) / Double(backoffCount - 1)
        let seconds: Double
        switch backoffFunction {
        case "arithmetic": seconds = lo + (hi - lo) * fraction * fraction
        case "geometric": seconds = lo + (hi - lo) * fraction.squareRoot()
        case "exponential": seconds = lo * pow(max(hi / max(lo, 0.001), 1), fraction)
        default: seconds = lo + (hi - lo) * fraction
        }
        return Int64((min(max(seconds, lo), hi) * 1000).rounded())
    }

    /// Validates a `healthyRetryPolicy` object as SetSubscriptionAttributes does.
    static func validate(_ json: JSONValue, attribute: String) throws {
        guard case .object(let o) = json else {
            throw SNSError.invalidParameter("\(attribute): healthyRetryPolicy must be an object")
        }
        let known: Set = ["minDelayTarget", "maxDelayTarget", "numRetries", "numNoDelayRetries", "numMinDelayRetries",
                          "numMaxDelayRetries", "backoffFunction"]
        for m in o {
            guard known.contains(m.key) else { throw SNSError.invalidParameter("\(attribute): Unknown field \(m.key)") }
        }
        let p = RetryPolicy(json: json)
        if let f = o["backoffFunction"], !["linear", "arithmetic", "geometric", "exponential"].contains(f.stringValue ?? "") {
            throw SNSError.invalidParameter("\(attribute): backoffFunction must be one of linear, arithmetic, geometric, exponential")
        }
        guard p.minDelayTarget >= 1, p.maxDelayTarget >= p.minDelayTarget, p.maxDelayTarget <= 3600 else {
            throw SNSError.invalidParameter("\(attribute): minDelayTarget must be at least 1 and at most maxDelayTarget, which must be at most 3600")
        }
        guard (0...100).contains(p.numRetries),
              p.numNoDelayRetries >= 0, p.numMinDelayRetries >= 0, p.numMaxDelayRetries >= 0,
              p.numNoDelayRetries + p.numMinDelayRetries + p.numMaxDelayRetries <= p.numRetries else {
            throw SNSError.invalidParameter("\(attribute): numRetries must be between 0 and 100 and at least numNoDelayRetries + numMinDelayRetries + numMaxDelayRetries")
        }
    }
}

/// What a subscription's DeliveryPolicy and its topic's decide for HTTP/S delivery.
struct HTTPDeliverySettings: Sendable, Equatable {
    var retry = RetryPolicy.httpDefault
    var contentType = "text/plain; charset=UTF-8"

    init(topic: JSONObject, subscription: JSONObject) {
        var overridable = true
        if let text = topic["DeliveryPolicy"]?.stringValue, let policy = try? JSONValue.parse(Array(text.utf8)),
           let http = policy["http"] {
            if let r = http["defaultHealthyRetryPolicy"] { retry = RetryPolicy(json: r) }
            if let c = http["defaultRequestPolicy"]?["headerContentType"]?.stringValue { contentType = c }
            overridable = http["disableSubscriptionOverrides"]?.boolValue != true
        }
        if overridable, let text = subscription["DeliveryPolicy"]?.stringValue,
           let policy = try? JSONValue.parse(Array(text.utf8)) {
            if let r = policy["healthyRetryPolicy"] { retry = RetryPolicy(json: r) }
            if let c = policy["requestPolicy"]?["headerContentType"]?.stringValue { contentType = c }
        }
    }

    /// `EffectiveDeliveryPolicy` of an HTTP/S subscription.
    var subscriptionJSON: JSONValue {
        ["healthyRetryPolicy": retry.json, "sicklyRetryPolicy": nil, "throttlePolicy": nil,
         "requestPolicy": ["headerContentType": .string(contentType)], "guaranteed": false]
    }

    /// `EffectiveDeliveryPolicy` of a topic.
    static func topicJSON(_ topic: JSONObject) -> JSONValue {
        let s = HTTPDeliverySettings(topic: topic, subscription: JSONObject())
        var disable = false
        if let text = topic["DeliveryPolicy"]?.stringValue, let policy = try? JSONValue.parse(Array(text.utf8)) {
            disable = policy["http"]?["disableSubscriptionOverrides"]?.boolValue ?? false
        }
        return ["http": ["defaultHealthyRetryPolicy": s.retry.json, "disableSubscriptionOverrides": .bool(disable),
                         "defaultRequestPolicy": ["headerContentType": .string(s.contentType)]]]
    }

    /// Validates a subscription's DeliveryPolicy (`healthyRetryPolicy`, `throttlePolicy`,
    /// `requestPolicy`) or a topic's (`http`, `https`, … each with `default…` members).
    static func validate(_ text: String, topic: Bool) throws {
        guard case .object(let o)? = try? JSONValue.parse(Array(text.utf8)) else {
            throw SNSError.invalidParameter("DeliveryPolicy: failed to parse JSON")
        }
        if topic {
            for m in o {
                guard ["http", "https", "sqs", "lambda", "application", "firehose", "sms", "email"].contains(m.key) else {
                    throw SNSError.invalidParameter("DeliveryPolicy: Unknown protocol \(m.key)")
                }
                if let r = m.value["defaultHealthyRetryPolicy"] { try RetryPolicy.validate(r, attribute: "DeliveryPolicy") }
            }
        } else {
            for m in o {
                guard ["healthyRetryPolicy", "sicklyRetryPolicy", "throttlePolicy", "requestPolicy", "guaranteed"].contains(m.key) else {
                    throw SNSError.invalidParameter("DeliveryPolicy: Unknown field \(m.key)")
                }
            }
            if let r = o["healthyRetryPolicy"] { try RetryPolicy.validate(r, attribute: "DeliveryPolicy") }
        }
    }
}
