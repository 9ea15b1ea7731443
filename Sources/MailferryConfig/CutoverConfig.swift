/// The `[cutover]` table of the migration config: what `mailferry cutover` drives on each
/// host. The accounts are the migration's own (`[[accounts]]`, `accounts_file`,
/// `[system_accounts]`), so the cutover moves exactly what `sync` copies. See
/// examples/cutover.toml and docs/admin/cutover.md.
public struct CutoverConfig: Decodable, Equatable, Sendable {
    /// The domains whose mailbox store moves (lower case after loading).
    public var domains: [String]
    public var old: OldHost
    public var new: NewHost
    public var mirror: Mirror?
    public var presync: Presync?
    public var drain: Drain?
    /// The schedule read from `drain.plan_report` when the session opens (not a setting).
    public var planned: PlanSchedule?
    /// `[cutover.forward]`: the forwarder on the old host from *open* to decommission.
    public var forward: CutoverForwardConfig?
    /// `[cutover.test_relay]`: the test messages of the `test-relay` step.
    public var testRelay: CutoverTestRelayConfig?

    public enum CodingKeys: String, CodingKey {
        case domains, old, new, mirror, presync, drain, forward
        case testRelay = "test_relay"
    }

    /// The old server: Postfix + Courier, driven locally or over SSH.
    public struct OldHost: Decodable, Equatable, Sendable {
        /// `local`, or what `ssh` takes (`root@old.example.com`, a `Host` alias of
        /// ~/.ssh/config). The OpenSSH client's config, agent and known_hosts apply.
        public var host: String
        /// More `ssh` options, e.g. `["-p", "2222"]`; never a password.
        public var sshOptions: [String]?
        /// Postfix's configuration directory there (default /etc/postfix).
        public var postfix: String?
        /// The systemd units of the IMAP and POP3 daemons stopped at the hold and started by
        /// a rollback. Default: Debian's Courier units. The authentication daemon is not one
        /// of them: SMTP AUTH on 587/465 keeps using it through the drain.
        public var imapUnits: [String]?
        /// Instead of `imap_units`: the argv that stops every IMAP/POP daemon, and the one
        /// that starts them again.
        public var stopImapCommand: [String]?
        public var startImapCommand: [String]?
        /// The old mailboxes' root (watched for files written after the final delta).
        public var mailRoot: String?
        /// The old Postfix's mail log there (syslog's /var/log/mail.log or `maillog_file`):
        /// the *prove* phase follows every message it accepted. Without it the proof is the
        /// per-account verify only.
        public var mailLog: String?
        /// Each account's Courier Maildir there (`{user}`), where a rollback copies back the
        /// mail delivered on the new side since the switch. Default: a `maildir:` source's path.
        public var maildir: String?

        public enum CodingKeys: String, CodingKey {
            case host, postfix, maildir
            case mailLog = "mail_log"
            case sshOptions = "ssh_options"
            case imapUnits = "imap_units"
            case stopImapCommand = "stop_imap_command"
            case startImapCommand = "start_imap_command"
            case mailRoot = "mail_root"
        }
    }

    /// The new server (where mailferry runs): Postfix + Dovecot.
    public struct NewHost: Decodable, Equatable, Sendable {
        /// Postfix's configuration directory (default /etc/postfix).
        public var postfix: String?
        /// The address the old server relays the domains to, written as a `[]` next hop (no
        /// MX lookup). Its `myhostname` must differ from the old server's.
        public var relayHost: String
        /// Port of the dedicated relay listener (no milters or policy there), default 25.
        public var relayPort: Int?
        /// The argv that makes the new Postfix deliver the domains locally (the switch's
        /// first step), and the one that relays them to the old server again (the mirror
        /// phase's routing, and a rollback's).
        public var deliverLocallyCommand: [String]
        public var relayToOldCommand: [String]
        /// The argv that refuses user logins on the new Dovecot until *open*, and the one
        /// that allows them (*open*).
        public var closeLoginsCommand: [String]
        public var openLoginsCommand: [String]
        /// The new Postfix's mail log and Dovecot's log (`log_path`) on this host: the proof
        /// follows relayed mail through them into the mailbox and its folder. Each optional;
        /// without one the proof says what it could not follow.
        public var mailLog: String?
        public var dovecotLog: String?

