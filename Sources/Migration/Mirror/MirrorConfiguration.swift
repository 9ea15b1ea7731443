import MailModel
import NIOCore
import Relay
import SMTPClient
import SMTPCodec

/// `mailferry mirror --config FILE`, as read from TOML (see examples/mirror.toml).
public struct MirrorConfiguration: Sendable {
    public struct Listen: Sendable {
        public var address = "127.0.0.1"
        public var port = 10026
        public var hostname = "localhost"
        public var tlsCertificate: String?
        public var tlsKey: String?
        public var requireTLS = false
        public var maximumConnections = 200
        public var maximumConnectionsPerAddress = 50
        /// nil: the mode's default (`reject` for the shadow endpoint, `normalize` in-path).
        public var lineEndings: SMTPLineEndingPolicy?
        public var messageSizeLimit = SMTPDefaults.messageSizeLimit
        public var recipientLimit = SMTPDefaults.recipientLimit
        public var commandTimeout = SMTPDefaults.commandTimeout
        public var dataTimeout = SMTPDefaults.dataTimeout
        /// nil: by exposure (`effectiveGreetingDelay`); an explicit setting always wins.
        public var greetingDelay: Duration?

        public init() {}
    }

    public struct Destination: Sendable {
        public var host = "127.0.0.1"
        public var port = 25
        public var helo = "localhost"
        public var tls: SMTPTLSPolicy = .opportunistic
        public var caFile: String?
        public var serverName: String?
        public var concurrency = 4
        /// The copies' envelope sender: mailferry's own, never the real sender's.
        public var bounceAddress = MirrorRules.defaultBounceAddress
        /// `NOTIFY=` on the copies when the new server offers DSN: `never`, or `failure` when
        /// the new server routes the bounce domain back to the mirror (its report then
        /// lists late failures).
        public var notify: DeliveryNotification = .never

        public init() {}
    }

    public var listen = Listen()
    public var spoolDirectory = ""
    /// shadow domain → real domain.
    public var shadowDomains: [String: String] = [:]
    public var destination = Destination()
    public var retry = RetryPolicy()
    /// In-path mode: the primary MTA that gets every transaction first.
    public var primary: Destination?

    public init() {}
}

extension MirrorConfiguration.Listen {
    /// The banner delay the server uses. On loopback the mirror's one client is the local
    /// Postfix, which never talks first, and every new connection of its bcc transport would
    /// wait the delay before its first command, capping the copies per second; a mirror
    /// reachable from other hosts keeps the early-talker check (`SMTPDefaults.greetingDelay`).
    public var effectiveGreetingDelay: Duration {
        greetingDelay ?? (listensOnlyOnLoopback ? .zero : SMTPDefaults.greetingDelay)
    }

    /// True when `address` is a loopback address (127.0.0.0/8, ::1, IPv4-mapped loopback)
    /// or `localhost`; a wildcard (`0.0.0.0`, `::`) or any other address is exposed.
    public var listensOnlyOnLoopback: Bool {
        var host = address
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.lowercased() == "localhost" { return true }
        guard let normalized = (try? SocketAddress(ipAddress: host, port: 0))?.ipAddress else { return false }
        return normalized.hasPrefix("127.") || normalized == "::1" || normalized.lowercased().hasPrefix("::ffff:127.")
    }
}
