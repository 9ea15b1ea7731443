import Cutover
import Foundation
import MailTestSupport
import PostfixControl
import Testing

/// The hold on a real Postfix 3.7 (a private instance per test, see ``PrivatePostfix``).
@Suite(.serialized, .tags(.integration), .enabled(if: PrivatePostfix.canRun, "needs root and Debian's postfix package"))
struct PostfixHoldTests {
    let domains = CutoverDomains([PrivatePostfix.domain])

    @Test func heldMailIsAcceptedAndNoFlushDeliversIt() async throws {
        try await PrivatePostfix.with("hold", hostname: "mx.old.cutover.test") { old in
            try await old.sendSMTP(to: "alice@store.test", subject: "before the hold")
            try await old.waitFor("delivery before the hold") { old.delivered(to: "alice").count == 1 }

            let outcome = try await old.postfix.apply(HoldPlan(domains: domains).plan(
                current: try await old.postfix.explicitSettings(), mailferryDirectory: old.postfix.mailferryDirectory))
            #expect(outcome.reloads.count == 1)
            print("hold reload took \(outcome.reloads)")
            let checks = try await old.postfix.verifyHold(domains)
            #expect(checks.filter { !$0.passed }.isEmpty, "\(checks)")

            let reply = try await old.sendSMTP(to: "alice@store.test", subject: "during the hold, smtp")
            #expect(reply.hasPrefix("250"))
            try await old.sendLocal(to: "bob@store.test", subject: "during the hold, sendmail")
            try await old.waitFor("the local submission deferred by the hold service") {
                old.logLines(containing: "relay=mailferry-hold").count >= 1
            }
            // The pipe logs the deferral before qmgr moves the file to the deferred queue.
            try await old.waitFor("the deferred message in the deferred queue") {
                try await old.postfix.queue().map(\.queueName).sorted() == ["deferred", "hold"]
            }
            let queue = try await old.postfix.queue()
            #expect(queue.filter { $0.queueName == "hold" }.count == 1)
            #expect(queue.filter { $0.queueName == "deferred" }.count == 1)

            // Every way to flush, then wait for the retry it causes: the deferred message meets
            // the hold service again, the held one is not touched.
            let attempts = old.logLines(containing: "relay=mailferry-hold").count
            try await old.postfix.host.check(["/usr/sbin/postqueue", "-c", old.configDirectory, "-f"])
            try await old.postfix.host.check(["/usr/sbin/postfix", "-c", old.configDirectory, "flush"])
            try await old.postfix.host.check(["/usr/bin/env", "MAIL_CONFIG=\(old.configDirectory)", "/usr/sbin/sendmail", "-q"])
            try await old.waitFor("the flushes' retry of the deferred message") {
                old.logLines(containing: "relay=mailferry-hold").count > attempts
            }
            #expect(old.delivered(to: "alice").count == 1)
            #expect(old.delivered(to: "bob").isEmpty)
            let after = try await old.postfix.queue()
            #expect(Set(after.map(\.queueID)) == Set(queue.map(\.queueID)))
            #expect(after.filter { $0.queueName == "hold" }.count == 1)
            #expect(old.logLines(containing: "status=sent").count == 1)
        }
    }

    @Test func holdIsNonFinalSoTheSitesRestrictionsStillApply() async throws {
        try await PrivatePostfix.with("nonfinal", hostname: "mx.old.cutover.test") { old in
            let site = "\(old.configDirectory)/site-recipients.regexp"
            try "/^bob@/ REJECT bob is closed\n".write(toFile: site, atomically: true, encoding: .utf8)
            try await old.postfix.host.check(["/usr/sbin/postconf", "-c", old.configDirectory, "-e",
                                              "smtpd_recipient_restrictions=check_recipient_access regexp:\(site)"])
            try await old.postfix.reload()
            try await old.postfix.apply(HoldPlan(domains: domains).plan(
                current: try await old.postfix.explicitSettings(), mailferryDirectory: old.postfix.mailferryDirectory))
            await #expect(throws: LineSocketError.self) { try await old.sendSMTP(to: "bob@store.test", subject: "refused by the site") }
            try await old.waitFor("the site's rejection in the log") { old.logLines(containing: "bob is closed").count == 1 }
            try await old.sendSMTP(to: "alice@store.test", subject: "held")
            #expect(try await old.postfix.queue().map(\.queueName) == ["hold"])
        }
    }

