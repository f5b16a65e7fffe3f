import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOWebSocket
import Wire

/// One HTTP/1.1 connection: gathers a request, hands it to the gateway off the event
/// loop, writes the answer back on the loop. Loop-bound and therefore not Sendable.
final class HTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let gateway: Gateway
    private let maxBodySize: Int
    private let logger: Logger
    private var head: HTTPRequestHead?
    private var body: ByteBuffer?
    private var rejected = false
    private let upgrade: WebSocketUpgradeState?
    /// The request was a WebSocket handshake the upgrader could not accept (no key, wrong version).
    private var badHandshake = false

    init(gateway: Gateway, maxBodySize: Int, logger: Logger, upgrade: WebSocketUpgradeState? = nil) {
        self.upgrade = upgrade
        self.gateway = gateway
        self.maxBodySize = maxBodySize
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h):
            head = h
            body = nil
            rejected = false
            if let length = h.headers.first(name: "content-length").flatMap(Int.init), length > maxBodySize {
                reject(context: context)
                return
            }
            if h.headers.first(name: "expect")?.lowercased() == "100-continue" {
                context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: h.version, status: .continue))), promise: nil)
            }
        case .body(var chunk):
            guard !rejected else { return }
            if (body?.readableBytes ?? 0) + chunk.readableBytes > maxBodySize {
                reject(context: context)
                return
            }
            if body == nil { body = chunk } else { body!.writeBuffer(&chunk) }
        case .end:
            guard !rejected, let head else { return }
            if let refusal = upgrade?.takeRefusal() {
                self.head = nil
                write(refusal, version: head.version, keepAlive: false, context: context)
                return
            }
            if badHandshake {
                badHandshake = false
                self.head = nil
                write(WireResponse(status: 400, headers: WireHeaders(), body: Array("Bad Request".utf8)), version: head.version,
                      keepAlive: false, context: context)
                return
            }
            let bytes = body.map { Array($0.readableBytesView) } ?? []
            var headers = WireHeaders()
            for (name, value) in head.headers { headers.add(name, value) }
            let request = WireRequest(method: head.method.rawValue, uri: head.uri, headers: headers, body: bytes)
            let keepAlive = head.isKeepAlive
            let version = head.version
            self.head = nil
            self.body = nil
            let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            let eventLoop = context.eventLoop
            let gateway = self.gateway
            let logger = self.logger
            Task {
                let outcome = await gateway.handle(request)
                if let error = outcome.unexpected {
                    logger.error("request failed", metadata: ["error": "\(error)", "path": "\(request.path)"])
                }
                logger.debug("request", metadata: [
                    "method": "\(request.method)", "path": "\(request.path)",
                    "target": "\(request.headers["x-amz-target"] ?? "-")", "status": "\(outcome.response.status)",
                    "requestId": "\(outcome.response.headers["x-amzn-RequestId"] ?? "-")",
                ])
                eventLoop.execute {
                    let (handler, context) = loopBound.value
                    handler.write(outcome.response, version: version, keepAlive: keepAlive, context: context)
                }
            }
        }
    }

    private func reject(context: ChannelHandlerContext) {
        rejected = true
        let error = CommonError.requestTooLarge(limit: maxBodySize)
        var headers = WireHeaders()
        headers.add("Content-Type", "application/json")
        headers.add("x-amzn-RequestId", UUID().uuidString.lowercased())
        let body = "{\"__type\":\"\(error.code)\",\"message\":\"\(error.message)\"}"
        write(WireResponse(status: error.httpStatus, headers: headers, body: Array(body.utf8)),
              version: head?.version ?? .http1_1, keepAlive: false, context: context)
    }

    private func write(_ response: WireResponse, version: HTTPVersion, keepAlive: Bool, context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        var headers = HTTPHeaders()
        for (name, value) in response.headers { headers.add(name: name, value: value) }
        headers.replaceOrAdd(name: "Content-Length", value: String(response.body.count))
        headers.replaceOrAdd(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        let status = HTTPResponseStatus(statusCode: response.status)
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: version, status: status, headers: headers))), promise: nil)
        var buffer = context.channel.allocator.buffer(capacity: response.body.count)
        buffer.writeBytes(response.body)
        context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        if keepAlive {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        } else {
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // A malformed request or a reset connection: answer if we still can, then close.
        // The server and other connections carry on.
        if let error = error as? NIOWebSocketUpgradeError {
            // A refused upgrade carries on as a plain request; a malformed handshake is answered 400.
            if error == .invalidUpgradeHeader { badHandshake = true }
            return
        }
        if error is HTTPParserError, context.channel.isActive {
            var headers = HTTPHeaders()
            headers.add(name: "Content-Length", value: "0")
            headers.add(name: "Connection", value: "close")
            context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .badRequest, headers: headers))),
                                  promise: nil)
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
            return
        }
        context.close(promise: nil)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}
