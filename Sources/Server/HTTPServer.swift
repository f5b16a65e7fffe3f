import APIGateway
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// The listening socket and its event loops.
final class HTTPServer: Sendable {
    let channel: Channel
    let group: MultiThreadedEventLoopGroup

    /// Requests larger than this are refused with 413 before they are buffered.
    static let maxBodySize = 8 * 1024 * 1024

    static func start(host: String, port: Int, gateway: Gateway, webSockets: WebSocketRuntime, logger: Logger,
                      threads: Int = 1) async throws -> HTTPServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 1024)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(ChannelOptions.maxMessagesPerRead, value: 16)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    let upgrade = WebSocketUpgradeState()
                    try sync.addHandler(IdleStateHandler(readTimeout: .seconds(120)), name: WebSocketUpgrade.idleHandlerName)
                    try sync.configureHTTPServerPipeline(
                        withServerUpgrade: (upgraders: [WebSocketUpgrade.upgrader(runtime: webSockets, state: upgrade)],
                                            completionHandler: { _ in }),
                        withErrorHandling: false)
                    try sync.addHandler(HTTPHandler(gateway: gateway, maxBodySize: maxBodySize, logger: logger, upgrade: upgrade),
                                        name: WebSocketUpgrade.httpHandlerName)
                }
            }
        do {
            let channel = try await bootstrap.bind(host: host, port: port).get()
            return HTTPServer(channel: channel, group: group)
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    private init(channel: Channel, group: MultiThreadedEventLoopGroup) {
        self.channel = channel
        self.group = group
    }

    var port: Int { channel.localAddress?.port ?? 0 }

    func close() async {
        try? await channel.close()
        try? await group.shutdownGracefully()
    }
}
