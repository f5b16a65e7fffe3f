import Foundation
import JSON

/// A client connection's socket, as the runtime needs it: the Server layer implements
/// it over its NIO channel, so nothing below the Server knows about NIO.
public protocol WebSocketPeer: Sendable {
    /// Queues one message frame; text when `binary` is false.
    func send(_ data: [UInt8], binary: Bool)
    /// Sends a close frame with `code` and `reason`, then closes the socket.
    func close(code: UInt16, reason: String)
}

/// One connected client, with what API Gateway remembers about it for later events
/// and for GetConnection.
public struct WebSocketConnection: Sendable {
    public var connectionId: String
    public var apiId: String
    public var stage: String
    public var account: String
    public var region: String
    /// The Host the client connected to; events carry it as `domainName`.
    public var domainName: String
    /// Epoch milliseconds.
    public var connectedAt: Int64
    public var lastActiveAt: Int64
    public var sourceIp: String
    public var userAgent: String
    /// What a `$connect` authorizer returned (principalId and context), sent with every later event.
    public var authorizer: JSONObject?

    /// Unguessable, in API Gateway's style (`L0SM9cOFvHcCIhw=`): 89 bits of randomness.
    static func newIdentifier() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<15).map { _ in alphabet[Int(generator.next(upperBound: UInt32(alphabet.count)))] }) + "="
    }
}

/// The live connections of every WebSocket API, by connection id. Connections are
/// sockets: they do not outlive the process, so they live in memory, not SQLite.
final class WebSocketConnections: @unchecked Sendable {
    // @unchecked: `entries` is guarded by `lock`.
    private let lock = NSLock()
    private var entries: [String: (connection: WebSocketConnection, peer: any WebSocketPeer)] = [:]
    /// Connections already told to close for a limit.
    private var closing: Set<String> = []

    func add(_ connection: WebSocketConnection, peer: any WebSocketPeer) {
        lock.withLock { entries[connection.connectionId] = (connection, peer) }
    }

    @discardableResult
    func remove(_ id: String) -> WebSocketConnection? {
        lock.withLock {
            closing.remove(id)
            return entries.removeValue(forKey: id)?.connection
        }
    }

    func lookup(_ id: String) -> (connection: WebSocketConnection, peer: any WebSocketPeer)? {
        lock.withLock { entries[id] }
    }

    /// Marks activity in either direction (GetConnection's LastActiveAt).
    @discardableResult
    func touch(_ id: String, at now: Int64) -> (connection: WebSocketConnection, peer: any WebSocketPeer)? {
        lock.withLock {
            entries[id]?.connection.lastActiveAt = now
            return entries[id]
        }
    }

    var count: Int { lock.withLock { entries.count } }

    /// Connections past a limit at `now` (closed once each), and the next time one will be.
    func overdue(now: Int64, idleMilliseconds: Int64, maxAgeMilliseconds: Int64) -> (peers: [any WebSocketPeer], next: Int64?) {
        lock.withLock {
            var peers: [any WebSocketPeer] = []
            var next: Int64?
            for (id, entry) in entries where !closing.contains(id) {
                let deadline = min(entry.connection.lastActiveAt + idleMilliseconds, entry.connection.connectedAt + maxAgeMilliseconds)
                if deadline <= now {
                    closing.insert(id)
                    peers.append(entry.peer)
                } else {
                    next = min(next ?? deadline, deadline)
                }
            }
            return (peers, next)
        }
    }

    func removeAll() -> [(connection: WebSocketConnection, peer: any WebSocketPeer)] {
        lock.withLock {
            defer { entries.removeAll() }
            return Array(entries.values)
        }
    }
}
