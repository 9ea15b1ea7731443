public import SMTPCodec

/// Where and how the client delivers.
public struct SMTPClientConfiguration: Hashable, Sendable {
    public var host: String
    public var port: Int
    /// Our name in EHLO.
    public var heloName: String
    public var tls: SMTPTLSPolicy
    /// PEM file of trusted CAs for `.required` (nil: the system's roots).
    public var trustRootsPath: String?
    /// Name the certificate must match under `.required` (default: `host`).
    public var serverName: String?
    public var timeouts = SMTPClientTimeouts()
    /// `NOTIFY=` on every RCPT when the next hop offers DSN; nil sends none.
    public var notify: DeliveryNotification?

    public init(host: String, port: Int, heloName: String, tls: SMTPTLSPolicy = .opportunistic) {
        self.host = host
        self.port = port
        self.heloName = heloName
        self.tls = tls
    }
}

/// RFC 5321 §4.5.3.2 client timeouts, plus connect and TLS handshake.
public struct SMTPClientTimeouts: Hashable, Sendable {
    public var connect: Duration = .seconds(30)
    /// §4.5.3.2.1: initial 220.
    public var greeting: Duration = .seconds(300)
    /// EHLO, HELO, STARTTLS, RSET, QUIT (and the TLS handshake).
    public var command: Duration = .seconds(300)
    /// §4.5.3.2.2: MAIL.
    public var mail: Duration = .seconds(300)
    /// §4.5.3.2.3: each RCPT.
    public var recipient: Duration = .seconds(300)
    /// §4.5.3.2.4: DATA initiation (354).
    public var dataInitiation: Duration = .seconds(120)
    /// §4.5.3.2.5: each write of message content.
    public var dataBlock: Duration = .seconds(180)
    /// §4.5.3.2.6: reply to end-of-data.
    public var dataTermination: Duration = .seconds(600)

    public init() {}

    /// The timeout for the reply the session is waiting for.
    public func forReply(_ expectation: SMTPClientStateMachine.Expectation) -> Duration {
        switch expectation {
        case .greeting: greeting
        case .hello, .extendedHello, .startTLS, .reset, .quit: command
        case .mail: mail
        case .recipient: recipient
        case .data: dataInitiation
        case .endOfData: dataTermination
        }
    }
}
