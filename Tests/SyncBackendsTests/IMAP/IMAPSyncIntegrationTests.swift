import CorpusGenerator
import Foundation
import MailModel
import MailTestSupport
import StateStore
import SyncBackends
import SyncEngine
import Testing
import Verify

/// Courier → Dovecot over IMAP on the real testbed servers: the generated corpus migrates
/// completely and verifies byte for byte; a re-run copies nothing; a new message and a flag
/// change on the source reach the destination on the next run.
@Suite(.tags(.integration), .requiresTestbed, .serialized)
struct IMAPSyncIntegrationTests {
    @Test func theCorpusMigratesCompletelyAndIncrementally() async throws {
        let (stores, manifest) = try await TestbedStores.make(prefix: "sync", messages: 150, large: 1)
        let state = temporaryStateDirectory("imapsync")
        defer { try? FileManager.default.removeItem(atPath: state) }
        var options = SyncOptions()
        options.temporaryDirectory = state + "/tmp"
        func sync() async throws -> AccountReport {
            await AccountSync(
                account: stores.user.name, source: stores.source, destination: stores.destination,
                stateStore: try SQLiteStateStore(directory: state), options: options
            ).run()
        }
        let first = try await sync()
        #expect(first.outcome == .complete, "\(first.error ?? "") \(first.problems)")
        #expect(first.copied == manifest.folders.reduce(0) { $0 + $1.messages.count })

        var verifyOptions = VerifyOptions()
        verifyOptions.deep = true
        let verified = await AccountVerifier(
            account: stores.user.name, source: stores.source, destination: stores.destination, store: nil, options: verifyOptions
        ).run()
        #expect(verified.isIdentical, "\(verified.discrepancies.prefix(5))")
        #expect(verified.matched == first.copied)

        let second = try await sync()
        #expect(second.outcome == .complete)
        #expect(second.copied == 0)

        // A new message arrives on the old server, and a user flags another one there.
        let before = inboxFiles(stores)
        let smtp = try await SMTPTestSession(stores.testbed.old.smtp)
        _ = try await smtp.send(from: "late@example.test", to: [stores.user.oldAddress], message: "Subject: arrived late\r\n\r\nhello\r\n")
        try await smtp.quit()
        let imap = try await IMAPTestSession(stores.testbed.old.imap)
        try #require(try await imap.login(stores.user.name, try stores.user.password()).isOK)
        try #require(try await imap.command("SELECT INBOX").isOK)
        try #require(try await imap.command("UID STORE 1 +FLAGS (\\Flagged $Important)").isOK)
        try await waitForDelivery(stores, moreThan: before)

        let third = try await sync()
        #expect(third.outcome == .complete)
        #expect(third.copied == 1)
        #expect(third.folders.first { $0.sourceFolder == "INBOX" }?.flagsUpdated == 1)
        let after = await AccountVerifier(
            account: stores.user.name, source: stores.source, destination: stores.destination,
            store: try SQLiteStateStore(directory: state)
        ).run()
        #expect(after.isIdentical, "\(after.discrepancies.prefix(5))")
    }

    func inboxFiles(_ stores: TestbedStores) -> Int {
        ["new", "cur"].reduce(0) { total, sub in
            total + ((try? FileManager.default.contentsOfDirectory(atPath: stores.user.oldMaildir + "/" + sub))?.count ?? 0)
        }
    }

    /// The old Postfix delivers asynchronously: wait (on the Maildir's changes, bounded) until
    /// the INBOX has one more file.
    func waitForDelivery(_ stores: TestbedStores, moreThan count: Int) async throws {
        let maildir = stores.user.oldMaildir
        _ = try await DirectoryWatch.until("the old Postfix's delivery to \(maildir)", in: maildir) {
            ["new", "cur"].reduce(0) { total, sub in
                total + ((try? FileManager.default.contentsOfDirectory(atPath: maildir + "/" + sub))?.count ?? 0)
            } > count ? true : nil
        }
    }
}
