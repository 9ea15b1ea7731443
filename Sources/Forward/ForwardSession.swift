import Logging
import NIOCore
import NIOPosix
import ProxyProtocol

/// What every connection of one listener needs to know: where to go, its limits, the shared
/// registry and the logger.
struct ForwardListenerEnvironment: Sendable {
    var listener: ForwardConfiguration.Listener
    var connectTimeout: Duration
    var idleTimeout: Duration
    var bufferSize: Int
    var registry: ForwardRegistry
    var logger: Logger
}

/// One client connection and its upstream connection, on the client channel's event loop:
/// admission, the upstream connect, the PROXY v2 header, the end, the log lines. The log
/// names addresses, ports and byte counts, never content: the bytes relayed may hold
/// passwords (a client that logs in without TLS) and always hold mail.
final class ForwardSession {
    private let environment: ForwardListenerEnvironment
    private var logger: Logger
    private var id: Int?
    private let started = NIODeadline.now()
    private var clientHandler: ForwardRelayHandler?
    private var upstreamHandler: ForwardRelayHandler?
    private var clientOpen = true
    private var upstreamOpen = false
    private var connecting = false
    private var reason: String?
    private var finished = false
    private var idleClosed = false
    private var bytesFromClient = 0
    private var bytesFromUpstream = 0
    /// When either side last sent a byte: the idle timer's reference.
    private var lastActivity = NIODeadline.now()
    private var idleTimer: Scheduled<Void>?

    init(environment: ForwardListenerEnvironment) {
        self.environment = environment
        logger = environment.logger
        logger[metadataKey: "listener"] = "\(environment.listener.name)"
    }

    /// Builds the client channel's pipeline; the session starts when the channel is active.
    static func install(on channel: any Channel, environment: ForwardListenerEnvironment) throws {
        let session = ForwardSession(environment: environment)
        let handler = ForwardRelayHandler(side: .client, session: session)
        session.clientHandler = handler
        try configure(channel, bufferSize: environment.bufferSize)
        try channel.pipeline.syncOperations.addHandler(handler)
    }

    /// The options of both channels of a connection, set before the channel is registered:
    /// reads only on demand (backpressure), half-closes passed on, keepalive for idling
    /// clients, and reads large enough that a big FETCH takes few system calls per MiB.
    static func configure(_ channel: any Channel, bufferSize: Int) throws {
        guard let options = channel.syncOptions else { throw ChannelError.operationUnsupported }
        try options.setOption(.autoRead, value: false)
        try options.setOption(.allowRemoteHalfClosure, value: true)
        try options.setOption(.socketOption(.so_keepalive), value: 1)
        try options.setOption(.writeBufferWaterMark, value: waterMark(bufferSize))
        let read = readSize(bufferSize)
        try options.setOption(.recvAllocator, value: AdaptiveRecvByteBufferAllocator(minimum: 64, initial: min(2048, read), maximum: read))
        try options.setOption(.maxMessagesPerRead, value: UInt(readsPerCycle))
    }

    func clientActive(context: ChannelHandlerContext) {
        guard let remote = context.channel.remoteAddress, let local = context.channel.localAddress else {
            context.close(promise: nil)
            return
        }
        let source = remote.ipAddress ?? "\(remote)"
        logger[metadataKey: "client"] = "\(source):\(remote.port ?? 0)"
        let loop = context.eventLoop
        let bound = NIOLoopBound(self, eventLoop: loop)
        let admission = environment.registry.admit(source: source) { loop.execute { bound.value.closeNow() } }
        guard case .accepted(let id) = admission else {
            logger.warning("connection refused", metadata: ["reason": "\(Self.describe(admission))"])
            clientOpen = false
            context.close(promise: nil)
            return
        }
        self.id = id
        logger[metadataKey: "connection"] = "\(id)"
        armIdleTimer(on: loop, deadline: lastActivity + TimeAmount(environment.idleTimeout))
        connect(loop: loop, client: remote, server: local)
    }

    private func connect(loop: any EventLoop, client: SocketAddress, server: SocketAddress) {
        let upstream = environment.listener.upstream
        guard let header = try? ProxyHeader.relayed(client: client, server: server).map({ try $0.encoded() }) else {
            finishEarly(reason: "no PROXY v2 header for \(client) -> \(server)")
            return
        }
        connecting = true
        let bound = NIOLoopBound(self, eventLoop: loop)
        let environment = environment
        ClientBootstrap(group: loop)
            .connectTimeout(TimeAmount(environment.connectTimeout))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = ForwardRelayHandler(side: .upstream, session: bound.value)
                    bound.value.upstreamHandler = handler
                    try ForwardSession.configure(channel, bufferSize: environment.bufferSize)
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
            .connect(host: upstream.host, port: upstream.port)
            .assumeIsolated()
            .whenComplete { result in
                let session = bound.value
                session.connecting = false
                switch result {
                case .success(let channel):
                    session.upstreamConnected(channel, header: header)
                case .failure(let error):
                    session.environment.registry.countUpstreamFailure()
                    session.logger.warning("upstream \(upstream) failed", metadata: ["error": "\(error)"])
                    session.finishEarly(reason: "upstream failed")
                }
            }
    }

