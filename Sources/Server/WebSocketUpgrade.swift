import APIGateway
import Foundation
import NIOCore
import NIOHTTP1
import NIOWebSocket
import Wire

/// What a channel's WebSocket handshake decided, shared by the upgrader's callbacks
/// and the HTTP handler that answers a refused handshake.
final class WebSocketUpgradeState: @unchecked Sendable {
    // @unchecked: every field is guarded by `lock`.
    private let lock = NSLock()
    private var _pending: WebSocketConnection?
    private var _refusal: WireResponse?

    var pending: WebSocketConnection? {
        get { lock.withLock { _pending } }
        set { lock.withLock { _pending = newValue } }
    }

    /// The answer to a refused handshake; taken once by the HTTP handler.
    func takeRefusal() -> WireResponse? {
        lock.withLock {
            defer { _refusal = nil }
            return _refusal
        }
    }

    func refuse(_ response: WireResponse) { lock.withLock { _refusal = response } }
}

/// Builds the upgrader for one channel: handshakes on a WebSocket API's stage URL run
/// `$connect`; any other upgrade request carries on as plain HTTP.
enum WebSocketUpgrade {
    static let httpHandlerName = "offcloud.http"
    static let idleHandlerName = "offcloud.idle"

    static func upgrader(runtime: WebSocketRuntime, state: WebSocketUpgradeState) -> NIOWebSocketServerUpgrader {
        NIOWebSocketServerUpgrader(
            maxFrameSize: runtime.limits.maxFrameBytes, automaticErrorHandling: true,
            shouldUpgrade: { channel, head in
                var headers = WireHeaders()
                for (name, value) in head.headers { headers.add(name, value) }
                let request = WireRequest(method: head.method.rawValue, uri: head.uri, headers: headers, body: [])
                guard head.method == .GET, let (apiId, path) = Gateway.executeAPITarget(request) else {
                    return channel.eventLoop.makeSucceededFuture(nil)
                }
                let promise = channel.eventLoop.makePromise(of: HTTPHeaders?.self)
                let sourceIp = channel.remoteAddress?.ipAddress ?? "127.0.0.1"
                let host = request.headers["host"] ?? "localhost"
                let pairs = head.headers.map { ($0.name, $0.value) }
                Task {
                    guard await runtime.isWebSocketAPI(apiId) else {
                        promise.succeed(nil)
                        return
                    }
                    switch await runtime.handshake(apiId: apiId, path: path, headers: pairs, query: request.query, host: host,
                                                   sourceIp: sourceIp) {
                    case .accept(let connection, let extra):
                        state.pending = connection
                        promise.succeed(HTTPHeaders(extra))
                    case .refuse(let response):
                        state.refuse(response)
                        promise.succeed(nil)
                    }
                }
                return promise.futureResult
            },
            upgradePipelineHandler: { channel, _ in
                guard let connection = state.pending else { return channel.close() }
                state.pending = nil
                return channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    _ = sync.removeHandler(name: httpHandlerName)
                    _ = sync.removeHandler(name: idleHandlerName)
                    try sync.addHandler(MaskedFramesRequired())
                    try sync.addHandler(NIOWebSocketFrameAggregator(minNonFinalFragmentSize: 0, maxAccumulatedFrameCount: 1_024,
                                                                    maxAccumulatedFrameSize: runtime.limits.maxMessageBytes))
                    try sync.addHandler(WebSocketHandler(runtime: runtime, connectionId: connection.connectionId))
                    runtime.opened(connection, peer: ChannelPeer(channel: channel))
                }
            })
    }
}
