import Cutover
import Foundation
import MailferryConfig
import MailTestSupport
import Migration
import PostfixControl
import Synchronization
import Testing

/// The old host driven over a real OpenSSH connection, and that connection cut in every
/// phase that talks to the old host: right after a command took effect there, before its
/// answer came back (the worst moment: the change is made, mailferry cannot know it). Each
/// cut stops the step with an error that names ssh, the journal records the failure and
/// nothing else, and running again resumes: the hold and the rollback's restore are applied
/// once in effect, the backup keeps the settings from before the cutover, and the mail held
/// meanwhile is delivered once.
@Suite(.serialized, .tags(.integration), .enabled(if: PrivateSSHDaemon.canRun && PrivatePostfix.canRun, "needs root, openssh-server and postfix"))
struct CutoverSSHCutTests {
    /// Where to cut: the step it must stop, and the command on the old host after which the
    /// connection goes.
    struct Cut: Sendable {
        var step: CutoverStep
        var after: @Sendable ([String]) -> Bool
    }

    @Test func theConnectionCutInEachPhaseStopsTheStepAndAResumeCompletesTheRollback() async throws {
        try await PrivateSSHDaemon.with { daemon in
            try await PrivatePostfix.with("sshcut-old", hostname: "mx.old.cutover.test") { old in
                let state = "\(daemon.directory)/state"
                let newPostfix = "\(daemon.directory)/new-postfix"
                let newMail = "\(daemon.directory)/new-mail"
                for directory in [state, newPostfix, newMail] { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
                // The new side is only read (`postconf -h myhostname`): a config, no instance.
                try "myhostname = mx.new.cutover.test\n".write(toFile: "\(newPostfix)/main.cf", atomically: true, encoding: .utf8)
                try FileManager.default.copyItem(atPath: "/etc/postfix/master.cf", toPath: "\(newPostfix)/master.cf")
                for index in 0..<2 { try await old.sendSMTP(to: "\(PrivatePostfix.users[index])@\(PrivatePostfix.domain)", subject: "before-\(index)") }
                try await old.waitFor("mail in the old store") { PrivatePostfix.users.allSatisfy { old.delivered(to: $0).count == 1 } }
                let original = try await old.postfix.explicitSettings()

                let cuts = [
                    Cut(step: .testRelay) { _ in true },
                    Cut(step: .stopOldIMAP) { $0 == ["/bin/echo", "stop-imap"] },
                    // A main.cf edit is one `sh -c` (stat, postconf, chown and chmod, touch).
                    Cut(step: .enterHold) { $0.first == "/bin/sh" && $0.contains("/usr/sbin/postconf") && $0.contains("-e") },
                    Cut(step: .finalSync) { $0.first == "/bin/sh" && $0.last?.hasSuffix("cutover-final-delta.marker") == true },
                    Cut(step: .rollbackRestoreOld) { $0.first == "/bin/sh" && $0.contains("/usr/sbin/postconf") && ($0.contains("-e") || $0.contains("-X")) },
                    Cut(step: .rollbackRestoreOld) { $0.first == "/usr/sbin/postsuper" },
                ]
                let oldHost = CuttingHost(inner: daemon.host(), daemon: daemon, cuts: cuts)
                var config = CutoverTestConfig(oldMail: old.mailRoot, newMail: newMail, oldPostfix: old.configDirectory, newPostfix: newPostfix)
                config.state = state
                config.oldHost = daemon.destination
                config.sshOptions = daemon.sshOptions
                config.oldMailRoot = old.mailRoot
                config.stopIMAP = ["/bin/echo", "stop-imap"]
                config.startIMAP = ["/bin/echo", "start-imap"]
                let runner = try makeRunner(state: state, config: config.text, old: old, oldHost: oldHost, newPostfix: newPostfix, newMail: newMail)

                // Forward to the switch, which is not entered: each run stops at the next cut.
                for cut in cuts.prefix(4) {
                    let outcome = try await runner.run { $0 < .switchover }
                    try await expectStopped(outcome, at: cut.step, runner: runner)
                }
                #expect(try await runner.run { $0 < .switchover } == .paused(before: .switchover))
                #expect(oldHost.cutsLeft == 2)

                // In the hold, applied once although its step ran twice.
                let held = try await old.postfix.explicitSettings()
                let restrictions = held["smtpd_recipient_restrictions"] ?? ""
                #expect(restrictions.components(separatedBy: "check_recipient_access").count - 1 == 1, "\(restrictions)")
                #expect((held["transport_maps"] ?? "").components(separatedBy: "cutover-transport.regexp").count - 1 == 1, "\(held)")
                #expect(try await old.postfix.cutoverBackup()?.postfix.explicitSettings == original, "the backup holds the settings from before")
                try await old.sendSMTP(to: "bob@\(PrivatePostfix.domain)", subject: "held over ssh")
                try await old.waitFor("the message held") { try await old.postfix.queue().contains { $0.queueName == "hold" } }

                #expect(try await runner.requestRollback() == nil)
                for cut in cuts.suffix(2) {
                    try await expectStopped(try await runner.run(), at: cut.step, runner: runner)
                }
                #expect(try await runner.run() == .rolledBack)
                #expect(oldHost.cutsLeft == 0)

                #expect(try await old.postfix.explicitSettings() == original, "the old Postfix as before the cutover")
                try await old.waitFor("the held message delivered in the old store") { old.delivered(to: "bob").count == 2 }
                let bob = old.delivered(to: "bob").map { (try? String(contentsOfFile: "\(old.mailRoot)/bob/\($0)", encoding: .utf8)) ?? "" }
                #expect(bob.filter { $0.contains("Subject: held over ssh") }.count == 1, "\(bob)")
                #expect(try await old.postfix.queue().isEmpty)
                let kept = try FileManager.default.contentsOfDirectory(atPath: old.postfix.mailferryDirectory).filter { $0.hasPrefix("cutover-backup-restored-") }
                #expect(kept.count == 1, "\(kept)")
                let backup = try JSONDecoder().decode(CutoverBackup.self, from: Data(contentsOf: URL(fileURLWithPath: "\(old.postfix.mailferryDirectory)/\(kept[0])")))
                #expect(backup.postfix.explicitSettings == original)

                // Every step finished once, however often it was cut.
                let finished = try await runner.journal.records().compactMap { record -> String? in
                    guard case .finished = record.event else { return nil }
                    return record.step?.name
                }
                #expect(finished == ["close-new-logins", "relay-new-to-old", "check-mirror", "test-relay", "presync-1", "stop-old-imap", "enter-hold",
                                     "verify-hold", "purge-mirror-copies", "quiet-store", "final-sync", "verify", "rollback-restore-old",
                                     "rollback-start-old-imap"])
                try await daemon.host().close()
            }
        }
    }

    func makeRunner(state: String, config: String, old: PrivatePostfix, oldHost: CuttingHost, newPostfix: String,
                newMail: String) throws -> CutoverRunner<ContinuousClock> {
        try config.write(toFile: "\(state)/cutover.toml", atomically: true, encoding: .utf8)
        let session = try CutoverSession.open(configPath: "\(state)/cutover.toml")
        let effects = HostCutoverEffects(
            config: session.cutover,
            hosts: CutoverHosts(old: oldHost, new: LocalHost(name: "new"), oldPostfix: old.configDirectory, newPostfix: newPostfix,
                                domains: CutoverDomains(session.cutover.domains)),
            mailboxes: MaildirCopyMailboxes(oldRoot: old.mailRoot, newRoot: newMail, users: PrivatePostfix.users),
            journal: session.journal, prover: nil, reportDirectory: state, now: { Date().timeIntervalSince1970 })
        return CutoverRunner(machine: session.machine, journal: session.journal, effects: effects, clock: ContinuousClock(),
                             now: { Date().timeIntervalSince1970 }, makeToken: { UUID().uuidString })
    }

    /// The run stopped at `step` because ssh lost the connection, and the journal's last two
    /// records are that step's start and its failure with the same reason.
    func expectStopped(_ outcome: CutoverRunner<ContinuousClock>.Outcome, at step: CutoverStep, runner: CutoverRunner<ContinuousClock>,
                       sourceLocation: SourceLocation = #_sourceLocation) async throws {
        guard case .stopped(let stopped, let reason) = outcome else {
            Issue.record("expected a stop at \(step), got \(outcome)", sourceLocation: sourceLocation)
            return
        }
        #expect(stopped == step, sourceLocation: sourceLocation)
        #expect(reason.contains("root@127.0.0.1: cannot run") && reason.contains("ssh: "), "\(reason)", sourceLocation: sourceLocation)
        let last = try await runner.journal.records().suffix(2)
        #expect(last.map(\.step) == [step, step], sourceLocation: sourceLocation)
        #expect(last.last?.event == .failed(reason: reason), sourceLocation: sourceLocation)
    }
}

