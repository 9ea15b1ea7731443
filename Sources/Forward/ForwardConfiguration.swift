/// What a forwarder listens on, where it sends each connection, and its limits. Plain
/// values: the CLI fills them from flags or the `[forward]` table, the cutover from its plan.
public struct ForwardConfiguration: Sendable, Equatable {
    /// A host (name or address) and a TCP port.
    public struct Endpoint: Sendable, Equatable, CustomStringConvertible {
        public var host: String
        public var port: Int

        public init(host: String, port: Int) {
            self.host = host
            self.port = port
        }

        /// `host:port`, with an IPv6 address in brackets.
        public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
    }

    /// One listening port and the upstream port its connections go to. The upstream must be
    /// a listener that expects a PROXY v2 header (Dovecot `haproxy = yes`, Postfix
    /// `smtpd_upstream_proxy_protocol = haproxy`): the forwarder always sends one.
    public struct Listener: Sendable, Equatable {
        /// A label for logs and counters: `imap`, `imaps`, `pop3`, `submission`...
        public var name: String
        public var listen: Endpoint
        public var upstream: Endpoint

        public init(name: String, listen: Endpoint, upstream: Endpoint) {
            self.name = name
            self.listen = listen
            self.upstream = upstream
        }
    }

    public var listeners: [Listener]
    /// Connections open at once over all listeners; more are closed at once.
    public var maxConnections: Int
    /// Connections open at once from one client address. Dovecot sees each client's own
    /// address (PROXY v2), so this only guards the forwarder's own resources.
    public var maxConnectionsPerSource: Int
    /// How long the upstream may take to accept a connection.
    public var connectTimeout: Duration
    /// A connection with no byte read from either side for this long is closed. IMAP IDLE clients
    /// re-issue IDLE within 29 minutes (RFC 2177), so the default is above 30 minutes.
    public var idleTimeout: Duration
    /// Bytes queued towards one peer before the forwarder stops reading from the other: the
    /// bound on memory per connection and direction (plus one read cycle, at most as much again).
    public var bufferSize: Int

    public static let defaultMaxConnections = 2000
    public static let defaultMaxConnectionsPerSource = 50
    public static let defaultConnectTimeout = Duration.seconds(10)
    public static let defaultIdleTimeout = Duration.seconds(35 * 60)
    public static let defaultBufferSize = 256 * 1024

    public init(
        listeners: [Listener],
        maxConnections: Int = defaultMaxConnections,
        maxConnectionsPerSource: Int = defaultMaxConnectionsPerSource,
        connectTimeout: Duration = defaultConnectTimeout,
        idleTimeout: Duration = defaultIdleTimeout,
        bufferSize: Int = defaultBufferSize
    ) {
        self.listeners = listeners
        self.maxConnections = maxConnections
        self.maxConnectionsPerSource = maxConnectionsPerSource
        self.connectTimeout = connectTimeout
        self.idleTimeout = idleTimeout
        self.bufferSize = bufferSize
    }

    /// What is wrong with the configuration, in words an admin can act on; empty when it can run.
    public var problems: [String] {
        var problems: [String] = []
        if listeners.isEmpty { problems.append("no listeners: name at least one port to forward") }
        var names = Set<String>()
        var ports = Set<String>()
        for listener in listeners {
            if listener.name.isEmpty { problems.append("a listener has an empty name") }
            if !names.insert(listener.name).inserted { problems.append("listener \(listener.name) is named twice") }
            // Port 0 asks the kernel for a free port, a different one each time.
            if listener.listen.port != 0, !ports.insert(listener.listen.description).inserted {
                problems.append("\(listener.listen) is listened on twice")
            }
            for (what, endpoint) in [("listen", listener.listen), ("upstream", listener.upstream)] {
                if endpoint.host.isEmpty { problems.append("listener \(listener.name): \(what) has no host") }
                if !(0...65535).contains(endpoint.port) || (what == "upstream" && endpoint.port == 0) {
                    problems.append("listener \(listener.name): \(what) port \(endpoint.port) is not a TCP port")
                }
            }
        }
        if maxConnections < 1 { problems.append("max_connections must be at least 1 (got \(maxConnections))") }
        if maxConnectionsPerSource < 1 { problems.append("max_connections_per_source must be at least 1 (got \(maxConnectionsPerSource))") }
        if connectTimeout <= .zero { problems.append("connect_timeout must be above zero") }
        if idleTimeout <= .zero { problems.append("idle_timeout must be above zero") }
        if bufferSize < 4096 { problems.append("buffer_size must be at least 4096 bytes (got \(bufferSize))") }
        return problems
    }
}