    private func upstreamConnected(_ channel: any Channel, header: [UInt8]) {
        upstreamOpen = true
        guard clientOpen, let clientHandler, let upstreamHandler, let upstreamContext = upstreamHandler.context else {
            reason = reason ?? "client left before the upstream answered"
            channel.close(promise: nil)
            return
        }
        upstreamContext.writeAndFlush(upstreamHandler.wrapOutboundOut(ByteBuffer(bytes: header)), promise: nil)
        clientHandler.link(to: upstreamHandler)
        upstreamHandler.link(to: clientHandler)
        logger.info("connection forwarded", metadata: ["upstream": "\(environment.listener.upstream)"])
        clientHandler.readIfPossible()
        upstreamHandler.readIfPossible()
    }

    /// Counts what one side sent in a read cycle; traffic either way keeps the connection
    /// from the idle timeout.
    func count(from side: ForwardRelayHandler.Side, bytes: Int) {
        lastActivity = .now()
        switch side {
        case .client:
            bytesFromClient += bytes
            environment.registry.count(fromClient: bytes)
        case .upstream:
            bytesFromUpstream += bytes
            environment.registry.count(fromUpstream: bytes)
        }
    }

    func halfClosed(_ side: ForwardRelayHandler.Side) {
        logger.debug("\(side.rawValue) closed its side")
    }

    /// One timer per connection, moved on lazily: it fires at the earliest moment the
    /// connection could be idle and, when traffic came since, sleeps again until then.
    private func armIdleTimer(on loop: any EventLoop, deadline: NIODeadline) {
        idleTimer = loop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            let due = lastActivity + TimeAmount(environment.idleTimeout)
            if NIODeadline.now() >= due {
                idleTimer = nil
                idle()
            } else {
                armIdleTimer(on: loop, deadline: due)
            }
        }
    }

    private func idle() {
        guard !idleClosed else { return }
        idleClosed = true
        environment.registry.countIdleClose()
        reason = "idle for \(environment.idleTimeout)"
        closeNow()
    }

    func failed(_ side: ForwardRelayHandler.Side, _ error: any Error) {
        if reason == nil { reason = "\(side.rawValue) error: \(error)" }
    }

    /// Closes both sides at once (idle timeout, a stop's grace over).
    func closeNow() {
        if reason == nil { reason = "stopped" }
        clientHandler?.closeNow()
        upstreamHandler?.closeNow()
    }

    func inactive(_ side: ForwardRelayHandler.Side) {
        switch side {
        case .client: clientOpen = false
        case .upstream: upstreamOpen = false
        }
        if reason == nil { reason = "\(side.rawValue) closed" }
        if !clientOpen && !upstreamOpen && !connecting { finish() }
    }

    private func finishEarly(reason: String) {
        self.reason = self.reason ?? reason
        if clientOpen {
            // The client channel's inactive event finishes the session.
            clientHandler?.closeNow()
        } else {
            finish()
        }
    }

    private func finish() {
        guard !finished else { return }
        finished = true
        idleTimer?.cancel()
        idleTimer = nil
        defer { breakCycles() }
        guard let id else { return }
        environment.registry.release(id)
        let seconds = Double((NIODeadline.now() - started).nanoseconds / 1_000_000) / 1000
        logger.info(
            "connection closed",
            metadata: [
                "reason": "\(reason ?? "closed")", "seconds": "\(seconds)",
                "bytes_from_client": "\(bytesFromClient)", "bytes_from_upstream": "\(bytesFromUpstream)",
            ])
    }

    private func breakCycles() {
        clientHandler?.session = nil
        upstreamHandler?.session = nil
        clientHandler?.partner = nil
        upstreamHandler?.partner = nil
        clientHandler = nil
        upstreamHandler = nil
    }

    static func waterMark(_ bufferSize: Int) -> ChannelOptions.Types.WriteBufferWaterMark {
        .init(low: bufferSize / 2, high: bufferSize)
    }

    /// Reads per read cycle: the partner's queue is flushed and its writability checked once
    /// per cycle, so a cycle's reads are the only bytes queued above the high-water mark.
    static let readsPerCycle = 2

    /// The largest single read: the largest power of two that lets a read cycle stay within
    /// the buffer size, and at most 256 KiB: beyond that a read's cost is the copy, not the
    /// system call, and a bigger buffer would sit in an idle connection's pooled receive buffer.
    static func readSize(_ bufferSize: Int) -> Int {
        let budget = max(1, min(bufferSize / readsPerCycle, 256 * 1024))
        return 1 << (Int.bitWidth - 1 - budget.leadingZeroBitCount)
    }

    private static func describe(_ admission: ForwardRegistry.Admission) -> String {
        switch admission {
        case .accepted: "accepted"
        case .rejectedTotalCap: "max_connections reached"
        case .rejectedSourceCap: "max_connections_per_source reached for this address"
        case .stopping: "the forwarder is stopping"
        }
    }
}
