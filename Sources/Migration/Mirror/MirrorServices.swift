import BlockingIO
import Logging
import MailSpool
import Relay
import SMTPClient
import SMTPCodec
import SMTPServer
import ServiceLifecycle

/// The one wiring of a mirror configuration into services: the spool (claimed, so a second
/// mirror on it takes no mail), the queue manager, the sink (bcc copies or in-path) and the
/// SMTP server. `mailferry mirror`, the benchmark and the relay tests all build it here, so
/// what they measure and test is what runs in production.
///
/// `C` is the queue's clock (``Options/clock``): the machine's in production, a test clock in
/// tests of retries and backoff.
public struct MirrorServices<C: Clock>: Sendable where C.Duration == Duration {
    public let spool: MailSpool
    public let queue: QueueManager<C>
    public let server: SMTPServer<ContinuousClock>

    /// What a `ServiceGroup` runs: the queue manager first, then the listener.
    public var services: [any Service] { [queue, server] }

    /// What the configuration file does not set: the command uses the defaults; the relay
    /// tests shrink them to provoke a full disk or a dead next hop quickly, and give the queue
    /// a test clock to move past its backoff when they choose.
    public struct Options: Sendable {
        /// Bytes the spool keeps in reserve to record outcomes on a full disk.
        public var spoolReserveSize = 1 << 20
        /// How long a connection to the destination may take; nil: the client's default.
        public var connectTimeout: Duration?
        /// Told each entry whose attempt the queue manager recorded (`QueueManager.Configuration.recorded`).
        public var recorded: (@Sendable (QueueID) -> Void)?
        /// The queue's clock: its retries, backoff and delivery deadlines, and the times the
        /// spool records. The listener's deadlines stay on the machine's clock: they guard
        /// against real clients, and a test clock would hold its shutdown grace forever.
        public var clock: C

        public init(clock: C) {
            self.clock = clock
        }
    }

    public init(_ configuration: MirrorConfiguration, options: Options, logger: Logger) throws {
        let spool = try MailSpool(directory: configuration.spoolDirectory, reserveSize: options.spoolReserveSize)
        // Before the listener exists: a second mirror on this spool must not take any mail.
        try spool.claimOwnership()
        let wallClock = WallClock(clock: options.clock)
        let io = BlockingIO()
        var destination = configuration.destination.clientConfiguration
        if let connectTimeout = options.connectTimeout { destination.timeouts.connect = connectTimeout }
        var queueConfiguration = QueueManager<C>.Configuration(destination: destination)
        queueConfiguration.concurrency = configuration.destination.concurrency
        queueConfiguration.retry = configuration.retry
        queueConfiguration.recorded = options.recorded
        let queue = QueueManager(configuration: queueConfiguration, spool: spool, io: io, wallClock: wallClock, logger: logger)
        let trace = MirrorTrace(tag: try MirrorTag.loadOrCreate(spoolDirectory: spool.root), hostname: configuration.listen.hostname)
        let bounceAddress = configuration.destination.bounceAddress
        let sink: any MessageSink
        if let primary = configuration.primary {
            sink = InPathSink(primaryHost: primary.host, primaryPort: primary.port, heloName: configuration.listen.hostname,
                              spool: spool, trace: trace, bounceAddress: bounceAddress, io: io, wallClock: wallClock) { queue.submit($0) }
        } else {
            let rules = MirrorRules(domainMap: configuration.shadowDomains, bounceAddress: bounceAddress)
            sink = MirrorSink(spool: spool, rules: rules, trace: trace, io: io, wallClock: wallClock) { queue.submit($0) }
        }
        self.spool = spool
        self.queue = queue
        self.server = SMTPServer(
            configuration: try MirrorServices<ContinuousClock>.serverConfiguration(configuration.listen, inPath: configuration.primary != nil),
            sink: sink, clock: ContinuousClock(), logger: logger)
    }
}

extension MirrorServices where C == ContinuousClock {
    /// The mirror as it runs in production: every clock is the machine's.
    public init(_ configuration: MirrorConfiguration, logger: Logger) throws {
        try self.init(configuration, options: Options(), logger: logger)
    }

    /// The listener's configuration; in-path mode (`inPath`) accepts in DATA what the primary
    /// accepts (`InPathDataPolicy`). It does not depend on the queue's clock: declared here,
    /// `MirrorServices.serverConfiguration` needs no clock named.
    public static func serverConfiguration(_ listen: MirrorConfiguration.Listen, inPath: Bool = false) throws -> SMTPServerConfiguration {
        var server = SMTPServerConfiguration(host: listen.address, port: listen.port, hostname: listen.hostname)
        if let certificate = listen.tlsCertificate, let key = listen.tlsKey {
            try server.useTLS(certificateChainFile: certificate, privateKeyFile: key)
        }
        server.session.requireTLS = listen.requireTLS
        if inPath {
            InPathDataPolicy.apply(to: &server.session, lineEndings: listen.lineEndings)
        } else {
            server.session.lineEndingPolicy = listen.lineEndings ?? .reject
        }
        server.session.messageSizeLimit = listen.messageSizeLimit
        server.session.recipientLimit = listen.recipientLimit
        server.maximumConnections = listen.maximumConnections
        server.maximumConnectionsPerAddress = listen.maximumConnectionsPerAddress
        server.commandTimeout = listen.commandTimeout
        server.dataTimeout = listen.dataTimeout
        server.greetingDelay = listen.effectiveGreetingDelay
        return server
    }
}

extension MirrorServices.Options where C == ContinuousClock {
    /// The defaults, on the machine's clock.
    public init() {
        self.init(clock: ContinuousClock())
    }
}
