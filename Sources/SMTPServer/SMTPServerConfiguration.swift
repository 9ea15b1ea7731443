public import NIOSSL
public import SMTPCodec

/// Where the server listens and how hard it defends itself.
public struct SMTPServerConfiguration: Sendable {
    public var host: String
    /// 0 picks a free port (see `SMTPServer.listeningPort()`).
    public var port: Int
    /// Protocol limits and advertised extensions.
    public var session: SMTPServerSessionConfiguration
    /// Offer STARTTLS with this context. Setting it also sets `session.startTLSAvailable`.
    public var tls: NIOSSLContext? {
        didSet { session.startTLSAvailable = tls != nil }
    }
    /// Connections at once, and per client IP (§4 S-X3); the next one gets 421.
    public var maximumConnections = 200
    public var maximumConnectionsPerAddress = 50
    /// Each command must arrive complete within this time of our previous reply, however
    /// its bytes trickle in, and the client must read our replies within it (RFC 5321
    /// §4.5.3.2.7; Postfix `smtpd_timeout` with `smtpd_per_request_deadline`).
    public var commandTimeout = SMTPDefaults.commandTimeout
    /// The DATA phase may last this plus `bytes / minimumDataRate` seconds (Postfix 3.7
    /// `smtpd_per_request_deadline` with `smtpd_min_data_rate`, §4 S-X2).
    public var dataTimeout = SMTPDefaults.dataTimeout
    public var minimumDataRate = SMTPDefaults.minimumDataRate
    /// Wait this long before the banner; a client that talks first is dropped (§4 S-P2).
    /// Zero here, for embedding and tests; `mailferry mirror` uses `SMTPDefaults.greetingDelay`
    /// unless it listens only on loopback.
    public var greetingDelay: Duration = .zero
    /// On graceful shutdown, a transaction in flight may go on this long; then the client
    /// gets 421 and the transaction is dropped, unacknowledged.
    public var shutdownGracePeriod = SMTPDefaults.shutdownGracePeriod
    /// Reply octets a client may leave unread before the server stops reading its commands.
    public var replyBacklogLimit = SMTPDefaults.replyBacklogLimit

    /// Initialize a configuration.
    public init(host: String, port: Int, hostname: String) {
        self.host = host
        self.port = port
        self.session = SMTPServerSessionConfiguration(hostname: hostname)
    }
}

extension SMTPServerConfiguration {
    /// Offer STARTTLS with a PEM certificate chain and private key.
    public mutating func useTLS(certificateChainFile: String, privateKeyFile: String) throws {
        let configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(certificateChainFile).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: privateKeyFile, format: .pem)))
        tls = try NIOSSLContext(configuration: configuration)
    }
}
