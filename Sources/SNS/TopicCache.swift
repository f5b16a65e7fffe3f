import Foundation
import JSON
import Storage

/// A topic with its subscriptions and their parsed filter policies: what Publish and
/// the deliverer read for every message, so each is parsed once, not per publish.
struct TopicSnapshot: Sendable {
    var topic: TopicRecord
    var subscriptions: [SubscriptionState]

    func subscription(_ arn: String) -> SubscriptionState? { subscriptions.first { $0.record.arn == arn } }
}

struct SubscriptionState: Sendable {
    var record: SubscriptionRecord
    var filter: FilterPolicy?
    var http: HTTPDeliverySettings?

    /// Whether a message passes the subscription's filter policy.
    func accepts(_ message: PublishedMessage) -> Bool {
        guard let filter else { return true }
        switch record.filterPolicyScope {
        case .messageAttributes:
            return filter.matches(attributes: message.attributes.forFilter)
        case .messageBody:
            guard let body = try? JSONValue.parse(Array(message.message(for: record.protocol).utf8)) else { return false }
            return filter.matches(body: body)
        }
    }
}

/// Topic snapshots by ARN. Every write to topics or subscriptions bumps `version`
/// after it commits and empties the cache; a reader stores what it loaded only if no
/// write finished meanwhile, so a stale snapshot never outlives the write that made it
/// stale.
final class TopicCache: @unchecked Sendable {
    // @unchecked: every member is guarded by `lock`.
    private let lock = NSLock()
    private var version = 0
    private var generation = -1
    private var snapshots: [String: TopicSnapshot] = [:]

    func invalidate() {
        lock.withLock {
            version += 1
            snapshots.removeAll()
        }
    }

    func lookup(_ arn: String, generation current: Int) -> (TopicSnapshot?, Int) {
        lock.withLock {
            if generation != current {
                generation = current
                snapshots.removeAll()
                version += 1
            }
            return (snapshots[arn], version)
        }
    }

    func store(_ snapshot: TopicSnapshot, loadedAt v: Int) {
        lock.withLock {
            if version == v { snapshots[snapshot.topic.arn] = snapshot }
        }
    }
}

extension SNSService {
    /// The topic and its subscriptions, from the cache or SQLite; nil if it does not exist.
    func snapshot(_ topicArn: String) async throws -> TopicSnapshot? {
        let (cached, version) = cache.lookup(topicArn, generation: database.generation)
        if let cached { return cached }
        let loaded: (TopicRecord, [SubscriptionRecord])? = try await database.read { db in
            guard let topic = try db.topic(topicArn) else { return nil }
            return (topic, try db.subscriptions(topic: topicArn))
        }
        guard let (topic, subscriptions) = loaded else { return nil }
        let snapshot = TopicSnapshot(topic: topic, subscriptions: subscriptions.map { record in
            let filter = record.filterPolicyText.flatMap { try? FilterPolicy(json: $0, scope: record.filterPolicyScope) }
            let http = record.protocol.isHTTP ? HTTPDeliverySettings(topic: topic.attributes, subscription: record.attributes) : nil
            return SubscriptionState(record: record, filter: filter, http: http)
        })
        cache.store(snapshot, loadedAt: version)
        return snapshot
    }

    func requireSnapshot(_ topicArn: String) async throws -> TopicSnapshot {
        guard let s = try await snapshot(topicArn) else { throw SNSError.topicNotFound() }
        return s
    }

    /// Runs a write to topics or subscriptions, then drops cached snapshots.
    func write<T: Sendable>(_ body: @escaping @Sendable (Connection) throws -> T) async throws -> T {
        defer { cache.invalidate() }
        return try await database.transaction(body)
    }
}
