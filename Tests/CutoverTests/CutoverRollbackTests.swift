import Cutover
import Foundation
import MailferryConfig
import MailTestSupport
import Migration
import StateStore
import Testing

/// `cutover plan` and `cutover rollback` from the switch on two private Postfix instances: the old server holds
/// again before the new one relays back, the mail the new side took since the switch is
/// copied back into the old store, and the held mail is delivered there. (From the hold the rollback is RestorePlan, whose effect on a real
/// Postfix is PostfixSwitchTests.restoreDeliversTheHeldMailLocallyAndPutsTheSettingsBack.)
@Suite(.serialized, .tags(.integration), .enabled(if: PrivatePostfix.canRun, "needs root and Debian's postfix package"))
struct CutoverRollbackTests {
    struct Setup {
        var runner: CutoverRunner<ContinuousClock>
        var session: CutoverSession
        var state: String
    }

    func setup(old: PrivatePostfix, new: PrivatePostfix, relayBackFlag: String) throws -> Setup {
        let state = NSTemporaryDirectory() + "mailferry-rollback-\(UUID().uuidString.prefix(8))"
        var config = PrivatePostfix.cutoverConfig(old: old, new: new)
        config.state = state
        config.oldMailLog = nil
        config.newMailLog = nil
        config.relayToOld = ["/usr/bin/touch", relayBackFlag]
        let text = config.text
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        try text.write(toFile: "\(state)/cutover.toml", atomically: true, encoding: .utf8)
        let session = try CutoverSession.open(configPath: "\(state)/cutover.toml")
        let cutover = session.cutover
        let journal = session.journal
        let effects = HostCutoverEffects(
            config: cutover,
            hosts: CutoverHosts(old: LocalHost(name: "old"), new: LocalHost(name: "new"), oldPostfix: old.configDirectory,
                                newPostfix: new.configDirectory, domains: CutoverDomains(cutover.domains)),
            mailboxes: MaildirCopyMailboxes(oldRoot: old.mailRoot, newRoot: new.mailRoot, users: PrivatePostfix.users),
            journal: journal, prover: nil, reportDirectory: state, now: { Date().timeIntervalSince1970 })
        let runner = CutoverRunner(machine: CutoverMachine(), journal: journal, effects: effects, clock: ContinuousClock(),
                                   now: { Date().timeIntervalSince1970 }, makeToken: { UUID().uuidString })
        return Setup(runner: runner, session: session, state: state)
    }

    /// One pair of instances for two things, to keep the suite's time down: first the plan
    /// (it only reads), then the cutover up to open and the rollback.
    @Test func planOnlyReadsThenRollbackFromTheSwitchHoldsBeforeRelayingBack() async throws {
        try await PrivatePostfix.with("rb-switch-new", hostname: "mx.new.cutover.test") { new in
            try await PrivatePostfix.with("rb-switch-old", hostname: "mx.old.cutover.test") { old in
                let flag = NSTemporaryDirectory() + "mailferry-relay-back-\(UUID().uuidString.prefix(8))"
                defer { try? FileManager.default.removeItem(atPath: flag) }
                let setup = try setup(old: old, new: new, relayBackFlag: flag)
                defer { try? FileManager.default.removeItem(atPath: setup.state) }
                try await checkThePlanOnlyReads(setup.session, old: old, new: new)
                let upToOpen = try await setup.runner.run { $0 < .open }
                #expect(upToOpen == .paused(before: .open), "\(upToOpen); \(old.logLines(containing: "fatal"))")
                try? FileManager.default.removeItem(atPath: flag)  // the mirror phase's relay-new-to-old ran it
                try await old.sendSMTP(to: "alice@\(PrivatePostfix.domain)", subject: "relayed after the switch")
                try await new.waitFor("the relayed message in the new store") { new.delivered(to: "alice").count == 1 }

                #expect(try await setup.runner.requestRollback() == nil)
                var runner = setup.runner
                runner.effects = HoldProbe(inner: setup.runner.effects, old: old, new: new)
                let outcome = try await runner.run()
                #expect(outcome == .rolledBack, "\(outcome)")
                #expect(FileManager.default.fileExists(atPath: flag), "the new side relays to the old one again")
                func contents(_ user: String) -> [String] {
                    old.delivered(to: user).map { (try? String(contentsOfFile: "\(old.mailRoot)/\(user)/\($0)", encoding: .utf8)) ?? "" }
                }
                let alice = contents("alice")
                #expect(alice.filter { $0.contains("Subject: relayed after the switch") }.count == 1, "copied back: \(alice)")
                // The restore releases the held message and has it tried at once (postqueue -i);
                // local(8) delivers it a moment later, so the test waits for the file.
                try await old.waitFor("the held message delivered locally once the old Postfix is restored", timeout: .seconds(60)) {
                    contents("bob").contains { $0.contains("Subject: after the rollback began") }
                }
                #expect(contents("bob").filter { $0.contains("Subject: after the rollback began") }.count == 1, "delivered once")
                #expect(new.delivered(to: "bob").isEmpty)
                let records = try await setup.runner.journal.records()
                let order = records.compactMap { record -> CutoverStep? in
                    guard case .finished = record.event, record.step?.phase == .rollback else { return nil }
                    return record.step
                }
                #expect(order == [.rollbackHoldOld, .rollbackRelayNewToOld, .rollbackCopyBack, .rollbackRestoreOld, .rollbackStartOldIMAP])
            }
        }
    }

