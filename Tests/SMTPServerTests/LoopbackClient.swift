import NIOCore
import NIOPosix
import NIOSSL
import SMTPTransport
import Synchronization

/// A raw TCP client for tests: writes exactly the bytes given (pipelined or split as the
/// test wants), collects everything the server sends, and can switch to TLS through the
/// same `StartTLSGate` the product uses.
final class LoopbackClient: Sendable {
    final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = SMTPInboundPart
        let received = Mutex("")
        let closed = Mutex(false)

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            if case .bytes(let bytes) = unwrapInboundIn(data) {
                received.withLock { $0 += String(buffer: bytes) }
            }
        }

        func channelInactive(context: ChannelHandlerContext) {
            closed.withLock { $0 = true }
            context.fireChannelInactive()
        }
    }

    let channel: any Channel
    let collector: Collector

    /// `reading: false` makes a client that never reads what the server sends: its small
    /// receive buffer fills, then the server's send buffer.
    init(port: Int, reading: Bool = true) async throws {
        let collector = Collector()
        channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.autoRead, value: reading)
            .channelOption(.socketOption(.so_rcvbuf), value: reading ? 131_072 : 4096)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(StartTLSGate())
                    try channel.pipeline.syncOperations.addHandler(collector)
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        self.collector = collector
    }

    func send(_ text: String) async throws {
        try await channel.writeAndFlush(ByteBuffer(string: text))
    }

    var isClosed: Bool { collector.closed.withLock { $0 } }

    /// Everything received so far, cleared.
    func take() -> String {
        collector.received.withLock { text in
            defer { text = "" }
            return text
        }
    }

    /// Wait (bounded) until the received text contains `needle`; returns all of it, cleared.
    func read(until needle: String, timeout: Duration = .seconds(5)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if collector.received.withLock({ $0.contains(needle) }) { return take() }
            if isClosed { break }
            try await Task.sleep(for: .milliseconds(5))
        }
        return take()
    }

    /// Wait (bounded) until the server closes the connection.
    func waitForClose(timeout: Duration = .seconds(5)) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if isClosed { return true }
            try await Task.sleep(for: .milliseconds(5))
        }
        return isClosed
    }

    func startTLS(trusting caPath: String) async throws {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .file(caPath)
        let context = try NIOSSLContext(configuration: configuration)
        let request = StartTLSGate.Request(finalPlaintext: nil) {
            try NIOSSLClientHandler(context: context, serverHostname: "localhost")
        }
        try await channel.triggerUserOutboundEvent(request)
    }

    func close() async {
        try? await channel.close()
    }
}
