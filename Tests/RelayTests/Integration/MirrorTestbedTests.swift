import Foundation
import MailModel
import MailSpool
import MailTestSupport
import PostfixControl
import Relay
import SMTPClient
import SMTPCodec
import Testing

/// The mirror phase on the testbed: `postfix mirror --apply` on the old Postfix, the mirror
/// running, real mail through the old server; then `restore`. The bcc is limited to this
/// test's own account (`onlyRecipients`), so suites that share the testbed never get copies.
@Suite(.tags(.integration), .requiresTestbed, .serialized)
struct MirrorTestbedTests {
    static func maildirContains(_ maildir: String, _ needle: String) -> String? {
        for folder in ["new", "cur"] {
            let directory = "\(maildir)/\(folder)"
            for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
                guard let data = FileManager.default.contents(atPath: "\(directory)/\(name)") else { continue }
                let text = String(decoding: data, as: UTF8.self)
                if text.contains(needle) { return text }
            }
        }
        return nil
    }

    static func message(_ id: String, from: String, to: String) -> String {
        "From: <\(from)>\r\nTo: <\(to)>\r\nSubject: mirror test\r\nMessage-ID: <\(id)@mailferry.test>\r\n\r\nbody of \(id)\r\n"
    }

    static var retry: RetryPolicy {
        var retry = RetryPolicy()
        retry.minimalBackoff = .seconds(1)
        retry.maximalBackoff = .seconds(2)
        return retry
    }

    /// Issue 13.1 on the real new server: a copy it accepts (250) and cannot deliver later
    /// (over quota at LMTP) produces a notification to the mirror's bounce address only,
    /// never to the real sender; fed to the mirror (as the new server does once its
    /// transport_maps routes the bounce domain to it), it lands in the report. The shared
    /// testbed's new Postfix is not reconfigured, so a mailbox of its own stands in for the
    /// bounce domain's route and the test hands the notification on.
    @Test func aLateFailureOfTheNewServerReachesTheReportAndNeverTheSender() async throws {
        let testbed = try Testbed.require()
        let full = try await testbed.makeAccount(prefix: "mtquota", quota: TestbedQuota(storage: "50K"))
        let bounceBox = try await testbed.makeAccount(prefix: "mtbounce")
        let harness = MirrorHarness(bounceAddress: EmailAddress(bounceBox.newAddress)!, notify: .failure)
        harness.downstreamPort = testbed.new.smtp.port
        let name = full.newAddress.split(separator: "@")[0]
        let big = "Subject: over quota\r\nMessage-ID: <quota-\(UUID().uuidString)@mailferry.test>\r\n\r\n"
            + String(repeating: String(repeating: "x", count: 76) + "\r\n", count: 1000)
        try await harness.withMirror(retry: Self.retry) { port, spool in
            let outcomes = try await harness.send(to: port, recipients: ["\(name)@old.test.mirror.invalid"], body: big)
            #expect(outcomes.map(\.disposition) == [.delivered])
            #expect(try await harness.eventually(timeout: .seconds(30)) { try spool.finishedRecords().count == 1 })
            let record = try #require(try spool.finishedRecords().first)
            #expect(record.recipients.map(\.state) == [.delivered], "the new server took the copy (250)")
            #expect(record.metadata["original-sender"] == "<sender@ext.example>")
            let notification = try await Self.eventuallyFound(bounceBox.newMaildir, "Final-Recipient")
            #expect(notification.contains("Action: failed") && notification.contains("X-Mailferry-Mirror: \(record.id.rawValue); mac="))
            let crlf = notification.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
            let handedOn = try await harness.send(to: port, recipients: [bounceBox.newAddress], body: crlf, sender: .null)
            #expect(handedOn.map(\.disposition) == [.delivered])
            let failures = try LateFailureLog(spoolDirectory: spool.root).records()
            #expect(failures.map(\.id) == [record.id])
            #expect(failures.first?.status == "5.2.2" && failures.first?.recipient == full.newAddress)
            let report = MirrorReport(finished: try spool.finishedRecords(), queued: [], lateFailures: failures)
            #expect(report.failedLater == 1 && report.problems.first?.recipient == full.newAddress)
        }
        #expect(Self.maildirContains(full.newMaildir, "over quota") == nil)
    }

    /// The message in `maildir` that holds `needle`, once the testbed's servers delivered it.
    static func eventuallyFound(_ maildir: String, _ needle: String) async throws -> String {
        try await DirectoryWatch.until("\(needle) in \(maildir)", in: maildir) { maildirContains(maildir, needle) }
    }

    @Test func copiesReachTheNewMailboxAndRestoreIsExact() async throws {
        let testbed = try Testbed.require()
        let user = try await testbed.makeAccount(prefix: "mirror")
        let sender = try await testbed.makeAccount(prefix: "mirrorsnd")
        let instance = PostfixInstance(configDirectory: testbed.old.postfixConfigDir)
        let before = try instance.explicitSettings()
        let harness = MirrorHarness()
        let mirrorPort = try harness.reservePort()
        var plan = PostfixMirrorPlan(domains: [testbed.old.domain], route: .mirror(host: "127.0.0.1", port: mirrorPort))
        plan.onlyRecipients = [user.oldAddress]
        try instance.applyMirror(plan)
        do {
            #expect(try instance.verifyMirror(plan).allSatisfy(\.passed))
            let first = "first-\(UUID().uuidString)"
            let second = "second-\(UUID().uuidString)"
            // 1. The new server is unreachable: the old server still answers 250, delivers
            //    locally, and the mirror keeps the copy.
            harness.downstreamPort = try harness.reservePort()
            try await harness.withMirror(port: mirrorPort, retry: Self.retry) { _, spool in
                let session = try await SMTPTestSession(testbed.old.smtp)
                let reply = try await session.send(from: sender.oldAddress, to: [user.oldAddress], message: Self.message(first, from: sender.oldAddress, to: user.oldAddress))
                try await session.quit()
                #expect(reply.contains("Ok: queued"))
                _ = try await Self.eventuallyFound(user.oldMaildir, first)
                #expect(try await harness.eventually(timeout: .seconds(30)) {
                    try spool.entries().contains { $0.envelope.metadata["message-id"] == "<\(first)@mailferry.test>" && $0.attempts > 0 }
                })
            }
            // 2. The new server is back: the queued copy arrives, tagged; new mail follows.
            harness.downstreamPort = testbed.new.smtp.port
            try await harness.withMirror(port: mirrorPort, retry: Self.retry) { _, spool in
                _ = try await Self.eventuallyFound(user.newMaildir, first)
                let session = try await SMTPTestSession(testbed.old.smtp)
                try await session.send(from: sender.oldAddress, to: [user.oldAddress], message: Self.message(second, from: sender.oldAddress, to: user.oldAddress))
                try await session.quit()
                _ = try await Self.eventuallyFound(user.newMaildir, second)
                #expect(try await harness.eventually(timeout: .seconds(10)) { try spool.finishedRecords().count == 2 })
                #expect(try spool.finishedRecords().allSatisfy { $0.recipients.allSatisfy { $0.state == .delivered } })
            }
            let copy = try #require(Self.maildirContains(user.newMaildir, first))
            #expect(copy.components(separatedBy: "X-Mailferry-Mirror: ").count == 2, "exactly one trace header")
            #expect(Self.maildirContains(user.oldMaildir, second) != nil)
            #expect(Self.maildirContains(user.oldMaildir, "X-Mailferry-Mirror") == nil, "the old mailbox gets the original only")
            // No bounce ever reached the sender.
            #expect(try FileManager.default.contentsOfDirectory(atPath: sender.oldMaildir + "/new").isEmpty)
        } catch {
            _ = try? instance.restoreMirror()
            throw error
        }
        let result = try instance.restoreMirror()
        #expect(result.differences.isEmpty)
        #expect(try instance.explicitSettings() == before)
    }
}
