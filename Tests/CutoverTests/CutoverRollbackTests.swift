import Cutover
import Foundation
import MailTestSupport
import Migration
import StateStore
import Testing

/// `cutover rollback` from the switch on two private Postfix instances: the old server holds
/// again before the new one relays back, and the rollback stops (safely) at the copy back,
/// which is not built. (From the hold the rollback is RestorePlan, whose effect on a real
/// Postfix is PostfixSwitchTests.restoreDeliversTheHeldMailLocallyAndPutsTheSettingsBack.)
@Suite(.serialized, .tags(.integration), .enabled(if: PrivatePostfix.canRun, "needs root and Debian's postfix package"))
struct CutoverRollbackTests {
    struct Setup {
        var runner: CutoverRunner<ContinuousClock>
        var state: String
    }

    func setup(old: PrivatePostfix, new: PrivatePostfix, relayBackFlag: String) throws -> Setup {
        let state = NSTemporaryDirectory() + "mailferry-rollback-\(UUID().uuidString.prefix(8))"
        let text = """
            [source]
            url = "maildir:\(old.mailRoot)/{user}"
            [destination]
            url = "maildir:\(new.mailRoot)/{user}"
            [[accounts]]
            user = "alice"
            [cutover]
            domains = ["\(PrivatePostfix.domain)"]
            [cutover.old]
            host = "local"
            postfix = "\(old.configDirectory)"
            stop_imap_command = ["/bin/true"]
            start_imap_command = ["/bin/true"]
            [cutover.new]
            postfix = "\(new.configDirectory)"
            relay_host = "\(new.address)"
            relay_port = \(new.port)
            deliver_locally_command = ["/bin/true"]
            relay_to_old_command = ["/usr/bin/touch", "\(relayBackFlag)"]
            close_logins_command = ["/bin/true"]
            open_logins_command = ["/bin/true"]
            """
        let cutover = try #require(try MigrationConfig.parse(text, origin: "/rollback.toml").cutover)
        let journal = StateCutoverJournal(store: try SQLiteStateStore(directory: state), run: PrivatePostfix.domain)
        let effects = HostCutoverEffects(
            config: cutover,
            hosts: CutoverHosts(old: LocalHost(name: "old"), new: LocalHost(name: "new"), oldPostfix: old.configDirectory,
                                newPostfix: new.configDirectory, domains: CutoverDomains(cutover.domains)),
            mailboxes: MaildirCopyMailboxes(oldRoot: old.mailRoot, newRoot: new.mailRoot, users: PrivatePostfix.users),
            journal: journal, prover: nil, reportDirectory: state, now: { Date().timeIntervalSince1970 })
        let runner = CutoverRunner(machine: CutoverMachine(), journal: journal, effects: effects, clock: ContinuousClock(),
                                   now: { Date().timeIntervalSince1970 }, makeToken: { UUID().uuidString })
        return Setup(runner: runner, state: state)
    }

    @Test func fromTheSwitchTheOldServerHoldsAgainBeforeTheNewOneRelaysBack() async throws {
        try await PrivatePostfix.with("rb-switch-new", hostname: "mx.new.cutover.test") { new in
            try await PrivatePostfix.with("rb-switch-old", hostname: "mx.old.cutover.test") { old in
                let flag = NSTemporaryDirectory() + "mailferry-relay-back-\(UUID().uuidString.prefix(8))"
                defer { try? FileManager.default.removeItem(atPath: flag) }
                let setup = try setup(old: old, new: new, relayBackFlag: flag)
                defer { try? FileManager.default.removeItem(atPath: setup.state) }
                #expect(try await setup.runner.run { $0 < .open } == .paused(before: .open))
                try? FileManager.default.removeItem(atPath: flag)  // the mirror phase's relay-new-to-old ran it
                try old.sendSMTP(to: "alice@\(PrivatePostfix.domain)", subject: "relayed after the switch")
                try await new.waitFor("the relayed message in the new store") { new.delivered(to: "alice").count == 1 }

                #expect(try await setup.runner.requestRollback() == nil)
                let outcome = try await setup.runner.run()
                guard case .stopped(let step, let reason) = outcome else { Issue.record("\(outcome)"); return }
                #expect(step == .rollbackCopyBack, "\(reason)")
                #expect(FileManager.default.fileExists(atPath: flag), "the new side relays to the old one again")
                // The old server holds again: new mail is accepted and kept, neither relayed nor delivered.
                #expect(try old.sendSMTP(to: "bob@\(PrivatePostfix.domain)", subject: "after the rollback began").hasPrefix("250"))
                try await old.waitFor("the message held") { try await old.postfix.queue().contains { $0.queueName == "hold" } }
                #expect(old.delivered(to: "bob").isEmpty && new.delivered(to: "bob").isEmpty)
                let records = try await setup.runner.journal.records()
                let order = records.compactMap { record -> CutoverStep? in
                    guard case .finished = record.event, record.step?.phase == .rollback else { return nil }
                    return record.step
                }
                #expect(order == [.rollbackHoldOld, .rollbackRelayNewToOld])
            }
        }
    }
}