    /// `cutover plan`: every command it runs is a query, main.cf and master.cf stay byte for
    /// byte, and its checks see what is configured (the alias check's parsing is
    /// AliasCheckTests'; the private instances have no alias_maps).
    func checkThePlanOnlyReads(_ session: CutoverSession, old: PrivatePostfix, new: PrivatePostfix) async throws {
        let transcript = CommandTranscript()
        let hosts = CutoverHosts(old: LocalHost(name: "old", log: transcript), new: LocalHost(name: "new", log: transcript),
                                 oldPostfix: old.configDirectory, newPostfix: new.configDirectory,
                                 domains: CutoverDomains([PrivatePostfix.domain]))
        let files = [old.configDirectory, new.configDirectory].flatMap { ["\($0)/main.cf", "\($0)/master.cf"] }
        let before = files.map { FileManager.default.contents(atPath: $0) }

        let report = try await CutoverPlanner(session: session, hosts: hosts).plan()

        #expect(files.map { FileManager.default.contents(atPath: $0) } == before)
        #expect(!FileManager.default.fileExists(atPath: old.postfix.mailferryDirectory), "nothing written on the old host")
        for argv in transcript.outputs.map(\.command.argv) {
            let query = argv.first == "/usr/sbin/postconf" && (argv.contains("-n") || argv.contains("-h") || argv.contains("-M") && !argv.last!.contains("="))
            #expect(query, "plan ran a command that is not a query: \(argv)")
        }
        let checks = Dictionary(uniqueKeysWithValues: report.checks.map { ($0.name, $0) })
        #expect(checks["distinct myhostname"]?.passed == true)
        #expect(checks["no pipe, file or :include: alias"]?.passed == true)
        #expect(checks["old Postfix bcc's to the mirror"]?.passed == false, "no mirror on the private instance: no-go")
        #expect(!report.go)
        let hold = try #require(report.steps.first { $0.step == "enter-hold" })
        #expect(hold.commands.contains { $0.contains("/usr/sbin/postconf -c \(old.configDirectory) -e") && $0.contains("check_recipient_access") })
        let relay = try #require(report.steps.first { $0.step == "relay-old-to-new" })
        #expect(relay.commands.contains { $0.contains("relay:[\(new.address)]:\(new.port)") })
        #expect(report.rollbackSteps.isEmpty && report.rollbackRefusal == nil)
    }
}

/// Just before the copy-back (the old server holds, the new one relays to it again), a
/// message to the old server is accepted and kept in its hold queue, neither relayed nor
/// delivered: the order that keeps mail from ping-ponging between the hosts.
struct HoldProbe: CutoverEffects {
    let inner: any CutoverEffects
    let old: PrivatePostfix
    let new: PrivatePostfix

    func perform(_ step: CutoverStep, token: String?) async throws -> CutoverStepOutcome {
        if step == .rollbackCopyBack {
            let reply = try await old.sendSMTP(to: "bob@\(PrivatePostfix.domain)", subject: "after the rollback began")
            guard reply.hasPrefix("250") else { return .failed(reason: "the old server refused: \(reply)") }
            try await old.waitFor("the message held") { try await old.postfix.queue().contains { $0.queueName == "hold" } }
            guard old.delivered(to: "bob").isEmpty, new.delivered(to: "bob").isEmpty else {
                return .failed(reason: "the message was delivered during the rollback's hold")
            }
        }
        return try await inner.perform(step, token: token)
    }

    func happened(_ step: CutoverStep, token: String) async throws -> Bool { try await inner.happened(step, token: token) }
}
