import Cutover

/// The `[cutover.forward]` table: how the cutover starts `mailferry forward` on the old host
/// at *open* and stops it at decommission, and what `cutover plan` checks on the new server's
/// PROXY listeners (docs/admin/forward.md). Without the table no forwarder is started and the
/// plan warns that stale IMAP/POP3/submission clients will fail until their DNS catches up.
public struct CutoverForwardConfig: Decodable, Equatable, Sendable {
    /// The old host's address as the new server sees its connections: it must be in Dovecot's
    /// `haproxy_trusted_networks` and never in `login_trusted_networks`.
    public var oldAddress: String
    /// The systemd unit on the old host that runs the forwarder (default
    /// `mailferry-forward.service`, shipped by the package).
    public var unit: String?
    /// Instead of `unit`: the argv that starts the forwarder on the old host, and the one that
    /// stops it (each must succeed when it already runs / is already stopped).
    public var startCommand: [String]?
    public var stopCommand: [String]?
    /// The new Dovecot's config file for `doveconf -c` (default: doveconf's own default).
    public var dovecotConfig: String?
    /// The file on the new host with Dovecot's `Login:` lines (and the forwarded submission
    /// services' lines): the decommission waits until no login came through the forwarder
    /// for `login_quiet`. Default: `new.dovecot_log`, else `new.mail_log`, else
    /// `/var/log/mail.log` (Debian's syslog file for both).
    public var loginLog: String?
    /// How long no client may log in through the forwarder before the drain ends and the
    /// forwarder stops (default one day, so a client used once a day is seen); `"0s"` turns
    /// the criterion off.
    public var loginQuiet: String?
    /// The old host's addresses its clients connect to, which Dovecot logs as `lip=` for
    /// logins through the forwarder (default: `old_address`; list them all when the old host
    /// has several, or sits behind NAT).
    public var clientAddresses: [String]?

    public enum CodingKeys: String, CodingKey {
        case unit
        case oldAddress = "old_address"
        case startCommand = "start_command"
        case stopCommand = "stop_command"
        case dovecotConfig = "dovecot_config"
        case loginLog = "login_log"
        case loginQuiet = "login_quiet"
        case clientAddresses = "client_addresses"
    }

    public static let defaultUnit = "mailferry-forward.service"
    public static let defaultLoginQuiet: Duration = .seconds(86_400)
    public static let defaultLoginLog = "/var/log/mail.log"

    public var loginQuietDuration: Duration { loginQuiet.flatMap(ConfigDuration.parse) ?? Self.defaultLoginQuiet }
    public var forwardedAddresses: [String] { clientAddresses ?? [oldAddress] }

    /// The argv that starts (or stops) the forwarder on the old host.
    public func command(start: Bool) -> [String] {
        if let argv = start ? startCommand : stopCommand { return argv }
        return ["systemctl", start ? "start" : "stop", unit ?? Self.defaultUnit]
    }

    /// The argv after a start that says whether the unit runs (nil with configured commands:
    /// their exit status is the answer).
    public var isActiveCommand: [String]? {
        startCommand == nil ? ["systemctl", "is-active", unit ?? Self.defaultUnit] : nil
    }

    /// `doveconf -n`, with `-c` when a config file is named.
    public var doveconfCommand: [String] {
        ["doveconf"] + (dovecotConfig.map { ["-c", $0] } ?? []) + ["-n"]
    }

    func validate(fail: (String) -> ConfigError) throws(ConfigError) {
        guard IPNetwork(address: oldAddress) != nil else {
            throw fail("forward.old_address must be an IPv4 or IPv6 address (the old host as the new server sees it), got \"\(oldAddress)\"")
        }
        if (startCommand == nil) != (stopCommand == nil) { throw fail("forward.start_command and forward.stop_command go together") }
        if unit != nil && startCommand != nil {
            throw fail("forward.unit and forward.start_command exclude each other: name the unit, or the commands")
        }
        if let unit, unit.isEmpty || unit.hasPrefix("-") || unit.contains(where: \.isWhitespace) {
            throw fail("forward.unit must be a systemd unit name such as \"mailferry-forward.service\"")
        }
        for (name, argv) in [("forward.start_command", startCommand), ("forward.stop_command", stopCommand)] {
            if let argv, argv.first?.isEmpty ?? true { throw fail("\(name) must be an argv: a program and its arguments") }
        }
        if let path = dovecotConfig, !path.hasPrefix("/") { throw fail("forward.dovecot_config must be an absolute path (got \"\(path)\")") }
        if let path = loginLog, !path.hasPrefix("/") { throw fail("forward.login_log must be an absolute path (got \"\(path)\")") }
        if let value = loginQuiet, ConfigDuration.parse(value) == nil {
            throw fail("forward.login_quiet \"\(value)\" is not a duration such as \"30m\", \"12h\" or \"1d\"")
        }
        if let addresses = clientAddresses {
            if addresses.isEmpty { throw fail("forward.client_addresses must name at least one address (or be left out: old_address)") }
            for address in addresses where IPNetwork(address: address) == nil {
                throw fail("forward.client_addresses: \"\(address)\" is not an IPv4 or IPv6 address")
            }
        }
    }
}
