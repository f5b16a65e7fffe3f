import Foundation
import JSON
import Lambda
import SQS
import Storage
import Wire

/// Delivering one batch of a subscription's jobs, by protocol, through the same typed
/// operations an SDK reaches (SQS SendMessage/SendMessageBatch, Lambda Invoke with
/// InvocationType Event), URLSession for webhooks, and the delivery log for the rest.
extension SNSService {
    static func laneLimits(_ job: DeliveryJob) -> LaneLimits {
        let fifo = job.message.topicArn.hasSuffix(".fifo")
        switch job.protocol {
        case .sqs: return LaneLimits(concurrency: fifo ? 1 : 4, batch: 10, fifo: fifo)
        case .lambda: return LaneLimits(concurrency: fifo ? 1 : 8, batch: 1, fifo: fifo)
        case .http, .https: return LaneLimits(concurrency: 4, batch: 1, fifo: fifo)
        default: return LaneLimits(concurrency: 4, batch: 1, fifo: fifo)
        }
    }

    func deliver(_ batch: [DeliveryJob]) async -> [DeliveryOutcome] {
        guard let first = batch.first else { return [] }
        let snapshot: TopicSnapshot?
        do {
            snapshot = try await self.snapshot(first.message.topicArn)
        } catch {
            return batch.map { _ in .retry(1_000) }
        }
        // Topic deleted or unsubscribed meanwhile: nothing left to deliver to.
        guard let snapshot, let subscription = snapshot.subscription(first.subscriptionArn) else {
            return batch.map { _ in .done }
        }
        let jobs = batch.filter { $0.message.kind != .notification || subscription.record.confirmed }
        if jobs.isEmpty { return batch.map { _ in .done } }
        var outcomes: [Int64: DeliveryOutcome] = [:]
        switch subscription.record.protocol {
        case .sqs:
            for (job, outcome) in zip(jobs, await deliverToSQS(jobs, subscription, snapshot.topic)) { outcomes[job.id] = outcome }
        case .lambda:
            for job in jobs { outcomes[job.id] = await deliverToLambda(job, subscription, snapshot.topic) }
        case .http, .https:
            for job in jobs { outcomes[job.id] = await deliverToWebhook(job, subscription, snapshot.topic) }
        case .email, .emailJSON, .sms, .application, .firehose:
            for job in jobs { outcomes[job.id] = await record(job, subscription, snapshot.topic) }
        }
        return batch.map { outcomes[$0.id] ?? .done }
    }

    func envelope(_ message: PublishedMessage, _ subscription: SubscriptionState, _ topic: TopicRecord) -> Envelope {
        let text = message.kind == .notification ? message.message(for: subscription.record.protocol) : message.message
        return Envelope(message, text: text, subscriptionArn: subscription.record.arn, host: advertisedHost.value,
                        signer: signer, signatureVersion: topic.signatureVersion)
    }

    // MARK: SQS

    /// The SendMessage input of one job: the envelope, or the raw message with its
    /// attributes as SQS message attributes; FIFO group and deduplication ids for FIFO queues.
    func sqsEntry(_ job: DeliveryJob, _ subscription: SubscriptionState, _ topic: TopicRecord, queueIsFifo: Bool) -> JSONObject {
        var entry = JSONObject()
        let raw = subscription.record.rawMessageDelivery
        entry.append("MessageBody", .string(raw ? job.message.message(for: .sqs) : envelope(job.message, subscription, topic).document))
        if raw, !job.message.attributes.isEmpty {
            var attributes = JSONObject()
            for (name, a) in job.message.attributes.entries {
                attributes.append(name, a.isBinary
                    ? ["DataType": .string(a.dataType), "BinaryValue": .string(a.value)]
                    : ["DataType": .string(a.dataType), "StringValue": .string(a.value)])
            }
            entry.append("MessageAttributes", .object(attributes))
        }
        if queueIsFifo {
            entry.append("MessageGroupId", .string(job.message.groupId ?? "default"))
            entry.append("MessageDeduplicationId", .string(job.message.deduplicationId ?? job.message.messageId))
        }
        return entry
    }

