import NIOCore
import NIOPosix
import NIOSSL
import SMTPTransport
import Synchronization

/// A raw TCP client for tests: writes exactly the bytes given (pipelined or split as the
/// test wants), collects everything the server sends, and can switch to TLS through the
/// same `StartTLSGate` the product uses.
final class LoopbackClient: Sendable {
    /// What the server sent and whether it closed, with waiters woken on every change: the
    /// client's waits are on these events (and a deadline), never on polling with sleeps.
    final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = SMTPInboundPart

        struct State {
            var received = ""
            var closed = false
            /// Bumped on every change (bytes, close, a deadline passing).
            var version = 0
            var waiters: [CheckedContinuation<Void, Never>] = []
        }

        let state = Mutex(State())

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            if case .bytes(let bytes) = unwrapInboundIn(data) {
                changed { $0.received += String(buffer: bytes) }
            }
        }

        func channelInactive(context: ChannelHandlerContext) {
            changed { $0.closed = true }
            context.fireChannelInactive()
        }

        /// Applies `change` and wakes every waiter.
        func changed(_ change: (inout State) -> Void = { _ in }) {
            let waiters = state.withLock { state in
                change(&state)
                state.version += 1
                defer { state.waiters = [] }
                return state.waiters
            }
            for waiter in waiters { waiter.resume() }
        }

        /// Returns once the state has changed since `version`.
        func wait(after version: Int) async {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLock { state in
                    guard state.version == version else { return true }
                    state.waiters.append(continuation)
                    return false
                }
                if now { continuation.resume() }
            }
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

    var isClosed: Bool { collector.state.withLock { $0.closed } }

    /// Everything received so far, cleared.
    func take() -> String {
        collector.state.withLock { state in
            defer { state.received = "" }
            return state.received
        }
    }

    /// Waits until `condition` holds on the received text and the closed flag, the
    /// connection closes, or `timeout` passes (a timer on the event loop wakes the wait).
    private func wait(timeout: Duration, until condition: @escaping (String, Bool) -> Bool) async {
        let collector = self.collector
        let timer = channel.eventLoop.scheduleTask(in: .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000
            + Int64(timeout.components.attoseconds / 1_000_000_000))) { collector.changed() }
        defer { timer.cancel() }
        let deadline = ContinuousClock.now + timeout
        while true {
            let (done, version) = collector.state.withLock { (condition($0.received, $0.closed) || $0.closed, $0.version) }
            if done || ContinuousClock.now >= deadline { return }
            await collector.wait(after: version)
        }
    }

    /// Waits (bounded) until the received text contains `needle`; returns all of it, cleared.
    func read(until needle: String, timeout: Duration = .seconds(5)) async throws -> String {
        await wait(timeout: timeout) { text, _ in text.contains(needle) }
        return take()
    }

    /// Waits (bounded) until the server closes the connection.
    func waitForClose(timeout: Duration = .seconds(5)) async throws -> Bool {
        await wait(timeout: timeout) { _, closed in closed }
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
