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
        var lineEndings: SMTPLineEndingPolicy = .reject
        var messageSizeLimit = SMTPDefaults.messageSizeLimit
        var recipientLimit = SMTPDefaults.recipientLimit
        var commandTimeout = SMTPDefaults.commandTimeout
        var dataTimeout = SMTPDefaults.dataTimeout
        var greetingDelay: Duration = .zero
    }

    struct Destination {
        var host = "127.0.0.1"
        var port = 25
        var helo = "localhost"
        var tls: SMTPTLSPolicy = .opportunistic
        var caFile: String?
        var serverName: String?
        var concurrency = 4
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