        public enum CodingKeys: String, CodingKey {
            case postfix
            case mailLog = "mail_log"
            case dovecotLog = "dovecot_log"
            case relayHost = "relay_host"
            case relayPort = "relay_port"
            case deliverLocallyCommand = "deliver_locally_command"
            case relayToOldCommand = "relay_to_old_command"
            case closeLoginsCommand = "close_logins_command"
            case openLoginsCommand = "open_logins_command"
        }
    }

    /// The mirror phase's spool and shadow domains (as `mailferry mirror` has them).
    public struct Mirror: Decodable, Equatable, Sendable {
        public var spool: String
        /// The shadow domains' suffix (default `mirror.invalid`, as `postfix mirror`'s).
        public var shadowSuffix: String?

        public enum CodingKeys: String, CodingKey {
            case spool
            case shadowSuffix = "shadow_suffix"
        }
    }

    /// When presync rounds stop: the last round copied at most `small_delta` messages, or
    /// `max_rounds` rounds ran. `settle`: on a Courier Maildir source, a presync leaves the
    /// mail of the last this-long that Courier has not numbered yet for a later pass (sync's
    /// `--settle`); the final delta never does.
    public struct Presync: Decodable, Equatable, Sendable {
        public var smallDelta: Int?
        public var maxRounds: Int?
        public var settle: String?

        public enum CodingKeys: String, CodingKey {
            case smallDelta = "small_delta"
            case maxRounds = "max_rounds"
            case settle
        }
    }

    /// When the old host may be decommissioned: the longest TTL of the records that point at
    /// it plus a margin has passed since the switch, its queue holds nothing for the domains,
    /// and (with `old.mail_log`) no mail for the domains has arrived from the network for
    /// `quiet`. Durations as `"30s"`, `"5m"`, `"1h"`, `"1d"`.
    public struct Drain: Decodable, Equatable, Sendable {
        public var ttl: String?
        public var margin: String?
        /// A report of `mailferry plan --json`: without `ttl`, its longest TTL is the drain's.
        public var planReport: String?
        public var quiet: String?

        public enum CodingKeys: String, CodingKey {
            case ttl, margin, quiet
            case planReport = "plan_report"
        }
    }
}

extension CutoverConfig {
    public static let defaultPostfix = "/etc/postfix"
    /// Debian's Courier IMAP/POP3 units (plain and TLS); courier-authdaemon stays up.
    public static let defaultImapUnits = ["courier-imap.service", "courier-imap-ssl.service", "courier-pop.service", "courier-pop-ssl.service"]
    public static let defaultSmallDelta = 50
    public static let defaultMaxRounds = 5
    public static let defaultTTL: Duration = .seconds(86_400)
    public static let defaultMargin: Duration = .seconds(3600)
    /// Longer than Postfix's `maximal_backoff_time` (4000 s), so a sender that is still
    /// retrying towards the old host is seen at least once within it.
    public static let defaultQuiet: Duration = .seconds(7200)
    /// Ample for local(8), which names a file with the second it delivers it in.
    public static let defaultSettle: Duration = .seconds(10)

    /// The settings with their defaults applied, as the orchestrator uses them.
    public var smallDelta: Int { presync?.smallDelta ?? Self.defaultSmallDelta }
    public var maxRounds: Int { presync?.maxRounds ?? Self.defaultMaxRounds }
    /// The drain's TTL: `drain.ttl`, else the plan report's longest TTL, else one day.
    public var ttl: Duration {
        drain?.ttl.flatMap(ConfigDuration.parse) ?? planned.map { .seconds(Int($0.longestTTL)) } ?? Self.defaultTTL
    }
    public var margin: Duration { drain?.margin.flatMap(ConfigDuration.parse) ?? Self.defaultMargin }
    public var quiet: Duration { drain?.quiet.flatMap(ConfigDuration.parse) ?? Self.defaultQuiet }
    public var settle: Duration { presync?.settle.flatMap(ConfigDuration.parse) ?? Self.defaultSettle }
    public var oldPostfix: String { old.postfix ?? Self.defaultPostfix }
    public var newPostfix: String { new.postfix ?? Self.defaultPostfix }
    public var oldIsLocal: Bool { old.host == "local" }
    public var imapUnits: [String] { old.imapUnits ?? Self.defaultImapUnits }
    public var shadowSuffix: String { mirror?.shadowSuffix ?? "mirror.invalid" }
    /// How the *prove* phase proves: from the logs, or the verify alone (and why).
    public var proofSource: String {
        guard let oldLog = old.mailLog else {
            return "per-account verify only: no old.mail_log in [cutover], so no message-by-message proof from the logs"
        }
        var logs = ["old \(oldLog)"]
        if let log = new.mailLog { logs.append("new \(log)") }
        if let log = new.dovecotLog { logs.append("dovecot \(log)") }
        return "message by message from the mail logs (\(logs.joined(separator: ", ")))"
    }

