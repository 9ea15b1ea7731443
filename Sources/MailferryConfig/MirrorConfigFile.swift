/// A mirror config file's tables as written (examples/mirror.toml), decoded by
/// ``ConfigDecoder``; Migration's `MirrorConfiguration.parse(_:origin:)` checks them and
/// applies the defaults (it builds the relay's and SMTP client's own types, which this
/// target does not link).
public struct MirrorConfigFile: Decodable, Sendable {
    /// The file's tables, strictly: unknown keys and wrong types are errors with their line.
    public static func decode(_ text: String, origin: String) throws(ConfigError) -> MirrorConfigFile {
        try ConfigDecoder.decode(MirrorConfigFile.self, from: text, origin: origin, example: "examples/mirror.toml")
    }

    public var listen: Listen?
    public var spool: Spool?
    public var shadow: [Shadow]?
    public var destination: Destination?
    public var primary: Destination?
    public var retry: Retry?

    public struct Listen: Decodable, Sendable {
        public var address: String?
        public var port: Int?
        public var hostname: String?
        public var tlsCertificate: String?
        public var tlsKey: String?
        public var requireTLS: Bool?
        public var maxConnections: Int?
        public var maxConnectionsPerAddress: Int?
        public var lineEndings: String?
        public var messageSizeLimit: Int?
        public var recipientLimit: Int?
        public var commandTimeout: ConfigDuration?
        public var dataTimeout: ConfigDuration?
        public var greetingDelay: ConfigDuration?

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

    public struct Spool: Decodable, Sendable {
        public var directory: String
    }

    public struct Shadow: Decodable, Sendable {
        public var shadow: String
        public var real: String
    }

    /// `[destination]` and `[primary]`.
    public struct Destination: Decodable, Sendable {
        public var host: String
        public var port: Int?
        public var helo: String?
        public var tls: String?
        public var caFile: String?
        public var serverName: String?
        public var concurrency: Int?
        public var bounceAddress: String?
        public var notify: String?

        enum CodingKeys: String, CodingKey {
            case host, port, helo, tls, concurrency, notify
            case caFile = "ca_file"
            case serverName = "server_name"
            case bounceAddress = "bounce_address"
        }
    }

    public struct Retry: Decodable, Sendable {
        public var minimalBackoff: ConfigDuration?
        public var maximalBackoff: ConfigDuration?
        public var maximalLifetime: ConfigDuration?

        enum CodingKeys: String, CodingKey {
            case minimalBackoff = "minimal_backoff"
            case maximalBackoff = "maximal_backoff"
            case maximalLifetime = "maximal_lifetime"
        }
    }
}
