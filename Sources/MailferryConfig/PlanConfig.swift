/// `[plan]` of a migration config: what `mailferry plan` checks beyond the accounts.
/// See examples/mailferry.toml and docs/admin/plan.md.
public struct PlanConfig: Decodable, Equatable, Sendable {
    /// The mail domains that move, e.g. `["example.com"]`.
    public var domains: [String]
    /// The old server's public addresses (what the MX host resolves to today).
    public var oldAddresses: [String]?
    /// The new server's public addresses.
    public var newAddresses: [String]?
    /// Added to the longest TTL for the decommission date (`"1d"`, `"12h"`); default one day.
    public var margin: String?
    /// The planned switch, ISO 8601 (`"2026-12-20T18:00:00Z"`), for dates instead of durations.
    public var switchAt: String?
    public var dns: PlanDNSConfig?
    /// The old Postfix's configuration directory on the old host (`/etc/postfix`): its alias
    /// maps are read to list every address it accepts.
    public var oldPostfix: String?
    /// The new server's SMTP listener, `host:port`, asked about each of those addresses
    /// (RCPT only, nothing is sent).
    public var newSMTP: String?
    /// The new server's mail store on this host (`/var/vmail`): its free space is compared
    /// with the mailboxes' size. This and the other paths on this host may be relative to
    /// the config file.
    public var newStore: String?
    /// The new Dovecot's configuration file on this host (`/etc/dovecot/dovecot.conf`):
    /// `doveadm -c FILE quota get -u USER` reads each account's quota there.
    public var newDovecotConfig: String?
    /// The new Postfix's configuration directory on this host (default: `[cutover]`
    /// new.postfix): its myhostname and inbound policy are checked.
    public var newPostfix: String?
    /// Where the old host's per-user filters are read: `local`, or what `ssh` takes
    /// (default: `[cutover]` old.host), with `old_ssh_options` for ssh.
    public var oldHost: String?
    public var oldSSHOptions: [String]?

    public init(domains: [String], oldAddresses: [String]? = nil, newAddresses: [String]? = nil, margin: String? = nil,
                switchAt: String? = nil, dns: PlanDNSConfig? = nil, oldPostfix: String? = nil, newSMTP: String? = nil,
                newStore: String? = nil, newDovecotConfig: String? = nil, newPostfix: String? = nil, oldHost: String? = nil,
                oldSSHOptions: [String]? = nil) {
        self.domains = domains
        self.oldAddresses = oldAddresses
        self.newAddresses = newAddresses
        self.margin = margin
        self.switchAt = switchAt
        self.dns = dns
        self.oldPostfix = oldPostfix
        self.newSMTP = newSMTP
        self.newStore = newStore
        self.newDovecotConfig = newDovecotConfig
        self.newPostfix = newPostfix
        self.oldHost = oldHost
        self.oldSSHOptions = oldSSHOptions
    }

    public enum CodingKeys: String, CodingKey {
        case domains, margin, dns
        case oldAddresses = "old_addresses"
        case newAddresses = "new_addresses"
        case switchAt = "switch_at"
        case oldPostfix = "old_postfix"
        case newSMTP = "new_smtp"
        case newStore = "new_store"
        case newDovecotConfig = "new_dovecot_config"
        case newPostfix = "new_postfix"
        case oldHost = "old_host"
        case oldSSHOptions = "old_ssh_options"
    }
}

/// `[plan.dns]`: where the NS chain starts and which resolvers to compare. The defaults
/// (the Internet's root servers, port 53, the resolvers of /etc/resolv.conf) suit a real
/// domain; tests point `roots` and `port` at a name server on loopback.
public struct PlanDNSConfig: Decodable, Equatable, Sendable {
    /// `"198.41.0.4"` or `"127.0.0.1:5353"`: servers to start following NS records from.
    public var roots: [String]?
    /// The port of every name server found through NS records; default 53.
    public var port: Int?
    /// Recursive resolvers whose current answers are compared; default /etc/resolv.conf's.
    public var resolvers: [String]?
    /// Per query attempt, e.g. `"3s"`.
    public var timeout: String?
    /// UDP attempts per query before giving up on a server.
    public var attempts: Int?

    public init(roots: [String]? = nil, port: Int? = nil, resolvers: [String]? = nil, timeout: String? = nil, attempts: Int? = nil) {
        self.roots = roots
        self.port = port
        self.resolvers = resolvers
        self.timeout = timeout
        self.attempts = attempts
    }
}
