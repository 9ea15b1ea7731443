import IMAPCodec
import NIOCore

/// Timeouts, limits and pipelining depths of an ``IMAPConnection``.
public struct IMAPClientConfiguration: Sendable {
    /// TCP connect (and DNS) must finish within this time.
    public var connectTimeout: TimeAmount
    /// While waiting for the server, no progress (a byte read or written) for this long
    /// fails the connection. Applies to the greeting, TLS handshake and every command.
    public var responseTimeout: TimeAmount
    /// Parser limits.
    public var parserOptions: ResponseParserOptions
    /// The longest UID set put into one FETCH/STORE command; bigger sets become several
    /// pipelined commands (servers limit command lines; Dovecot to 64 KB).
    public var maximumUIDSetLength: Int
    /// How many FETCH commands may be in flight at once.
    public var fetchPipelineDepth: Int
    /// How many APPENDs may be in flight at once (LITERAL+ servers).
    public var appendPipelineDepth: Int
    /// The most mailboxes one LIST or LSUB may return. Each is kept in memory, so a hostile
    /// server answering with millions fails the command instead; real accounts have hundreds.
    public var maximumMailboxes: Int

    public init(
        connectTimeout: TimeAmount = .seconds(30), responseTimeout: TimeAmount = .seconds(120),
        parserOptions: ResponseParserOptions = ResponseParserOptions(), maximumUIDSetLength: Int = 4000,
        fetchPipelineDepth: Int = 4, appendPipelineDepth: Int = 8, maximumMailboxes: Int = 100_000
    ) {
        precondition(fetchPipelineDepth > 0 && appendPipelineDepth > 0 && maximumUIDSetLength >= 32 && maximumMailboxes > 0)
        self.connectTimeout = connectTimeout
        self.responseTimeout = responseTimeout
        self.parserOptions = parserOptions
        self.maximumUIDSetLength = maximumUIDSetLength
        self.fetchPipelineDepth = fetchPipelineDepth
        self.appendPipelineDepth = appendPipelineDepth
        self.maximumMailboxes = maximumMailboxes
    }
}
