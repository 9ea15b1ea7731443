import Cutover
import Foundation
import MailferryConfig
import Synchronization
import Testing

@testable import Migration

/// The forwarder's start and stop on the old host, and the drain's inbound criterion, against
/// scripted hosts.
@Suite struct HostCutoverEffectsForwardTests {
    typealias ScriptedHost = HostCutoverEffectsTests.ScriptedHost
    static let now = 1_800_000_000.0

    func effects(old: ScriptedHost, new: ScriptedHost = ScriptedHost(name: "new"), extra: String = "", journal: ModelJournal = ModelJournal()) throws
        -> HostCutoverEffects
    {
        let config = try #require(try MigrationConfig.parse(CutoverConfigTests.base + extra, origin: "/etc/c.toml").cutover)
        return HostCutoverEffects(
            config: config,
            hosts: CutoverHosts(old: old, new: new, oldPostfix: "/etc/postfix", newPostfix: "/etc/postfix", domains: CutoverDomains(["example.com"])),
            mailboxes: HostCutoverEffectsTests.NoMailboxes(), journal: journal, prover: nil, reportDirectory: "/tmp", now: { Self.now })
    }

    @Test func withoutTheTableNoForwarderRuns() async throws {
        let old = ScriptedHost(name: "old")
        let effects = try effects(old: old)
        #expect(try await effects.perform(.startForward, token: nil) == .done(CutoverResult(detail: "no [cutover.forward]: no forwarder")))
        #expect(try await effects.perform(.stopForward, token: nil) == .done(CutoverResult(detail: "no [cutover.forward]: no forwarder")))
        #expect(old.ran.withLock { $0 }.isEmpty)
    }

