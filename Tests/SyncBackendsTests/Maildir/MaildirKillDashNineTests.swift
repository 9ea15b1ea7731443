import CorpusGenerator
import Foundation
import Glibc
import MailModel
import Maildir
import Testing
import Verify

/// kill -9 of `mailferry sync` (Courier Maildir → Dovecot Maildir) at several moments, then a
/// run to the end: every message is in the Dovecot Maildir exactly once, under its Courier
/// UID, which a deep verify with the same UIDs proves. No testbed needed: both are on disk.
@Suite(.serialized)
struct MaildirKillDashNineTests {
    @Test func killedRunsResumeWithEveryMessageOnceUnderItsUID() async throws {
        let fixture = try MaildirSyncFixture()
        defer { fixture.remove() }
        try FileManager.default.removeItem(atPath: fixture.source)
        let profile = CorpusProfile(messages: 220, largeMessages: 3, folders: 10, largeMaxBytes: 2 * 1_048_576)
        let manifest = try CorpusWriter(profile: profile, seed: 21, user: "alice").write(into: fixture.source, owner: nil, replace: true)
        let total = manifest.folders.reduce(0) { $0 + $1.messages.count }
        let arguments = [
            "sync", "--quiet", "--bandwidth", "2MB", "--from", "maildir:" + fixture.source, "--to", "maildir:" + fixture.destination,
            "--state", fixture.state,
        ]
        let thresholds = [1, total / 4, total / 2, total * 3 / 4]
        let destination = fixture.destination
        let logs = fixture.root + "/logs"
        let outcome = await withCheckedContinuation { (continuation: CheckedContinuation<KillDashNineTests.KillOutcome, Never>) in
            Thread.detachNewThread {
                continuation.resume(returning: KillDashNineTests.killAt(thresholds, arguments: arguments, logs: logs, maildir: destination))
            }
        }
        #expect(outcome.failure == nil, "\(outcome.failure ?? "")")
        #expect(outcome.killedAt.count >= 3, "killed at \(outcome.killedAt) messages only")

        let (status, output) = try await MailferryProcess.run(arguments.filter { $0 != "--bandwidth" && $0 != "2MB" }, logDirectory: logs)
        #expect(status == 0, "\(output)")
        let verified = await fixture.verify()
        #expect(verified.isIdentical, "\(verified.discrepancies.prefix(5)) \(verified.error ?? "")")
        #expect(verified.matched == total)
        #expect(KillDashNineTests.messageFiles(under: fixture.destination) == total, "a message was written twice")
    }
}