    /// Checks what TOML's types cannot: each error names the setting.
    func validate(origin: String) throws(ConfigError) {
        func fail(_ text: String) -> ConfigError { ConfigError("\(origin): cutover.\(text)") }
        guard !domains.isEmpty else { throw fail("domains must name at least one domain") }
        for domain in domains where !Self.isDomainName(domain) {
            throw fail("domains: \"\(domain)\" is not a domain name")
        }
        if Set(domains.map { $0.lowercased() }).count != domains.count { throw fail("domains lists a domain twice") }
        guard !old.host.isEmpty, !old.host.hasPrefix("-"), !old.host.contains(where: \.isWhitespace) else {
            throw fail("old.host must be \"local\" or an ssh destination such as root@old.example.com")
        }
        if old.sshOptions != nil && oldIsLocal { throw fail("old.ssh_options needs an ssh destination in old.host, not \"local\"") }
        if (old.stopImapCommand == nil) != (old.startImapCommand == nil) {
            throw fail("old.stop_imap_command and old.start_imap_command go together")
        }
        if old.imapUnits != nil && old.stopImapCommand != nil {
            throw fail("old.imap_units and old.stop_imap_command exclude each other: name the units, or the commands")
        }
        if let units = old.imapUnits, units.isEmpty || units.contains(where: \.isEmpty) {
            throw fail("old.imap_units must name at least one unit")
        }
        for (name, path) in [("old.postfix", old.postfix), ("new.postfix", new.postfix), ("old.mail_root", old.mailRoot),
                             ("mirror.spool", mirror?.spool), ("old.mail_log", old.mailLog), ("new.mail_log", new.mailLog),
                             ("new.dovecot_log", new.dovecotLog), ("old.maildir", old.maildir)] {
            if let path, !path.hasPrefix("/") { throw fail("\(name) must be an absolute path (got \"\(path)\")") }
        }
        for (name, argv) in [("old.stop_imap_command", old.stopImapCommand), ("old.start_imap_command", old.startImapCommand),
                             ("new.deliver_locally_command", new.deliverLocallyCommand), ("new.relay_to_old_command", new.relayToOldCommand),
                             ("new.close_logins_command", new.closeLoginsCommand), ("new.open_logins_command", new.openLoginsCommand)] {
            if let argv, argv.first?.isEmpty ?? true { throw fail("\(name) must be an argv: a program and its arguments, such as [\"/usr/local/sbin/x\", \"arg\"]") }
        }
        guard !new.relayHost.isEmpty, !new.relayHost.contains(where: { $0.isWhitespace || $0 == "[" || $0 == "]" }) else {
            throw fail("new.relay_host must be a host name or address, without brackets (the [] next hop is written by mailferry)")
        }
        if old.mailLog == nil, new.mailLog != nil || new.dovecotLog != nil {
            throw fail("new.mail_log and new.dovecot_log need old.mail_log: the proof starts from what the old Postfix accepted")
        }
        if let port = new.relayPort, !(1...65535).contains(port) { throw fail("new.relay_port must be 1-65535 (got \(port))") }
        if let suffix = mirror?.shadowSuffix, !Self.isDomainName(suffix) { throw fail("mirror.shadow_suffix must be a domain name") }
        if let value = presync?.smallDelta, value < 0 { throw fail("presync.small_delta must be 0 or more (got \(value))") }
        if let value = presync?.maxRounds, value < 1 { throw fail("presync.max_rounds must be at least 1 (got \(value))") }
        try forward?.validate(fail: fail)
        try testRelay?.validate(domains: domains.map { $0.lowercased() }, fail: fail)
        for (name, value) in [("drain.ttl", drain?.ttl), ("drain.margin", drain?.margin), ("drain.quiet", drain?.quiet), ("presync.settle", presync?.settle)] {
            if let value, ConfigDuration.parse(value) == nil {
                throw fail("\(name) \"\(value)\" is not a duration such as \"30s\", \"5m\", \"1h\" or \"1d\"")
            }
        }
    }

    /// Letters, digits, `-` and dots; no empty label; at most 253 characters.
    static func isDomainName(_ text: String) -> Bool {
        guard !text.isEmpty, text.count <= 253 else { return false }
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        return labels.allSatisfy { label in
            !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }
    }
}
