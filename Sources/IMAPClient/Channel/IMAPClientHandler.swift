import IMAPCodec
import NIOCore

/// The IMAP client's channel handler: bytes in, ``ResponseEvent``s out; ``IMAPOutboundPart``s
/// in, bytes out. The events of one read go on together, as one array, so that the pipeline
/// and the connection's async stream are passed once per read, not once per response (a
/// re-run's flags listing is thousands of one-line responses). Kept thin: parsing is
/// ``ResponseParser``, protocol state is ``ClientStateMachine`` (driven by
/// ``IMAPConnection``). It adds only what must happen on the event loop:
///
/// - **Timeouts.** While a response is awaited and a read is pending (the consumer is not
///   applying backpressure), no progress in either direction for `responseTimeout` fails the
///   channel with ``IMAPClientError/Kind/timeout(_:)``.
/// - **STARTTLS.** When the tagged OK of STARTTLS is decoded, TLS is inserted in front of this
///   handler (behind ``QuickAckHandler``, which must see the raw reads) before any further
///   byte is read; bytes already received after that OK are
///   plaintext injection and fail the connection.
final class IMAPClientHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = [ResponseEvent]
    typealias OutboundIn = IMAPOutboundPart
    typealias OutboundOut = ByteBuffer

    private var parser: ResponseParser
    private var buffer = ByteBuffer()
    private let responseTimeout: TimeAmount
    private let makeTLSHandler: (@Sendable () throws -> any ChannelHandler)?
    /// Told when each write has gone to the socket (the connection's writer waits on it).
    private let backlog: OutboundBacklog?
    /// Tags of commands whose completion has not been read; the greeting counts as one.
    private var awaited: Set<String> = ["*greeting"]
    private var startTLSTag: String?
    private var readPending = false
    private var timer: Scheduled<Void>?
    private var failed = false

    init(
        parserOptions: ResponseParserOptions, responseTimeout: TimeAmount, makeTLSHandler: (@Sendable () throws -> any ChannelHandler)?,
        backlog: OutboundBacklog? = nil
    ) {
        self.parser = ResponseParser(options: parserOptions)
        self.backlog = backlog
        self.responseTimeout = responseTimeout
        self.makeTLSHandler = makeTLSHandler
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !failed else { return }
        var incoming = unwrapInboundIn(data)
        if buffer.readableBytes == 0 {
            buffer = incoming
        } else {
            buffer.writeBuffer(&incoming)
        }
        readPending = false
        rearmTimer(context: context)
        var upgraded = false
        var events: [ResponseEvent] = []
        do {
            while let event = try parser.parse(&buffer) {
                awaited.remove("*greeting")
                if case .tagged(let tagged) = event {
                    awaited.remove(tagged.tag)
                    if tagged.tag == startTLSTag {
                        startTLSTag = nil
                        if tagged.status == .ok {
                            try upgradeToTLS(context: context)
                            upgraded = true
                        }
                    }
                }
                events.append(Self.detached(event))
            }
            if !events.isEmpty { context.fireChannelRead(wrapInboundOut(events)) }
            // The TLS handler now in front does not pass on the read-complete of the
            // plaintext read it never saw; deliver the STARTTLS response now.
            if upgraded { context.fireChannelReadComplete() }
        } catch {
            // What was parsed before the error is delivered first, as it came.
            if !events.isEmpty { context.fireChannelRead(wrapInboundOut(events)) }
            fail(context: context, error: (error as? IMAPClientError) ?? IMAPClientError(.invalidResponse(error as? IMAPParseError)))
            return
        }
        // Keep only the unparsed tail (part of a line or a literal header), in a storage of
        // its own: the read's storage (after TLS, often hundreds of KB) is released now
        // rather than kept for the connection's life and copied whole by the next read.
        buffer = buffer.readableBytes == 0 ? ByteBuffer() : ByteBuffer(bytes: buffer.readableBytesView)
    }

    /// Body bytes are slices of the read they came in; a slice keeps the whole read's storage
    /// alive until it is consumed, and events wait in the channel's inbound buffer. A slice of
    /// less than half its storage is copied, so the memory waiting there is at most twice the
    /// body bytes themselves.
    static func detached(_ event: ResponseEvent) -> ResponseEvent {
        guard case .fetch(.streamingBytes(let bytes)) = event, bytes.storageCapacity > 2 * bytes.readableBytes else { return event }
        return .fetch(.streamingBytes(ByteBuffer(bytes: bytes.readableBytesView)))
    }

    private func upgradeToTLS(context: ChannelHandlerContext) throws {
        guard buffer.readableBytes == 0, parser.isAtResponseBoundary else {
            throw IMAPClientError(.protocolViolation("the server sent data after the STARTTLS response before TLS started"))
        }
        guard let makeTLSHandler else { throw IMAPClientError(.protocolViolation("STARTTLS without a TLS configuration")) }
        try context.pipeline.syncOperations.addHandler(makeTLSHandler(), position: .before(self))
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let bytes: ByteBuffer
        switch unwrapOutboundIn(data) {
        case .commandStart(let tag, let command):
            awaited.insert(tag)
            bytes = command
        case .startTLS(let tag, let command):
            awaited.insert(tag)
            startTLSTag = tag
            bytes = command
        case .bytes(let more):
            bytes = more
        }
        let written = context.eventLoop.makePromise(of: Void.self)
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        let byteCount = bytes.readableBytes
        written.futureResult.whenComplete { _ in
            let handler = loopBound.value
            handler.backlog?.complete(byteCount)
            guard let context = handler.context else { return }
            handler.rearmTimer(context: context)  // bytes left: progress
        }
        written.futureResult.cascade(to: promise)
        context.write(wrapOutboundOut(bytes), promise: written)
    }

    func read(context: ChannelHandlerContext) {
        readPending = true
        rearmTimer(context: context)
        context.read()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(context: context, error: error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        backlog?.drop()
        timer?.cancel()
        timer = nil
        context.fireChannelInactive()
    }

    private weak var context: ChannelHandlerContext?

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) {
        backlog?.drop()
        timer?.cancel()
        self.context = nil
    }

    /// (Re)starts the inactivity timer when a response is awaited and a read is pending.
    private func rearmTimer(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        guard !failed, !awaited.isEmpty, readPending else { return }
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        let timeout = responseTimeout
        timer = context.eventLoop.scheduleTask(in: timeout) {
            let handler = loopBound.value
            guard let context = handler.context else { return }
            handler.fail(context: context, error: IMAPClientError(.timeout("no response from the server for \(timeout.nanoseconds / 1_000_000_000) s")))
        }
    }

    private func fail(context: ChannelHandlerContext, error: any Error) {
        guard !failed else { return }
        failed = true
        timer?.cancel()
        timer = nil
        context.fireErrorCaught(error)
        context.close(promise: nil)
    }
}
