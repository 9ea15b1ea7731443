public import NIOCore

/// Sits just above the socket and performs the STARTTLS switch atomically on the event loop.
///
/// On a `StartTLSGate.Request` (sent with `triggerUserOutboundEvent`) it writes and flushes
/// the given plaintext (the server's `220`, or nothing for a client), inserts the TLS
/// handler below itself, and emits `.tlsStarted` upstream, all in one event-loop tick: no
/// byte can be read between the last plaintext and the marker, and the peer's handshake
/// cannot arrive before the TLS handler is there to read it.
public final class StartTLSGate: ChannelDuplexHandler, RemovableChannelHandler {
    public typealias InboundIn = ByteBuffer
    public typealias InboundOut = SMTPInboundPart
    public typealias OutboundIn = ByteBuffer
    public typealias OutboundOut = ByteBuffer

    /// Ask the gate to start TLS.
    public struct Request: Sendable {
        /// Plaintext to send before TLS starts (the server's 220 reply).
        public var finalPlaintext: ByteBuffer?
        /// Builds the TLS handler on the event loop.
        public var makeTLSHandler: @Sendable () throws -> any ChannelHandler

        public init(finalPlaintext: ByteBuffer?, makeTLSHandler: @escaping @Sendable () throws -> any ChannelHandler) {
            self.finalPlaintext = finalPlaintext
            self.makeTLSHandler = makeTLSHandler
        }
    }

    private var tlsStarted = false

    public init() {}

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireChannelRead(wrapInboundOut(.bytes(unwrapInboundIn(data))))
    }

    public func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard let request = event as? Request else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        guard !tlsStarted else {
            promise?.fail(ChannelError.operationUnsupported)
            return
        }
        do {
            if let plaintext = request.finalPlaintext {
                context.writeAndFlush(wrapOutboundOut(plaintext), promise: nil)
            }
            let handler = try request.makeTLSHandler()
            try context.pipeline.syncOperations.addHandler(handler, position: .before(self))
            tlsStarted = true
            context.fireChannelRead(wrapInboundOut(.tlsStarted))
            promise?.succeed()
        } catch {
            promise?.fail(error)
            context.close(promise: nil)
        }
    }
}
