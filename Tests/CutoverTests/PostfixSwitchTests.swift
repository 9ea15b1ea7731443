import Cutover
import Foundation
import MailTestSupport
import Testing

/// Leaving the hold on a real Postfix 3.7: the switch to the new server, the rollback, and
/// the loop check (private instances, see ``PrivatePostfix``).
@Suite(.serialized, .tags(.integration), .enabled(if: PrivatePostfix.canRun, "needs root and Debian's postfix package"))
struct PostfixSwitchTests {
    let domains = CutoverDomains([PrivatePostfix.domain])

    func enterHold(_ old: PrivatePostfix) async throws {
        try await old.postfix.apply(HoldPlan(domains: domains).plan(
            current: try await old.postfix.explicitSettings(), mailferryDirectory: old.postfix.mailferryDirectory))
    }

    /// A stale mail client's submission to the old host's 587 during the hold: Debian's
    /// submission service overrides `smtpd_recipient_restrictions`, so smtpd's HOLD never sees
    /// it; it is accepted, routed to the hold transport and deferred (a flush included), and
    /// relayed with the held mail at the switch.
    @Test func relayReleasesTheHeldMailToTheNewServerInOneReload() async throws {
        try await PrivatePostfix.with("new", hostname: "mx.new.cutover.test") { new in
            try await PrivatePostfix.with("old", hostname: "mx.old.cutover.test") { old in
                let submission = try await old.addSubmissionService()
                defer { submission.release() }
                try await enterHold(old)
                try await old.waitForListener(on: submission.port, "the submission listener")
                try await old.sendSMTP(to: "alice@store.test", subject: "held smtp")
                try await old.sendLocal(to: "bob@store.test", subject: "held sendmail")
                try await old.sendSubmission(port: submission.port, to: "alice@store.test", subject: "submitted during the hold")
                try await old.waitFor("the local submission and the 587 one deferred") { old.logLines(containing: "relay=mailferry-hold").count >= 2 }
                // The pipe logs the deferral before qmgr moves the file to the deferred queue,
                // and pickup removes its maildrop file only after cleanup answers: wait until
                // the queue holds what it will hold, so the listing below is not mid-move.
                try await old.waitFor("the queue to settle: one held, two deferred") {
                    try await old.postfix.queue().map(\.queueName).sorted() == ["deferred", "deferred", "hold"]
                }
                let held = try await old.postfix.queue()
                #expect(held.count == 3, "\(held)")
                #expect(held.filter { $0.queueName == "hold" }.count == 1, "only port 25's smtpd holds: \(held)")
                // A flush delivers nothing into the frozen store: the hold transport defers again.
                let deferrals = old.logLines(containing: "relay=mailferry-hold").count
                try await old.postfix.host.check(["/usr/sbin/postqueue", "-c", old.configDirectory, "-f"])
                try await old.waitFor("the flush's attempts deferred") { old.logLines(containing: "relay=mailferry-hold").count >= deferrals + 2 }
                try await old.waitFor("the queue to settle again") {
                    try await old.postfix.queue().map(\.queueName).sorted() == ["deferred", "deferred", "hold"]
                }
                #expect(old.delivered(to: "alice").isEmpty && old.delivered(to: "bob").isEmpty)

                let backup = try #require(try await old.postfix.cutoverBackup())
                let relay = RelayPlan(domains: domains, host: new.address, port: new.port)
                let outcome = try await old.postfix.apply(relay.plan(backup: backup))
                print("relay reload took \(outcome.reloads)")
                #expect(outcome.reloads.count == 1)
                #expect(outcome.released == held.filter { $0.queueName == "hold" }.map(\.queueID))
                #expect(Set(outcome.retried) == Set(held.map(\.queueID)))
                try await new.waitFor("the three messages in the new store") {
                    new.delivered(to: "alice").count == 2 && new.delivered(to: "bob").count == 1
                }
                #expect(old.delivered(to: "alice").isEmpty && old.delivered(to: "bob").isEmpty)
                try await old.waitFor("the old queue empty") { try await old.postfix.queue().isEmpty }
                #expect(old.logLines(containing: "relay=\(new.address)[\(new.address)]:\(new.port)").filter { $0.contains("status=sent") }.count == 3)
                #expect(try await old.postfix.value("smtpd_recipient_restrictions").isEmpty)
                #expect(try await old.postfix.value("soft_bounce") == "yes")
                #expect(try await old.postfix.service("mailferry-hold") == nil)

                // New mail after the switch goes straight through.
                try await old.sendSMTP(to: "alice@store.test", subject: "after the switch")
                try await new.waitFor("the relayed message") { new.delivered(to: "alice").count == 3 }
            }
        }
    }

