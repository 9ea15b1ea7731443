import ArgumentParser
import Forward
import Foundation
import Logging
import MailferryConfig
import Migration
import UnixSignals

/// `mailferry forward`: the old host's IMAP, POP3 and submission ports relayed to the new
/// server's PROXY listeners, for clients whose DNS still points at the old host.
struct ForwardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forward",
        abstract: "Forward the old host's IMAP, POP3 and submission ports to the new server, with the client's address.",
        discussion: """
            Run on the old host once the new store is open (the cutover starts it from its *open* \
            phase): a mail client whose DNS still names the old host reaches the new server. Every \
            connection is relayed byte for byte after a PROXY protocol v2 header that names the \
            client's address, so TLS (implicit or STARTTLS) runs end to end between the client and \
            the new server; the forwarder holds no key and sees no password.

            The upstream ports must be dedicated PROXY listeners on the new server, open only to \
            the old host: Dovecot `haproxy = yes` per inet_listener with the old host in \
            `haproxy_trusted_networks`, Postfix `smtpd_upstream_proxy_protocol = haproxy` on an \
            extra submission service. docs/admin/forward.md gives the exact settings.

            Listeners come from --config (a [forward] table, examples/forward.toml) or from \
            --listener NAME=LISTEN=UPSTREAM, repeatable; flags override the file's limits:

              mailferry forward --listener imap=143=new.example.org:10143 \\
                  --listener imaps=993=new.example.org:10993 --dry-run
              mailferry forward --config /etc/mailferry/forward.toml

            --dry-run prints what it would listen on and where each port goes, then exits. Running, \
            it stops on SIGTERM or SIGINT: no new connections, open sessions may finish for --grace, \
            the rest are closed; then it prints its counters (--json: one JSON object). SIGHUP is \
            logged and ignored (the configuration is read at start: restart to apply a change).

            Exits 0 when stopped cleanly, 64 on a bad configuration, 74 when it cannot listen.

            \(ExitStatus.helpTable)
            """
    )

    @Option(name: .long, help: "A config file with a [forward] table (see examples/forward.toml).")
    var config: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Forward a port: NAME=LISTEN=UPSTREAM, e.g. imap=0.0.0.0:143=new.example.org:10143. LISTEN may be a port alone (all addresses). Repeatable; adds to the file's.",
            valueName: "name=listen=upstream"))
    var listener: [String] = []

    @Option(name: .long, help: ArgumentHelp("Connections open at once over all ports (default \(ForwardConfiguration.defaultMaxConnections)).", valueName: "n"))
    var maxConnections: Int?

    @Option(name: .long, help: ArgumentHelp("Connections open at once from one client address (default \(ForwardConfiguration.defaultMaxConnectionsPerSource)).", valueName: "n"))
    var maxConnectionsPerSource: Int?

    @Option(name: .long, help: ArgumentHelp("How long the new server may take to accept a connection, e.g. 10s (default 10s).", valueName: "duration"))
    var connectTimeout: String?

    @Option(name: .long, help: ArgumentHelp("Close a connection silent both ways this long, e.g. 35m (default 35m: above IMAP IDLE's 29 minutes).", valueName: "duration"))
    var idleTimeout: String?

    @Option(name: .long, help: ArgumentHelp("How long open sessions may go on after SIGTERM, e.g. 60s (default 60s).", valueName: "duration"))
    var grace: String?

    @Option(name: .long, help: ArgumentHelp("Bytes queued towards one peer before reading from the other pauses (default 262144).", valueName: "bytes"))
    var bufferSize: Int?

    @Flag(name: .long, help: "Print what would be listened on and where it would go; listen on nothing.")
    var dryRun = false

    @Flag(name: .long, help: "Print the plan (--dry-run) or the final counters as JSON.")
    var json = false

    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let settings: ForwardSettings
        do {
            settings = try self.settings()
        } catch {
            FileHandle.standardError.write(Data("mailferry forward: \(error)\n".utf8))
            throw ExitStatus.usage.exitCode
        }
        if dryRun {
            print(json ? ForwardOutput.planJSON(settings) : ForwardOutput.planText(settings), terminator: "")
            return
        }
        var logger = logging.bootstrap()
        // The connection log is the forwarder's product: info unless -q.
        if logger.logLevel > .info && !logging.quiet { logger.logLevel = .info }
        // Trapped before the ports are bound: a SIGTERM as soon as a client can connect must
        // already mean a graceful stop.
        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint)
        let hangup = await HangupNotice(command: "forward", logger: logger)
        let forwarder: Forwarder
        do {
            forwarder = try await Forwarder.start(settings.configuration, logger: logger)
        } catch {
            FileHandle.standardError.write(Data("mailferry forward: \(error)\n".utf8))
            if case .invalidConfiguration = error { throw ExitStatus.usage.exitCode }
            throw ExitStatus.ioError.exitCode
        }
        // Every port is bound: under systemd (Type=notify) the start is complete now.
        SystemdNotify.send("READY=1")
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await hangup.run() }
            for await _ in signals { break }
            group.cancelAll()
        }
        SystemdNotify.send("STOPPING=1")
        let forced = await forwarder.stop(grace: settings.grace)
        print(json ? ForwardOutput.countersJSON(forwarder.counters, closedAtDeadline: forced) : ForwardOutput.countersText(forwarder.counters, closedAtDeadline: forced), terminator: "")
    }

    /// The file's settings (if any), the flags' listeners added and their limits applied.
    func settings() throws -> ForwardSettings {
        var settings = try config.map { path throws(ConfigError) in try ForwardSettings.load(path: path) } ?? ForwardSettings(configuration: .init(listeners: []))
        for text in listener {
            guard let parsed = ForwardConfiguration.Listener.parse(text) else {
                throw ConfigError("--listener \(text): expected NAME=LISTEN=UPSTREAM, e.g. imap=0.0.0.0:143=new.example.org:10143")
            }
            settings.configuration.listeners.append(parsed)
        }
        if let maxConnections { settings.configuration.maxConnections = maxConnections }
        if let maxConnectionsPerSource { settings.configuration.maxConnectionsPerSource = maxConnectionsPerSource }
        if let bufferSize { settings.configuration.bufferSize = bufferSize }
        for (flag, text, keyPath) in [
            ("--connect-timeout", connectTimeout, \ForwardSettings.configuration.connectTimeout),
            ("--idle-timeout", idleTimeout, \ForwardSettings.configuration.idleTimeout), ("--grace", grace, \ForwardSettings.grace),
        ] {
            guard let text else { continue }
            guard let duration = ConfigDuration.parse(text) else { throw ConfigError("\(flag) \(text): not a duration such as 30s, 5m or 1h") }
            settings[keyPath: keyPath] = duration
        }
        try settings.validate(origin: config ?? "command line")
        return settings
    }
}
