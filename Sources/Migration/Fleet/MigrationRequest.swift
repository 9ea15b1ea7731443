/// What a front end asks `sync` or `verify` to work on, before anything is resolved: the
/// values of the command line (or of a dashboard's form), without their flag names. A config
/// file named here supplies what the request leaves out; the request wins where both speak.
public struct MigrationRequest: Sendable {
    /// One server as the request gives it.
    public struct Side: Sendable {
        /// `imap://user@host:port`, `imaps://…` or `maildir:/path`; nil with a config file.
        public var url: String?
        public var passwordFile: String?
        public var masterUser: String?
        public var masterPasswordFile: String?

        public init(url: String? = nil, passwordFile: String? = nil, masterUser: String? = nil, masterPasswordFile: String? = nil) {
            self.url = url
            self.passwordFile = passwordFile
            self.masterUser = masterUser
            self.masterPasswordFile = masterPasswordFile
        }
    }

    public var from = Side()
    public var to = Side()
    /// CA certificates trusted for both servers instead of the system's.
    public var caFile: String?
    public var insecure = false
    /// False: imap:// without STARTTLS.
    public var startTLS = true
    public var allowPlaintext = false
    public var timeoutSeconds = 120

    /// A migration config file (both servers and many accounts); excludes `from.url`/`to.url`.
    public var config: String?
    /// Only these accounts of the config file; empty: all of them.
    public var accounts: [String] = []
    public var jobs: Int?
    public var maxConnectionsPerServer: Int?
    public var foldersInParallel: Int?
    /// The state directory; nil: the config's, else `.mailferry`.
    public var state: String?

    /// Owner of what a Maildir destination writes.
    public var owner: String?
    /// A Maildir destination replaces a folder's other UIDVALIDITY.
    public var overwriteUIDValidity = false
    /// The mirror's tag key file, while the mirror delivers copies to a Maildir destination.
    public var mirrorTagKeyFile: String?
    /// A Courier Maildir source leaves the messages Courier has not numbered yet that were
    /// delivered in the last this many seconds for a later run (presyncs while mail flows).
    public var settleSeconds: Int?

    public init() {}
}