    @Test func theUnitStartsOnTheOldHostAndMustStayActive() async throws {
        let old = ScriptedHost(name: "old")
        let effects = try effects(old: old, extra: "[cutover.forward]\nold_address = \"192.0.2.10\"\nlogin_quiet = \"0s\"\n")
        let started = try await effects.perform(.startForward, token: nil)
        #expect(started == .done(CutoverResult(detail: "`systemctl start mailferry-forward.service`; mailferry-forward.service active")))
        #expect(try await effects.perform(.stopForward, token: nil) == .done(CutoverResult(detail: "`systemctl stop mailferry-forward.service`")))
        #expect(old.ran.withLock { $0 } == [["systemctl", "start", "mailferry-forward.service"], ["systemctl", "is-active", "mailferry-forward.service"],
                                           ["systemctl", "stop", "mailferry-forward.service"]])

        // A port still held by Courier: the unit fails right after its start.
        let failing = ScriptedHost(name: "old") { argv, _ in argv.contains("is-active") ? (3, "failed\n") : (0, "") }
        let outcome = try await self.effects(old: failing, extra: "[cutover.forward]\nold_address = \"192.0.2.10\"\n").perform(.startForward, token: nil)
        guard case .failed(let reason) = outcome else { Issue.record("\(outcome)"); return }
        #expect(reason.contains("did not stay up") && reason.contains("failed") && reason.contains("journalctl -u mailferry-forward.service"))
    }

    @Test func configuredCommandsRunInsteadAndAFailureStopsTheStep() async throws {
        let old = ScriptedHost(name: "old") { argv, _ in argv == ["/usr/local/sbin/fwd", "stop"] ? (1, "") : (0, "") }
        let effects = try effects(old: old, extra: """
            [cutover.forward]
            old_address = "192.0.2.10"
            start_command = ["/usr/local/sbin/fwd", "start"]
            stop_command = ["/usr/local/sbin/fwd", "stop"]
            login_quiet = "0s"

            """)
        #expect(try await effects.perform(.startForward, token: nil) == .done(CutoverResult(detail: "`/usr/local/sbin/fwd start`")))
        await #expect(throws: CutoverError.self) { try await effects.perform(.stopForward, token: nil) }
    }

    /// The old log on the scripted host: `stat` and the base64 `dd` read of HostLogReader.
    static func logHost(_ text: String) -> ScriptedHost {
        ScriptedHost(name: "old") { argv, _ in
            if argv.first == "/usr/bin/stat" { return argv.last == "/var/log/mail.log" ? (0, "42 \(text.utf8.count)\n") : (1, "") }
            if argv.first == "/bin/sh" { return (0, Data(text.utf8).base64EncodedString()) }
            if argv.contains("-j") { return (0, "") }
            return (0, "")
        }
    }

    /// Syslog's civil time of `seconds` since 1970 in this process's zone (as the old host
    /// would write it).
    static func syslogTime(_ seconds: Double) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = .current
        formatter.dateFormat = "MMM dd HH:mm:ss"
        return formatter.string(from: Date(timeIntervalSince1970: seconds))
    }

    @Test func theDrainWaitsForQuietAfterTheLastInboundAndStatusShowsIt() async throws {
        let journal = ModelJournal()
        // Switched two days ago: TTL + margin (1 d + 1 h) passed.
        try await journal.append(step: .relayOldToNew, event: .finished(CutoverResult()), at: Self.now - 2 * 86_400)
        let arrived = Self.now - 600
        let log = """
            \(Self.syslogTime(arrived)) mx.old postfix/smtpd[100]: ABC123: client=ext.example[198.51.100.7]
            \(Self.syslogTime(arrived)) mx.old postfix/smtp[103]: ABC123: to=<alice@example.com>, relay=mx.new.test[192.0.2.20]:25, delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as NEW1)

            """
        let extra = "[cutover.drain]\nquiet = \"1h\"\n"
        let withLog = CutoverConfigTests.base.replacingOccurrences(of: "host = \"root@old.example.com\"\n", with: "host = \"root@old.example.com\"\nmail_log = \"/var/log/mail.log\"\n")
        let config = try #require(try MigrationConfig.parse(withLog + extra, origin: "/etc/c.toml").cutover)
        var effects = try effects(old: Self.logHost(log), journal: journal)
        effects.config = config
        effects.inbound = InboundWatch(host: Self.logHost(log), path: "/var/log/mail.log", domains: ["example.com"],
                                       utcOffsetSeconds: Int64(TimeZone.current.secondsFromGMT()))
        let outcome = try await effects.perform(.drainCheck, token: nil)
        guard case .notYet(let detail, _) = outcome else { Issue.record("\(outcome)"); return }
        #expect(detail.contains("last inbound for the domains \(LogInstant(seconds: Int64(arrived))) from ext.example[198.51.100.7]"), "\(detail)")
        #expect(detail.contains("quiet for 3600 s ends in 3000 s"), "\(detail)")

        // Quiet long enough: done, and the detail still names the last inbound.
        effects.config.drain?.quiet = "5m"
        let done = try await effects.perform(.drainCheck, token: nil)
        guard case .done(let result) = done else { Issue.record("\(done)"); return }
        #expect(result.detail.contains("last inbound for the domains"), "\(result.detail)")

        // An old log that does not exist is no evidence of quiet: the drain waits and says so.
        let missing = ScriptedHost(name: "old") { argv, _ in argv.first == "/usr/bin/stat" ? (1, "") : (0, "") }
        effects.inbound = InboundWatch(host: missing, path: "/var/log/mail.log", domains: ["example.com"], utcOffsetSeconds: 0)
        let missingLog = try await effects.perform(.drainCheck, token: nil)
        guard case .notYet(let missingDetail, _) = missingLog else { Issue.record("\(missingLog)"); return }
        #expect(missingDetail.contains("a gap in the log: old:/var/log/mail.log does not exist"), "\(missingDetail)")

        // Without the old log the drain says it does not watch inbound mail.
        var blind = try self.effects(old: Self.logHost(""), journal: journal)
        blind.inbound = nil
        let unwatched = try await blind.perform(.drainCheck, token: nil)
        #expect(unwatched == .done(CutoverResult(detail: "old queue empty, TTL + margin passed; inbound mail not watched (no old.mail_log)")))
    }

    static let forwardTable = "[cutover.forward]\nold_address = \"192.0.2.10\"\nlogin_quiet = \"2h\"\n"

    /// A journal whose switch was two days ago (TTL + margin passed) and whose forwarder
    /// started `started` seconds before now.
    static func drainedJournal(forwarderStarted started: Double) async throws -> ModelJournal {
        let journal = ModelJournal()
        try await journal.append(step: .relayOldToNew, event: .finished(CutoverResult()), at: now - 2 * 86_400)
        try await journal.append(step: .startForward, event: .finished(CutoverResult()), at: now - started)
        return journal
    }

    static func login(_ seconds: Double, user: String, rip: String, lip: String = "192.0.2.10") -> String {
        "\(syslogTime(seconds)) mx.new dovecot: imap-login: Login: user=<\(user)>, method=PLAIN, rip=\(rip), lip=\(lip), mpid=7, TLS, session=<s>\n"
    }

    /// A client that logged in through the forwarder an hour ago keeps the drain (quiet 2 h)
    /// waiting, and the detail names the user and the address; a login straight to the new
    /// host does not count. Without the criterion (the code before it) the drain ended here.
    @Test func theDrainWaitsUntilNoClientLoggedInThroughTheForwarderForTheQuietTime() async throws {
        let journal = try await Self.drainedJournal(forwarderStarted: 86_400)
        let log = Self.login(Self.now - 3_600, user: "alice", rip: "198.51.100.23")
            + Self.login(Self.now - 60, user: "bob", rip: "198.51.100.24", lip: "192.0.2.20")
        let effects = try effects(old: ScriptedHost(name: "old"), new: Self.logHost(log), extra: Self.forwardTable, journal: journal)
        let outcome = try await effects.perform(.drainCheck, token: nil)
        guard case .notYet(let detail, _) = outcome else { Issue.record("\(outcome)"); return }
        #expect(detail.contains("1 login(s) through the forwarder since"), "\(detail)")
        #expect(detail.contains("(alice from 198.51.100.23)"), "\(detail)")
        #expect(detail.contains("quiet for 7200 s ends in 3600 s"), "\(detail)")
        #expect(!detail.contains("bob"), "\(detail)")

        // The forwarder is not stopped either while it is in use.
        let stop = try await effects.perform(.stopForward, token: nil)
        guard case .notYet(let stopDetail, _) = stop else { Issue.record("\(stop)"); return }
        #expect(stopDetail.hasPrefix("the forwarder keeps running: 1 login(s)"), "\(stopDetail)")

        // Quiet long enough: the drain ends and still names who came through.
        var later = try self.effects(old: ScriptedHost(name: "old"), new: Self.logHost(log), extra: Self.forwardTable.replacingOccurrences(of: "2h", with: "30m"),
                                     journal: journal)
        later.inbound = nil
        let done = try await later.perform(.drainCheck, token: nil)
        guard case .done(let result) = done else { Issue.record("\(done)"); return }
        #expect(result.detail.contains("1 login(s) through the forwarder") && result.detail.contains("alice"), "\(result.detail)")
        let stopped = try await later.perform(.stopForward, token: nil)
        #expect(stopped == .done(CutoverResult(detail: "`systemctl stop mailferry-forward.service`")))
    }

    /// No login at all: the quiet time runs from the forwarder's start. A log the new host
    /// does not have is a gap, so the drain waits and says why rather than ending blind.
    @Test func quietCountsFromTheForwardersStartAndAMissingLogKeepsTheDrainWaiting() async throws {
        let recent = try await Self.drainedJournal(forwarderStarted: 600)
        let waiting = try await effects(old: ScriptedHost(name: "old"), new: Self.logHost(""), extra: Self.forwardTable, journal: recent)
            .perform(.drainCheck, token: nil)
        guard case .notYet(let detail, _) = waiting else { Issue.record("\(waiting)"); return }
        #expect(detail.contains("no login through the forwarder since") && detail.contains("ends in 6600 s"), "\(detail)")

        let missing = ScriptedHost(name: "new") { argv, _ in argv.first == "/usr/bin/stat" ? (1, "") : (0, "") }
        let old = try await Self.drainedJournal(forwarderStarted: 86_400)
        let blind = try await effects(old: ScriptedHost(name: "old"), new: missing, extra: Self.forwardTable, journal: old).perform(.drainCheck, token: nil)
        guard case .notYet(let blindDetail, _) = blind else { Issue.record("\(blind)"); return }
        #expect(blindDetail.contains("a gap in the log") && blindDetail.contains("/var/log/mail.log does not exist"), "\(blindDetail)")
    }

    /// A rollback stops the forwarder whatever its logins: the old IMAP services need the ports.
    @Test func aRollbackStopsTheForwarderEvenWhileClientsUseIt() async throws {
        let journal = try await Self.drainedJournal(forwarderStarted: 600)
        try await journal.append(step: nil, event: .rollbackRequested, at: Self.now)
        let log = Self.login(Self.now - 60, user: "alice", rip: "198.51.100.23")
        let stopped = try await effects(old: ScriptedHost(name: "old"), new: Self.logHost(log), extra: Self.forwardTable, journal: journal)
            .perform(.stopForward, token: nil)
        #expect(stopped == .done(CutoverResult(detail: "`systemctl stop mailferry-forward.service`")))
    }
}