    func deliverToSQS(_ jobs: [DeliveryJob], _ subscription: SubscriptionState, _ topic: TopicRecord) async -> [DeliveryOutcome] {
        guard let sqs = sqsBox.value, let queue = ServiceArn(subscription.record.endpoint), queue.service == "sqs" else {
            var out: [DeliveryOutcome] = []
            for job in jobs { out.append(await deadLetter(job, subscription, topic, code: "InvalidEndpoint", reason: "No such SQS queue")) }
            return out
        }
        let fifoQueue = queue.resource.hasSuffix(".fifo")
        let context = RequestContext(requestId: Self.newId(), accountId: queue.account, region: queue.region, host: "localhost")
        let entries = jobs.map { sqsEntry($0, subscription, topic, queueIsFifo: fifoQueue) }
        let total = entries.reduce(0) { $0 + ($1["MessageBody"]?.stringValue?.utf8.count ?? 0) }
        // One SendMessageBatch when it fits, else one SendMessage each.
        var failures: [Int: (code: String, message: String, sender: Bool)] = [:]
        var retryAll = false
        if entries.count > 1 && total <= 262_144 {
            var list: [JSONValue] = []
            for (i, e) in entries.enumerated() {
                var o = e
                o.append("Id", .string("m\(i)"))
                list.append(.object(o))
            }
            do {
                let result = try await sqs.invoke(.sendMessageBatch, ShapeReader(["QueueUrl": .string(queue.queueURL), "Entries": .array(list)]), context)
                for f in result["Failed"]?.arrayValue ?? [] {
                    guard let id = f["Id"]?.stringValue, let i = Int(id.dropFirst()) else { continue }
                    failures[i] = (f["Code"]?.stringValue ?? "", f["Message"]?.stringValue ?? "", f["SenderFault"]?.boolValue ?? true)
                }
            } catch let error as AWSServiceError {
                for i in entries.indices { failures[i] = (error.code, error.message, error.isSenderFault) }
            } catch {
                retryAll = true
            }
        } else {
            for (i, e) in entries.enumerated() {
                do {
                    var input = e
                    input.append("QueueUrl", .string(queue.queueURL))
                    _ = try await sqs.invoke(.sendMessage, ShapeReader(.object(input)), context)
                } catch let error as AWSServiceError {
                    failures[i] = (error.code, error.message, error.isSenderFault)
                } catch {
                    failures[i] = ("InternalError", String(describing: error), false)
                }
            }
        }
        var outcomes: [DeliveryOutcome] = []
        for (i, job) in jobs.enumerated() {
            if retryAll {
                outcomes.append(await retryOrDeadLetter(job, subscription, topic, policy: .awsManaged, code: "InternalError", reason: "SQS unavailable"))
            } else if let f = failures[i] {
                if f.sender {
                    outcomes.append(await deadLetter(job, subscription, topic, code: f.code, reason: f.message))
                } else {
                    outcomes.append(await retryOrDeadLetter(job, subscription, topic, policy: .awsManaged, code: f.code, reason: f.message))
                }
            } else {
                outcomes.append(.done)
            }
        }
        return outcomes
    }

    // MARK: Lambda

    func deliverToLambda(_ job: DeliveryJob, _ subscription: SubscriptionState, _ topic: TopicRecord) async -> DeliveryOutcome {
        guard let lambda = lambdaBox.value, let function = ServiceArn(subscription.record.endpoint) else {
            return await deadLetter(job, subscription, topic, code: "InvalidEndpoint", reason: "No such function")
        }
        let event: JSONValue = ["Records": [envelope(job.message, subscription, topic).lambdaRecord]]
        let context = RequestContext(requestId: Self.newId(), accountId: function.account, region: function.region, host: "localhost")
        do {
            _ = try await lambda.invoke(.invoke, ShapeReader([
                "FunctionName": .string(subscription.record.endpoint), "InvocationType": "Event", "Payload": .string(event.jsonString),
            ]), context)
            return .done
        } catch let error as AWSServiceError where error.httpStatus < 500 {
            return await deadLetter(job, subscription, topic, code: error.code, reason: error.message)
        } catch {
            return await retryOrDeadLetter(job, subscription, topic, policy: .awsManaged, code: "InternalError", reason: String(describing: error))
        }
    }

    // MARK: HTTP/S

    func deliverToWebhook(_ job: DeliveryJob, _ subscription: SubscriptionState, _ topic: TopicRecord) async -> DeliveryOutcome {
        let settings = subscription.http ?? HTTPDeliverySettings(topic: topic.attributes, subscription: subscription.record.attributes)
        let message = job.message
        let raw = message.kind == .notification && subscription.record.rawMessageDelivery
        let body = raw ? message.message(for: subscription.record.protocol) : envelope(message, subscription, topic).document
        var headers: [(String, String)] = [
            ("x-amz-sns-message-type", message.kind.rawValue),
            ("x-amz-sns-message-id", message.messageId),
            ("x-amz-sns-topic-arn", message.topicArn),
        ]
        if message.kind == .notification {
            headers.append(("x-amz-sns-subscription-arn", subscription.record.arn))
            if raw { headers.append(("x-amz-sns-rawdelivery", "true")) }
        }
        headers.append(("Content-Type", message.kind == .notification ? settings.contentType : "text/plain; charset=UTF-8"))
        headers.append(("User-Agent", "Amazon Simple Notification Service Agent"))
        let outcome = await webhooks.post(subscription.record.endpoint, headers: headers, body: body)
        switch outcome {
        case .delivered(let status):
            await log(job, subscription, body: body, status: "delivered (HTTP \(status))")
            return .done
        case .failed(let reason):
            await log(job, subscription, body: body, status: "failed: \(reason)")
            return await retryOrDeadLetter(job, subscription, topic, policy: settings.retry, code: "DeliveryFailed", reason: reason)
        }
    }