    @Test func restoreDeliversTheHeldMailLocallyAndPutsTheSettingsBack() async throws {
        try await PrivatePostfix.with("restore", hostname: "mx.old.cutover.test") { old in
            let submission = try await old.addSubmissionService()
            defer { submission.release() }
            let before = try await old.postfix.explicitSettings()
            let masterBefore = try String(contentsOfFile: "\(old.configDirectory)/master.cf", encoding: .utf8)
            try await enterHold(old)
            try await old.sendSMTP(to: "alice@store.test", subject: "held, then home again")
            try await old.sendLocal(to: "bob@store.test", subject: "deferred, then home again")
            try await old.waitForListener(on: submission.port, "the submission listener")
            try await old.sendSubmission(port: submission.port, to: "bob@store.test", subject: "submitted on 587 during the hold")
            try await old.waitFor("the local submission and the 587 one deferred") { old.logLines(containing: "relay=mailferry-hold").count >= 2 }

            let backup = try #require(try await old.postfix.cutoverBackup())
            let plan = RestorePlan(domains: domains).plan(backup: backup)
            print(plan.render(for: old.postfix))
            let outcome = try await old.postfix.apply(plan, now: 4242)
            #expect(outcome.released.count == 1)
            try await old.waitFor("all three delivered to the old store") {
                old.delivered(to: "alice").count == 1 && old.delivered(to: "bob").count == 2
            }
            #expect(try await old.postfix.explicitSettings() == before)
            #expect(try String(contentsOfFile: "\(old.configDirectory)/master.cf", encoding: .utf8) == masterBefore)
            #expect(try await old.postfix.cutoverBackup() == nil)
            #expect(FileManager.default.fileExists(atPath: "\(old.postfix.mailferryDirectory)/cutover-backup-restored-4242.json"))
            let files = try FileManager.default.contentsOfDirectory(atPath: old.postfix.mailferryDirectory)
            #expect(!files.contains { $0.hasPrefix("cutover-hold") || $0.hasPrefix("cutover-transport") })
            await #expect(throws: CutoverError.self) { try await old.postfix.apply(RestorePlan(domains: domains).plan(backup: backup)) }
        }
    }

    /// smtp(8) checks the peer's EHLO name only when it connects to port 25, so the twin
    /// listens on 127.0.0.x:25 (an address no other test uses).
    @Test func equalHostnamesAreALoopForSMTPAndTheCheckCatchesThem() async throws {
        let twinAddress = "127.0.\(Int.random(in: 100...199)).\(Int.random(in: 2...250))"
        print("twin listens on \(twinAddress):25")
        try await PrivatePostfix.with("twin", hostname: "mx.old.cutover.test", address: twinAddress, port: 25) { twin in
            try await PrivatePostfix.with("old", hostname: "mx.old.cutover.test") { old in
                try await PrivatePostfix.with("new", hostname: "mx.new.cutover.test") { new in
                    let same = try await HostnameCheck.distinct(old: old.postfix, new: twin.postfix)
                    #expect(!same.passed)
                    #expect(try await HostnameCheck.distinct(old: old.postfix, new: new.postfix).passed)
                }
                try await enterHold(old)
                try await old.sendSMTP(to: "alice@store.test", subject: "would loop")
                let backup = try #require(try await old.postfix.cutoverBackup())
                try await old.postfix.apply(RelayPlan(domains: domains, host: twinAddress).plan(backup: backup))
                try await old.waitFor("smtp(8) to refuse the twin") { !old.logLines(containing: "loops back to myself").isEmpty }
                let line = try #require(old.logLines(containing: "loops back to myself").first)
                // soft_bounce (set by the relay plan) keeps the message instead of bouncing it.
                #expect(line.contains("status=SOFTBOUNCE"))
                #expect(twin.delivered(to: "alice").isEmpty)
                #expect(try await old.postfix.queue().count == 1)
            }
        }
    }
}

extension PrivatePostfix {
    /// A submission service as Debian's master.cf template has it: its own
    /// `smtpd_recipient_restrictions` (here `permit_mynetworks,reject`: the test has no SASL),
    /// which replace main.cf's, so the hold's `check_recipient_access` never runs there. Active
    /// from the next reload; the returned port stays reserved until released.
    func addSubmissionService() async throws -> ReservedPort {
        let port = try ReservedPort(address: address)
        try await postfix.host.check(["/usr/sbin/postconf", "-c", configDirectory, "-M",
                                      "\(address):\(port.port)/inet=\(address):\(port.port) inet n - n - - smtpd -o syslog_name=postfix/submission "
                                          + "-o smtpd_recipient_restrictions=permit_mynetworks,reject"])
        return port
    }

    /// Sends one message to the submission service on `port`.
    func sendSubmission(port: Int, to recipient: String, subject: String) async throws {
        let session = try await SMTPTestSession(TestbedEndpoint(host: address, port: port))
        let reply = try await session.send(from: "alice@store.test", to: [recipient],
                                     message: "From: alice@store.test\nTo: \(recipient)\nSubject: \(subject)\n\n\(subject)\n")
        try await session.quit()
        #expect(reply.hasPrefix("250"), "the submission service accepts during the hold: \(reply)")
    }
}
