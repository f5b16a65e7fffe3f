import APIGateway
import NIOCore
import NIOWebSocket

/// One upgraded WebSocket connection: whole messages go to the runtime, pings are
/// answered, a close from the client is echoed, and the runtime's close requests (a
/// DeleteConnection, the idle and lifetime limits) are carried out on the loop.
final class WebSocketHandler: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let runtime: WebSocketRuntime
    private let connectionId: String
    private var closeSent = false
    private var closeStatus = (code: 1006, reason: "Going away")

    init(runtime: WebSocketRuntime, connectionId: String) {
        self.runtime = runtime
        self.connectionId = connectionId
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text, .binary:
            let bytes = Array(frame.unmaskedData.readableBytesView)
            let binary = frame.opcode == .binary
            let runtime = self.runtime, id = connectionId
            Task { await runtime.received(connectionId: id, message: bytes, binary: binary) }
        case .ping:
            let pong = WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)
            context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
        case .connectionClose:
            var data = frame.unmaskedData
            if let code = data.readInteger(as: UInt16.self) {
                closeStatus = (Int(code), data.readString(length: data.readableBytes) ?? "")
            } else {
                closeStatus = (1005, "Client-side close frame status not set")
            }
            if closeSent {
                context.close(promise: nil)
            } else {
                // Echo the client's code, as RFC 6455 asks, then close.
                closeSent = true
                var echo = context.channel.allocator.buffer(capacity: 2)
                if closeStatus.code != 1005 { echo.writeInteger(UInt16(closeStatus.code)) }
                let channel = context.channel
                context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: echo)))
                    .whenComplete { _ in channel.close(promise: nil) }
            }
        default:
            break
        }
    }

    /// Sends a close frame and closes the socket; `$disconnect` then reports `code`.
    func close(context: ChannelHandlerContext, code: WebSocketErrorCode, reason: String) {
        guard context.channel.isActive else { return }
        closeStatus = (Int(UInt16(webSocketErrorCode: code)), reason)
        guard !closeSent else {
            context.close(promise: nil)
            return
        }
        closeSent = true
        var buffer = context.channel.allocator.buffer(capacity: 2 + reason.utf8.count)
        buffer.write(webSocketErrorCode: code)
        buffer.writeString(reason)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: buffer)))
            .whenComplete { _ in channel.close(promise: nil) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        let runtime = self.runtime, id = connectionId, status = closeStatus
        Task { await runtime.closed(connectionId: id, statusCode: status.code, reason: status.reason) }
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ClosePeer {
            close(context: context, code: WebSocketErrorCode(codeNumber: Int(event.code)), reason: event.reason)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // A message over the limit, or a protocol error the decoder has already answered.
        if error is NIOWebSocketFrameAggregator.Error {
            close(context: context, code: .messageTooLarge, reason: "Message too big")
            return
        }
        context.close(promise: nil)
    }

    /// Asks the handler to close with `code` (DeleteConnection), delivered on the loop.
    struct ClosePeer: Sendable {
        var code: UInt16
        var reason: String
    }
}

/// The runtime's handle on a channel: writes and closes hop onto its event loop.
struct ChannelPeer: WebSocketPeer {
    let channel: Channel

    func send(_ data: [UInt8], binary: Bool) {
        let channel = self.channel
        channel.eventLoop.execute {
            let frame = WebSocketFrame(fin: true, opcode: binary ? .binary : .text, data: channel.allocator.buffer(bytes: data))
            channel.writeAndFlush(frame, promise: nil)
        }
    }

    func close(code: UInt16, reason: String) {
        channel.pipeline.fireUserInboundEventTriggered(WebSocketHandler.ClosePeer(code: code, reason: reason))
    }
}

/// RFC 6455 §5.1: a client's frames are masked; an unmasked one is a protocol error,
/// answered with close 1002. Sits before the aggregator, which drops mask keys.
final class MaskedFramesRequired: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias InboundOut = WebSocketFrame
    typealias OutboundOut = WebSocketFrame
    private var failed = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !failed else { return }
        let frame = unwrapInboundIn(data)
        guard frame.maskKey != nil else {
            failed = true
            var buffer = context.channel.allocator.buffer(capacity: 2)
            buffer.write(webSocketErrorCode: .protocolError)
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: buffer)))
                .whenComplete { _ in channel.close(promise: nil) }
            return
        }
        context.fireChannelRead(data)
    }
}
