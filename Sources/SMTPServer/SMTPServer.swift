import BlockingIO
public import Logging
public import NIOCore
import NIOPosix
public import ServiceLifecycle
import SMTPCodec
import SMTPTransport

/// An SMTP listener as a `Service`.
///
/// Each connection runs in a discarding task group; its errors are logged and never reach
/// the listener. Graceful shutdown stops accepting, closes idle connections with 421, and
/// lets every transaction in flight finish (the message is committed and answered) for up
/// to `shutdownGracePeriod`; a client still sending after that gets 421 too, its
/// transaction is dropped (never acknowledged, so the client keeps the message), and
/// `run()` returns. A commit in progress is never cut short. Cancellation closes
/// everything at once.
public actor SMTPServer<C: Clock>: Service where C.Duration == Duration {
    enum State {
        case initial
        case listening(port: Int)
        case finished
    }

    public let configuration: SMTPServerConfiguration
    let sink: any MessageSink
    let eventLoopGroup: any EventLoopGroup
    let logger: Logger
    let clock: C
    let registry: ConnectionRegistry<C>
    var state: State = .initial
    var portWaiters: [CheckedContinuation<Int, any Error>] = []
    var connectionCounter = 0
    let probe: ConnectionProbe?

    /// Initialize a server.
    /// - Parameters:
    ///   - configuration: address, limits, TLS.
    ///   - sink: receives what clients send.
    ///   - clock: measures timeouts (inject a test clock to control time).
    ///   - eventLoopGroup: defaults to NIO's shared group.
    ///   - logger: the server's logger; each session adds `smtp.session.id`.
    public init(configuration: SMTPServerConfiguration, sink: any MessageSink, clock: C,
                eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, logger: Logger) {
        self.init(configuration: configuration, sink: sink, clock: clock, eventLoopGroup: eventLoopGroup, logger: logger, probe: nil)
    }

    /// Initialize a server whose connections report their waits and deadlines to `probe`.
    init(configuration: SMTPServerConfiguration, sink: any MessageSink, clock: C,
         eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, logger: Logger, probe: ConnectionProbe?) {
        self.probe = probe
        self.configuration = configuration
        self.sink = sink
        self.clock = clock
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        self.registry = ConnectionRegistry(
            maximumConnections: configuration.maximumConnections, maximumPerAddress: configuration.maximumConnectionsPerAddress)
    }

    /// The bound port, once listening (useful with port 0).
    public func listeningPort() async throws -> Int {
        switch state {
        case .listening(let port): return port
        case .finished: throw ChannelError.ioOnClosedChannel
        case .initial: return try await withCheckedThrowingContinuation { portWaiters.append($0) }
        }
    }

    /// Connections currently open.
    public nonisolated var connectionCount: Int { registry.count }

    public func run() async throws {
        let greetingDelay = configuration.greetingDelay
        let serverChannel = try await ServerBootstrap(group: eventLoopGroup)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .bind(host: configuration.host, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let flag: EarlyTalkerDetector.Flag? = greetingDelay > .zero ? EarlyTalkerDetector.Flag() : nil
                    if let flag { try channel.pipeline.syncOperations.addHandler(EarlyTalkerDetector(flag: flag)) }
                    try channel.pipeline.syncOperations.addHandler(StartTLSGate())
                    let wrapped = try NIOAsyncChannel<SMTPInboundPart, ByteBuffer>(wrappingChannelSynchronously: channel)
                    return (wrapped, flag)
                }
            }
        let port = serverChannel.channel.localAddress?.port ?? configuration.port
        state = .listening(port: port)
        for waiter in portWaiters { waiter.resume(returning: port) }
        portWaiters = []
        logger.info("SMTP server listening", metadata: ["smtp.listen": "\(configuration.host):\(port)"])
        let registry = self.registry
        let clock = self.clock
        let grace = configuration.shutdownGracePeriod
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                try await serverChannel.executeThenClose { inbound in
                    for try await (connection, flag) in inbound {
                        let handler = makeHandler(connection, flag)
                        // The session runs on its channel's event loop: each read resumes it
                        // and each reply is written on the thread the socket's events arrive
                        // on, with no hand-over to the concurrency pool and back per command.
                        let executor = EventLoopTaskExecutor(connection.channel.eventLoop)
                        group.addTask(executorPreference: executor) { await handler() }
                    }
                }
            }
        } onGracefulShutdown: {
            serverChannel.channel.close(promise: nil)
            registry.shutdownAll(graceUntil: clock.now.advanced(by: grace))
        }
        state = .finished
        logger.info("SMTP server stopped")
    }

    /// Build the task body for one accepted connection (called on the actor, so it can hand
    /// out ids; the body itself runs outside the actor).
    func makeHandler(_ connection: NIOAsyncChannel<SMTPInboundPart, ByteBuffer>, _ flag: EarlyTalkerDetector.Flag?) -> @Sendable () async -> Void {
        connectionCounter += 1
        let id = String(connectionCounter, radix: 36)
        var sessionLogger = logger
        sessionLogger[metadataKey: "smtp.session.id"] = "\(id)"
        let address = connection.channel.remoteAddress?.ipAddress ?? "unknown"
        let control = ConnectionControl<C>(channel: connection.channel, probe: probe)
        let info = SMTPConnectionInfo(id: id, remoteAddress: address, logger: sessionLogger)
        let runner = SMTPServerConnection(channel: connection, configuration: configuration, sink: sink, control: control,
                                          clock: clock, info: info, earlyTalker: flag)
        let registry = self.registry
        let logger = sessionLogger
        return {
            guard let slot = registry.admit(control, address: address) else {
                logger.info("SMTP connection refused: too many connections")
                try? await connection.executeThenClose { _, _ in
                    try await connection.channel.writeAndFlush(
                        ByteBuffer(string: SMTPReply(code: 421, EnhancedStatusCode(4, 7, 0), "Error: too many connections").wireString))
                }
                return
            }
            defer {
                registry.remove(slot, address: address)
                control.probe?.report(.released)
            }
            logger.trace("SMTP connection accepted")
            await runner.run()
        }
    }
}
