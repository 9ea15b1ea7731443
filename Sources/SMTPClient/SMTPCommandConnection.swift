import Logging
public import NIOCore
import NIOPosix
public import SMTPCodec
import SMTPTransport
import Synchronization

/// A command-at-a-time SMTP client for proxying: each command's reply is returned as the
/// server sent it, so a relay in front of an MTA can pass the MTA's verdicts through.
///
/// Unlike `SMTPClientConnection` it is opened and closed explicitly, because its lifetime
/// follows another connection (the inbound session it proxies). Always `close()` it.
public final class SMTPCommandConnection {
    final class ReplyHandler: ChannelInboundHandler, Sendable {
        typealias InboundIn = SMTPInboundPart
        let continuation: AsyncThrowingStream<SMTPReply, any Error>.Continuation
        let state = Mutex((buffer: ByteBuffer(), parser: SMTPReplyParser()))

        init(continuation: AsyncThrowingStream<SMTPReply, any Error>.Continuation) {
            self.continuation = continuation
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard case .bytes(var bytes) = unwrapInboundIn(data) else { return }
            let result: Result<[SMTPReply], any Error> = state.withLock { state in
                state.buffer.writeBuffer(&bytes)
                var replies: [SMTPReply] = []
                do {
                    while let reply = try state.parser.next(from: &state.buffer) { replies.append(reply) }
                    return .success(replies)
                } catch {
                    return .failure(error)
                }
            }
            switch result {
            case .success(let replies): for reply in replies { continuation.yield(reply) }
            case .failure(let error):
                continuation.finish(throwing: error)
                context.close(promise: nil)
            }
        }

        func channelInactive(context: ChannelHandlerContext) {
            continuation.finish(throwing: SMTPClientError(.connectionClosed, "connection closed by the server"))
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            continuation.finish(throwing: error)
            context.close(promise: nil)
        }
    }

    let channel: any Channel
    var replies: AsyncThrowingStream<SMTPReply, any Error>.AsyncIterator
    let timeout: Duration
    public let greeting: SMTPReply
    public private(set) var extensions = SMTPExtensions()

    init(channel: any Channel, replies: AsyncThrowingStream<SMTPReply, any Error>.AsyncIterator, timeout: Duration, greeting: SMTPReply) {
        self.channel = channel
        self.replies = replies
        self.timeout = timeout
        self.greeting = greeting
    }

    /// Connect and read the greeting (no EHLO yet: call `hello(_:)`).
    public static func open(host: String, port: Int, timeout: Duration = .seconds(300),
                            eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> SMTPCommandConnection {
        let (stream, continuation) = AsyncThrowingStream<SMTPReply, any Error>.makeStream()
        let handler = ReplyHandler(continuation: continuation)
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: eventLoopGroup)
                .connectTimeout(.seconds(30))
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(StartTLSGate())
                        try channel.pipeline.syncOperations.addHandler(handler)
                    }
                }
                .connect(host: host, port: port).get()
        } catch {
            throw SMTPClientError(.connectionFailed, "cannot connect to \(host):\(port): \(SMTPClientConnection<ContinuousClock>.describe(error))")
        }
        var iterator = stream.makeAsyncIterator()
        guard let greeting = try await iterator.next() else { throw SMTPClientError(.connectionClosed, "closed before the greeting") }
        return SMTPCommandConnection(channel: channel, replies: iterator, timeout: timeout, greeting: greeting)
    }

    /// EHLO (falling back to HELO); remembers the extensions.
    public func hello(_ name: String) async throws -> SMTPReply {
        let reply = try await send(.extendedHello(name))
        if reply.isPositiveCompletion {
            extensions = SMTPExtensions(ehloReply: reply)
            return reply
        }
        return try await send(.hello(name))
    }

    /// Send one command and return its reply.
    public func send(_ command: SMTPCommand) async throws -> SMTPReply {
        try await channel.writeAndFlush(ByteBuffer(string: command.wireString))
        return try await nextReply()
    }

    /// Send message content (already encoded: dot-stuffed, CRLF) without waiting.
    public func write(_ encoded: ByteBuffer) async throws {
        try await channel.writeAndFlush(encoded)
    }

    /// The next reply (after the end-of-data line).
    public func nextReply() async throws -> SMTPReply {
        guard let reply = try await replies.next() else { throw SMTPClientError(.connectionClosed, "connection closed by the server") }
        return reply
    }

    /// QUIT (best effort) and close.
    public func close() async {
        if channel.isActive {
            try? await channel.writeAndFlush(ByteBuffer(string: SMTPCommand.quit.wireString))
        }
        try? await channel.close()
    }
}
