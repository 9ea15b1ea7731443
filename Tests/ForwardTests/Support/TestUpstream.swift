import Dispatch
#if canImport(Glibc)
import Glibc
#endif
import MailTestSupport
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ProxyProtocol

/// A server on 127.0.0.1 standing in for Dovecot's PROXY listener: it reads the PROXY v2
/// header first (refusing a connection without one, as Dovecot does) and records it.
final class TestUpstream: Sendable {
    enum Mode: Sendable {
        /// Echoes what follows the header; on the forwarder's EOF answers "bye\r\n" and closes.
        case echo
        /// Reads the header, then never writes and never closes.
        case silent
        /// Writes `total` bytes after the header, as fast as the forwarder takes them.
        case flood(total: Int)
        /// Reads the header and the first bytes after it, then resets the connection (a
        /// server that disappears in the middle of a command).
        case resetAfterFirstBytes
    }

    struct Record: Sendable {
        var headers: [ProxyHeader] = []
        var refused: [ProxyHeaderError] = []
        var floodWritten = 0
    }

    let port: Int
    private let channel: any Channel
    let record: NIOLockedValueBox<Record>
    /// Signalled once when a flood's last byte was handed to the kernel.
    let floodDone: DispatchSemaphore

    private init(port: Int, channel: any Channel, record: NIOLockedValueBox<Record>, floodDone: DispatchSemaphore) {
        self.port = port
        self.channel = channel
        self.record = record
        self.floodDone = floodDone
    }

    static func start(_ mode: Mode) async throws -> TestUpstream {
        let record = NIOLockedValueBox(Record())
        let done = DispatchSemaphore(value: 0)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            // A small send buffer, so a flood the forwarder stops reading stalls here soon.
            .childChannelOption(.socketOption(.so_sndbuf), value: 64 * 1024)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(UpstreamHandler(mode: mode, record: record, done: done))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return TestUpstream(port: channel.localAddress!.port!, channel: channel, record: record, floodDone: done)
    }

    /// Whether the flood completed within `seconds`; the semaphore is waited for on a
    /// test-client thread, never on the caller's.
    func waitForFlood(seconds: Int) async -> Bool {
        let done = floodDone
        return (try? await LineSocket.blocking { done.wait(timeout: .now() + .seconds(seconds)) == .success }) ?? false
    }

    func stop() async {
        try? await channel.close()
    }
}

private final class UpstreamHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let mode: TestUpstream.Mode
    let record: NIOLockedValueBox<TestUpstream.Record>
    let done: DispatchSemaphore
    var buffer = ByteBuffer()
    var headerRead = false
    var floodLeft = 0

    init(mode: TestUpstream.Mode, record: NIOLockedValueBox<TestUpstream.Record>, done: DispatchSemaphore) {
        self.mode = mode
        self.record = record
        self.done = done
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        if headerRead {
            switch mode {
            case .echo: context.writeAndFlush(wrapOutboundOut(bytes), promise: nil)
            case .resetAfterFirstBytes: reset(context)
            default: break
            }
            return
        }
        buffer.writeBuffer(&bytes)
        do {
            guard let header = try ProxyHeaderDecoder().decode(&buffer) else { return }
            headerRead = true
            record.withLockedValue { $0.headers.append(header) }
            switch mode {
            case .echo:
                if buffer.readableBytes > 0 { context.writeAndFlush(wrapOutboundOut(buffer), promise: nil) }
            case .silent:
                break
            case .resetAfterFirstBytes:
                if buffer.readableBytes > 0 { reset(context) }
            case .flood(let total):
                floodLeft = total
                flood(context)
            }
        } catch {
            record.withLockedValue { $0.refused.append(error) }
            context.close(promise: nil)
        }
    }

    /// RST instead of FIN: SO_LINGER 0, then close.
    private func reset(_ context: ChannelHandlerContext) {
        guard let provider = context.channel as? any SocketOptionProvider else {
            context.close(promise: nil)
            return
        }
        let channel = context.channel
        provider.setSoLinger(linger(l_onoff: 1, l_linger: 0)).whenComplete { _ in channel.close(promise: nil) }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { flood(context) }
    }

    private func flood(_ context: ChannelHandlerContext) {
        guard case .flood = mode else { return }
        while floodLeft > 0 && context.channel.isWritable {
            let size = min(floodLeft, 64 * 1024)
            floodLeft -= size
            let last = floodLeft == 0
            let record = record
            let done = done
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(repeating: UInt8(ascii: "x"), count: size))).whenSuccess {
                record.withLockedValue { $0.floodWritten += size }
                if last { done.signal() }
            }
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case ChannelEvent.inputClosed = event, case .echo = mode {
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: "bye\r\n"))).whenComplete { _ in channel.close(promise: nil) }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