    @Test func holdTurnsTheBccOffAndDiscardsQueuedCopiesInOneReload() async throws {
        try await PrivatePostfix.with("bcc", hostname: "mx.old.cutover.test") { old in
            // The mirror phase, with a mirror that is down: each message's copy waits in the queue.
            let deadMirror = try ReservedPort()
            defer { deadMirror.release() }
            try PostfixInstance(configDirectory: old.configDirectory)
                .applyMirror(PostfixMirrorPlan(domains: [PrivatePostfix.domain], route: .mirror(host: "127.0.0.1", port: deadMirror.port)))
            for subject in ["one", "two"] { try await old.sendSMTP(to: "alice@store.test", subject: subject) }
            try await old.waitFor("two copies deferred for the mirror") {
                old.logLines(containing: "store.test.mirror.invalid>").filter { $0.contains("status=deferred") }.count >= 2
            }
            // smtp(8) logs the deferral before qmgr moves the file to the deferred queue, which
            // is the one the hold retries.
            try await old.waitFor("both copies in the deferred queue") {
                try await old.postfix.queue().filter { $0.queueName == "deferred" }.count == 2
            }
            #expect(old.delivered(to: "alice").count == 2)

            let outcome = try await old.postfix.apply(HoldPlan(domains: domains).plan(
                current: try await old.postfix.explicitSettings(), mailferryDirectory: old.postfix.mailferryDirectory))
            #expect(outcome.reloads.count == 1)
            #expect(outcome.retried.count == 2)
            try await old.waitFor("the queued copies discarded") {
                old.logLines(containing: "dropped a mirror copy").count == 2
            }
            #expect(try await old.postfix.value("recipient_bcc_maps").isEmpty)
            #expect(try await old.postfix.queue().isEmpty)

            try await old.sendSMTP(to: "alice@store.test", subject: "during the hold")
            let held = try await old.postfix.queue()
            #expect(held.map(\.queueName) == ["hold"])
            #expect(held.first?.recipients.map(\.address) == ["alice@store.test"])
        }
    }

    @Test func quietStoreWaitsUntilTheDeliveryAgentsAreGone() async throws {
        try await PrivatePostfix.with("quiet", hostname: "mx.old.cutover.test") { old in
            try await old.sendSMTP(to: "alice@store.test", subject: "keeps virtual(8) alive")
            try await old.waitFor("delivery") { old.delivered(to: "alice").count == 1 }
            // An idle virtual(8) stays up for max_idle (100 s) after its delivery.
            let busy = try await old.postfix.quietStore(domains)
            #expect(!busy.passed)
            #expect(busy.detail.contains("virtual["))

            try await old.postfix.apply(HoldPlan(domains: domains).plan(
                current: try await old.postfix.explicitSettings(), mailferryDirectory: old.postfix.mailferryDirectory))
            let quiet = try await old.postfix.waitForQuietStore(domains, timeout: .seconds(30), clock: ContinuousClock())
            #expect(quiet.passed, "\(quiet)")
        }
    }

    @Test func applyingTheHoldTwiceKeepsTheFirstBackupAndTheSameSettings() async throws {
        try await PrivatePostfix.with("twice", hostname: "mx.old.cutover.test") { old in
            let hold = HoldPlan(domains: domains)
            try await old.postfix.apply(hold.plan(current: try await old.postfix.explicitSettings(), mailferryDirectory: old.postfix.mailferryDirectory), now: 1000)
            let settings = try await old.postfix.explicitSettings()
            let backup = try #require(try await old.postfix.cutoverBackup())
            try await old.sendSMTP(to: "alice@store.test", subject: "held between the two")
            try await old.postfix.apply(hold.plan(current: settings, mailferryDirectory: old.postfix.mailferryDirectory), now: 2000)
            #expect(try await old.postfix.explicitSettings() == settings)
            #expect(try await old.postfix.cutoverBackup() == backup)
            #expect(backup.postfix.createdAt == 1000)
            #expect(backup.services == ["mailferry-hold/unix": String?.none])
            #expect(backup.postfix.parameters["smtpd_recipient_restrictions"] == String??.some(nil))
        }
    }
}
