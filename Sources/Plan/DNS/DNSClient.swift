import DNSCodec
import NIOCore
import NIOPosix

/// Asks one server one question over UDP, and again over TCP when the answer comes back
/// truncated (TC). Every wait is bounded: `timeout` per attempt, `attempts` UDP tries.
/// Only a datagram from the server's own address and port with the query's id and
/// question is taken as the answer; anything else on the socket is ignored.
public struct DNSClient: DNSTransport {
    public var timeout: Duration
    public var attempts: Int
    let group: any EventLoopGroup

    public init(timeout: Duration = .seconds(3), attempts: Int = 2, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.timeout = timeout
        self.attempts = max(1, attempts)
        self.group = group
    }

    public func exchange(_ query: DNSMessage, with server: DNSServer) async throws(DNSClientError) -> DNSMessage {
        var lastError = DNSClientError.timeout(server)
        for _ in 0..<attempts {
            var attempt = query
            attempt.id = UInt16.random(in: 0...UInt16.max)
            let encoded: [UInt8]
            do {
                encoded = try attempt.encoded()
            } catch {
                throw .malformed(server, error)
            }
            do {
                let answer = try await udp(encoded, query: attempt, server: server)
                guard answer.isTruncated else { return answer }
                return try await tcp(encoded, query: attempt, server: server)
            } catch let error as DNSClientError {
                lastError = error
                if case .timeout = error { continue }
                throw error
            } catch {
                lastError = .connection(server, "\(error)")
            }
        }
        throw lastError
    }

    private var timeAmount: TimeAmount { .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000) }

    private func socketAddress(_ server: DNSServer) throws -> SocketAddress {
        try SocketAddress(ipAddress: server.address.description, port: server.port)
    }

    private func udp(_ bytes: [UInt8], query: DNSMessage, server: DNSServer) async throws -> DNSMessage {
        let loop = group.next()
        let promise = loop.makePromise(of: DNSMessage.self)
        let remote = try socketAddress(server)
        let channel = try await DatagramBootstrap(group: loop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(DNSDatagramHandler(server: server, remote: remote, query: query, promise: promise))
                }
            }
            .bind(host: server.address.isIPv4 ? "0.0.0.0" : "::", port: 0).get()
        let timer = loop.scheduleTask(in: timeAmount) { promise.fail(DNSClientError.timeout(server)) }
        defer {
            timer.cancel()
            channel.close(promise: nil)
        }
        channel.writeAndFlush(AddressedEnvelope(remoteAddress: remote, data: ByteBuffer(bytes: bytes)), promise: nil)
        return try await promise.futureResult.get()
    }

    private func tcp(_ bytes: [UInt8], query: DNSMessage, server: DNSServer) async throws -> DNSMessage {
        let loop = group.next()
        let promise = loop.makePromise(of: DNSMessage.self)
        let timer = loop.scheduleTask(in: timeAmount) { promise.fail(DNSClientError.timeout(server)) }
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: loop)
                .connectTimeout(timeAmount)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(DNSStreamHandler(server: server, query: query, promise: promise))
                    }
                }
                .connect(to: try socketAddress(server)).get()
        } catch {
            timer.cancel()
            throw DNSClientError.connection(server, "\(error)")
        }
        defer {
            timer.cancel()
            channel.close(promise: nil)
        }
        var buffer = ByteBuffer()
        buffer.writeInteger(UInt16(bytes.count))
        buffer.writeBytes(bytes)
        channel.writeAndFlush(buffer, promise: nil)
        return try await promise.futureResult.get()
    }
}

extension DNSMessage {
    /// Whether `self` answers `query`: same id, a response, the same question.
    func isAnswer(to query: DNSMessage) -> Bool {
        isResponse && id == query.id && questions == query.questions
    }
}

/// Takes the first datagram from the server that answers the query; ignores the rest.
final class DNSDatagramHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    let server: DNSServer
    let remote: SocketAddress
    let query: DNSMessage
    let promise: EventLoopPromise<DNSMessage>

    init(server: DNSServer, remote: SocketAddress, query: DNSMessage, promise: EventLoopPromise<DNSMessage>) {
        self.server = server
        self.remote = remote
        self.query = query
        self.promise = promise
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard envelope.remoteAddress == remote else { return }
        let bytes = Array(envelope.data.readableBytesView)
        do {
            let message = try DNSMessage(decoding: bytes)
            guard message.isAnswer(to: query) else { return }
            promise.succeed(message)
        } catch {
            // A datagram that does not even decode cannot be matched to the query; an
            // attacker's garbage must not end the wait for the real answer, so it is
            // reported only when no real answer follows.
            if bytes.count >= 2, UInt16(bytes[0]) << 8 | UInt16(bytes[1]) == query.id {
                promise.fail(DNSClientError.malformed(server, error))
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(DNSClientError.connection(server, "\(error)"))
    }
}

/// Collects one length-prefixed answer from a TCP stream (RFC 1035 4.2.2), at most 65535 octets.
final class DNSStreamHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    let server: DNSServer
    let query: DNSMessage
    let promise: EventLoopPromise<DNSMessage>
    private var buffer = ByteBuffer()

    init(server: DNSServer, query: DNSMessage, promise: EventLoopPromise<DNSMessage>) {
        self.server = server
        self.query = query
        self.promise = promise
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        buffer.writeBuffer(&incoming)
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt16.self),
              buffer.readableBytes >= 2 + Int(length) else { return }
        let bytes = buffer.getBytes(at: buffer.readerIndex + 2, length: Int(length)) ?? []
        do {
            let message = try DNSMessage(decoding: bytes)
            guard message.isAnswer(to: query) else {
                promise.fail(DNSClientError.mismatch(server))
                return
            }
            promise.succeed(message)
        } catch {
            promise.fail(DNSClientError.malformed(server, error))
        }
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(DNSClientError.connection(server, "closed before the whole answer arrived"))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(DNSClientError.connection(server, "\(error)"))
        context.close(promise: nil)
    }
}