    // MARK: email, email-json, sms, application, firehose

    /// Endpoints the emulator cannot reach are recorded in the delivery log instead.
    func record(_ job: DeliveryJob, _ subscription: SubscriptionState, _ topic: TopicRecord) async -> DeliveryOutcome {
        let message = job.message
        let body: String
        switch subscription.record.protocol {
        case .emailJSON:
            body = envelope(message, subscription, topic).document
        case .email where message.kind == .subscriptionConfirmation:
            body = "You have chosen to subscribe to the topic: \(message.topicArn)\nTo confirm this subscription, click or visit the link below (If this was in error no action is necessary):\n\(envelope(message, subscription, topic).subscribeURL)"
        case .firehose where !subscription.record.rawMessageDelivery:
            body = envelope(message, subscription, topic).document
        default:
            body = message.kind == .notification ? message.message(for: subscription.record.protocol) : message.message
        }
        await log(job, subscription, body: body, status: "delivered")
        return .done
    }

    func log(_ job: DeliveryJob, _ subscription: SubscriptionState, body: String, status: String) async {
        let r = subscription.record
        let (message, now) = (job.message, clock.nowMilliseconds())
        _ = try? await database.transaction { db in
            try db.run("""
                INSERT INTO sns_delivery_log (account, region, protocol, endpoint, subscription_arn, topic_arn, message_id, kind, body, status, delivered_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [.text(r.account), .text(r.region), .text(r.protocol.rawValue), .text(r.endpoint), .text(r.arn), .text(r.topicArn),
                      .text(message.messageId), .text(message.kind.rawValue), .text(body), .text(status), .integer(now)])
        }
    }

    // MARK: retries and dead letters

    func retryOrDeadLetter(_ job: DeliveryJob, _ subscription: SubscriptionState, _ topic: TopicRecord, policy: RetryPolicy,
                           code: String, reason: String) async -> DeliveryOutcome {
        if let delay = policy.delay(beforeRetry: job.attempt + 1) { return .retry(delay) }
        return await deadLetter(job, subscription, topic, code: code, reason: reason)
    }

    /// After the last failed attempt: to the subscription's DLQ (an SQS queue) if it has
    /// one, with AWS's RequestID/ErrorCode/ErrorMessage attributes; otherwise dropped.
    func deadLetter(_ job: DeliveryJob, _ subscription: SubscriptionState, _ topic: TopicRecord, code: String,
                    reason: String) async -> DeliveryOutcome {
        guard job.message.kind == .notification, let target = subscription.record.deadLetterTargetArn,
              let queue = ServiceArn(target), let sqs = sqsBox.value else {
            await log(job, subscription, body: job.message.message, status: "dropped: \(code): \(reason)")
            return .done
        }
        let fifoQueue = queue.resource.hasSuffix(".fifo")
        var input = sqsEntry(job, subscription, topic, queueIsFifo: fifoQueue)
        var attributes = input["MessageAttributes"]?.objectValue ?? JSONObject()
        for (name, value) in [("RequestID", Self.newId()), ("ErrorCode", code), ("ErrorMessage", String(reason.prefix(1024)))]
        where attributes.count < 10 {
            attributes[name] = ["DataType": "String", "StringValue": .string(value.isEmpty ? "-" : value)]
        }
        input["MessageAttributes"] = .object(attributes)
        input.append("QueueUrl", .string(queue.queueURL))
        let context = RequestContext(requestId: Self.newId(), accountId: queue.account, region: queue.region, host: "localhost")
        do {
            _ = try await sqs.invoke(.sendMessage, ShapeReader(.object(input)), context)
            await log(job, subscription, body: job.message.message, status: "dead-lettered to \(target): \(code): \(reason)")
        } catch {
            await log(job, subscription, body: job.message.message, status: "dropped (DLQ \(target) failed: \(error)): \(code): \(reason)")
        }
        return .done
    }
}
