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

    func effects(old: ScriptedHost, extra: String = "", journal: ModelJournal = ModelJournal()) throws -> HostCutoverEffects {
        let config = try #require(try MigrationConfig.parse(CutoverConfigTests.base + extra, origin: "/etc/c.toml").cutover)
        let new = ScriptedHost(name: "new")
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
        let effects = try effects(old: old, extra: "[cutover.forward]\nold_address = \"192.0.2.10\"\n")
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

        // Without the old log the drain says it does not watch inbound mail.
        var blind = try self.effects(old: Self.logHost(""), journal: journal)
        blind.inbound = nil
        let unwatched = try await blind.perform(.drainCheck, token: nil)
        #expect(unwatched == .done(CutoverResult(detail: "old queue empty, TTL + margin passed; inbound mail not watched (no old.mail_log)")))
    }
}
