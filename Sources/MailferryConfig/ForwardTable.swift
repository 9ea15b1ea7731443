/// A forward config file: the `[forward]` table alone.
struct ForwardFile: Decodable {
    var forward: ForwardTable
}

/// `[forward]` as written (examples/forward.toml); a file of another kind can hold it too.
public struct ForwardTable: Decodable, Equatable, Sendable {
    public var listener: [Listener]?
    public var maxConnections: Int?
    public var maxConnectionsPerSource: Int?
    public var bufferSize: Int?
    public var connectTimeout: ConfigDuration?
    public var idleTimeout: ConfigDuration?
    /// How long open sessions may go on after a stop.
    public var grace: ConfigDuration?

    /// `[[forward.listener]]`: `listen` is `host:port` or a port, `upstream` `host:port`.
    public struct Listener: Decodable, Equatable, Sendable {
        public var name: String
        public var listen: String
        public var upstream: String
    }

    public enum CodingKeys: String, CodingKey {
        case listener, grace
        case maxConnections = "max_connections"
        case maxConnectionsPerSource = "max_connections_per_source"
        case bufferSize = "buffer_size"
        case connectTimeout = "connect_timeout"
        case idleTimeout = "idle_timeout"
    }
}