/// The old host over ssh, with the connection cut at chosen commands: the command runs on
/// the host, its shell then says so and waits, and the test kills the connection's sshd
/// processes (and that shell) by pid, so the answer never comes back.
final class CuttingHost: Cutover.Host {
    let inner: SSHHost
    let daemon: PrivateSSHDaemon
    private let cuts: Mutex<[CutoverSSHCutTests.Cut]>

    init(inner: SSHHost, daemon: PrivateSSHDaemon, cuts: [CutoverSSHCutTests.Cut]) {
        self.inner = inner
        self.daemon = daemon
        self.cuts = Mutex(cuts)
    }

    var name: String { inner.name }
    var cutsLeft: Int { cuts.withLock { $0.count } }

    func run(_ command: HostCommand) async throws -> CommandOutput {
        let cut = cuts.withLock { queue in
            guard let first = queue.first, first.after(command.argv) else { return false }
            queue.removeFirst()
            return true
        }
        guard cut else { return try await inner.run(command) }
        let flag = "\(daemon.directory)/cut-\(UUID().uuidString)"
        let wrapped = HostCommand(["/bin/sh", "-c", #""$@"; touch "$0"; exec tail -f /dev/null"#, flag] + command.argv,
                                  input: command.input, timeout: command.timeout)
        async let answer = inner.run(wrapped)
        _ = try await DirectoryWatch.until("\(command) to run before the cut", in: daemon.directory) {
            FileManager.default.fileExists(atPath: flag) ? true : nil
        }
        #expect(!daemon.cutConnections().isEmpty)
        let result: Result<CommandOutput, any Error>
        do { result = .success(try await answer) } catch { result = .failure(error) }
        // ssh's master notices the connection is gone and removes its socket; the next
        // command then opens a new connection rather than asking the dying master.
        _ = try await DirectoryWatch.until("ssh's master to exit", in: daemon.directory) {
            ((try? FileManager.default.contentsOfDirectory(atPath: daemon.directory)) ?? []).allSatisfy { !$0.hasPrefix("control-") } ? true : nil
        }
        return try result.get()
    }

    func writeFile(_ path: String, _ bytes: [UInt8], permissions: Int) async throws {
        try await inner.writeFile(path, bytes, permissions: permissions)
    }

    func readFile(_ path: String) async throws -> [UInt8]? { try await inner.readFile(path) }
    func removeFile(_ path: String) async throws { try await inner.removeFile(path) }
}
