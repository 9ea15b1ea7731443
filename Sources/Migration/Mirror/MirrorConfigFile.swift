/// A mirror config file's tables as written (examples/mirror.toml), decoded by
/// ``ConfigDecoder``; ``MirrorConfiguration/parse(_:origin:)`` checks them and applies the
/// defaults.
struct MirrorConfigFile: Decodable {
    var listen: Listen?
    var spool: Spool?
    var shadow: [Shadow]?
    var destination: Destination?
    var primary: Destination?
    var retry: Retry?

    struct Listen: Decodable {
        var address: String?
        var port: Int?
        var hostname: String?
        var tlsCertificate: String?
        var tlsKey: String?
        var requireTLS: Bool?
        var maxConnections: Int?
        var maxConnectionsPerAddress: Int?
        var lineEndings: String?
        var messageSizeLimit: Int?
        var recipientLimit: Int?
        var commandTimeout: ConfigDuration?
        var dataTimeout: ConfigDuration?
        var greetingDelay: ConfigDuration?

        enum CodingKeys: String, CodingKey {
            case address, port, hostname
            case tlsCertificate = "tls_certificate"
            case tlsKey = "tls_key"
            case requireTLS = "require_tls"
            case maxConnections = "max_connections"
            case maxConnectionsPerAddress = "max_connections_per_address"
            case lineEndings = "line_endings"
            case messageSizeLimit = "message_size_limit"
            case recipientLimit = "recipient_limit"
            case commandTimeout = "command_timeout"
            case dataTimeout = "data_timeout"
            case greetingDelay = "greeting_delay"
        }
    }

    struct Spool: Decodable {
        var directory: String
    }

    struct Shadow: Decodable {
        var shadow: String
        var real: String
    }

    /// `[destination]` and `[primary]`.
    struct Destination: Decodable {
        var host: String
        var port: Int?
        var helo: String?
        var tls: String?
        var caFile: String?
        var serverName: String?
        var concurrency: Int?
        var bounceAddress: String?
        var notify: String?

        enum CodingKeys: String, CodingKey {
            case host, port, helo, tls, concurrency, notify
            case caFile = "ca_file"
            case serverName = "server_name"
            case bounceAddress = "bounce_address"
        }
    }

    struct Retry: Decodable {
        var minimalBackoff: ConfigDuration?
        var maximalBackoff: ConfigDuration?
        var maximalLifetime: ConfigDuration?

        enum CodingKeys: String, CodingKey {
            case minimalBackoff = "minimal_backoff"
            case maximalBackoff = "maximal_backoff"
            case maximalLifetime = "maximal_lifetime"
        }
    }
}
