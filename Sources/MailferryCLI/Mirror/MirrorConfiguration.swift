import MailModel
import Relay
import SMTPClient
import SMTPCodec

/// `mailferry mirror --config FILE`, as read from TOML (see examples/mirror.toml).
struct MirrorConfiguration {
    struct Listen {
        var address = "127.0.0.1"
        var port = 10026
        var hostname = "localhost"
        var tlsCertificate: String?
        var tlsKey: String?
        var requireTLS = false
        var maximumConnections = 200
        var maximumConnectionsPerAddress = 50
        /// nil: the mode's default (`reject` for the shadow endpoint, `normalize` in-path).
        var lineEndings: SMTPLineEndingPolicy?
        var messageSizeLimit = SMTPDefaults.messageSizeLimit
        var recipientLimit = SMTPDefaults.recipientLimit
        var commandTimeout = SMTPDefaults.commandTimeout
        var dataTimeout = SMTPDefaults.dataTimeout
        var greetingDelay = SMTPDefaults.greetingDelay
    }

    struct Destination {
        var host = "127.0.0.1"
        var port = 25
        var helo = "localhost"
        var tls: SMTPTLSPolicy = .opportunistic
        var caFile: String?
        var serverName: String?
        var concurrency = 4
        /// The copies' envelope sender: mailferry's own, never the real sender's.
        var bounceAddress = MirrorRules.defaultBounceAddress
        /// `NOTIFY=` on the copies when the new server offers DSN: `never`, or `failure` when
        /// the new server routes the bounce domain back to the mirror (its report then
        /// lists late failures).
        var notify: DeliveryNotification = .never
    }

    var listen = Listen()
    var spoolDirectory = ""
    /// shadow domain → real domain.
    var shadowDomains: [String: String] = [:]
    var destination = Destination()
    var retry = RetryPolicy()
    /// In-path mode: the primary MTA that gets every transaction first.
    var primary: Destination?
}
