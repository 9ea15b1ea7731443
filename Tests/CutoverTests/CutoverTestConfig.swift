/// The migration config the cutover tests run with: alice's Maildir stores on both sides (or the
/// stores and account a test names) and a
/// `[cutover]` table whose old side is this host (`host = "local"`) or an SSH destination with
/// its `ssh_options`, the old IMAP/POP commands and the new side's commands no-ops unless a
/// test names its own. Tests change the fields they care about and append further tables
/// (`[cutover.presync]`, `[cutover.test_relay]` ...) to ``text``.
struct CutoverTestConfig {
    var oldMail: String
    var newMail: String
    /// The stores' URLs when they are not `maildir:` of `oldMail` and `newMail` per user.
    var source: String?
    var destination: String?
    /// `[destination] owner` (`uid:gid`) for a destination Maildir another user serves.
    var owner: String?
    var user = "alice"
    var oldPostfix: String
    var newPostfix: String
    var relayHost = "127.0.0.1"
    var relayPort: Int?
    /// `[sync] state`; none: the default state directory.
    var state: String?
    /// `[cutover.old] host`: "local" or an SSH destination, reached with `sshOptions`.
    var oldHost = "local"
    var sshOptions: [String] = []
    /// `[cutover.old] mail_root`, which an SSH host needs for the copy-back.
    var oldMailRoot: String?
    var oldMailLog: String?
    var newMailLog: String?
    var stopIMAP = ["/bin/true"]
    var startIMAP = ["/bin/true"]
    var relayToOld = ["/bin/true"]

    var text: String {
        var lines = [
            "[source]", "url = \(Self.quoted(source ?? "maildir:\(oldMail)/{user}"))",
            "[destination]", "url = \(Self.quoted(destination ?? "maildir:\(newMail)/{user}"))",
        ]
        if let owner { lines.append("owner = \(Self.quoted(owner))") }
        if let state { lines += ["[sync]", "state = \(Self.quoted(state))"] }
        lines += [
            "[[accounts]]", "user = \(Self.quoted(user))",
            "[cutover]", "domains = \(Self.array([PrivatePostfix.domain]))",
            "[cutover.old]", "host = \(Self.quoted(oldHost))",
        ]
        if !sshOptions.isEmpty { lines.append("ssh_options = \(Self.array(sshOptions))") }
        lines.append("postfix = \(Self.quoted(oldPostfix))")
        if let oldMailRoot { lines.append("mail_root = \(Self.quoted(oldMailRoot))") }
        if let oldMailLog { lines.append("mail_log = \(Self.quoted(oldMailLog))") }
        lines += ["stop_imap_command = \(Self.array(stopIMAP))", "start_imap_command = \(Self.array(startIMAP))"]
        lines += ["[cutover.new]", "postfix = \(Self.quoted(newPostfix))", "relay_host = \(Self.quoted(relayHost))"]
        if let relayPort { lines.append("relay_port = \(relayPort)") }
        if let newMailLog { lines.append("mail_log = \(Self.quoted(newMailLog))") }
        lines += [
            "deliver_locally_command = [\"/bin/true\"]", "relay_to_old_command = \(Self.array(relayToOld))",
            "close_logins_command = [\"/bin/true\"]", "open_logins_command = [\"/bin/true\"]",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// Tables for a run that must finish without waiting: no relay test messages, and a drain
    /// whose TTL, margin and quiet time are all zero.
    static let finishAtOnce = """
        [cutover.test_relay]
        send = false
        [cutover.drain]
        ttl = "0s"
        margin = "0s"
        quiet = "0s"

        """

    /// A TOML basic string; test paths and options hold no quote or backslash.
    static func quoted(_ value: String) -> String {
        precondition(!value.contains("\"") && !value.contains("\\"), "a test config value needs escaping: \(value)")
        return "\"\(value)\""
    }

    static func array(_ values: [String]) -> String { "[" + values.map(quoted).joined(separator: ", ") + "]" }
}

extension PrivatePostfix {
    /// The config for a cutover between two private instances on this host: their stores,
    /// their config directories, both mail logs, the new one's address and port as the relay.
    static func cutoverConfig(old: PrivatePostfix, new: PrivatePostfix) -> CutoverTestConfig {
        CutoverTestConfig(
            oldMail: old.mailRoot, newMail: new.mailRoot, oldPostfix: old.configDirectory, newPostfix: new.configDirectory,
            relayHost: new.address, relayPort: new.port, oldMailLog: old.logFile, newMailLog: new.logFile)
    }
}
