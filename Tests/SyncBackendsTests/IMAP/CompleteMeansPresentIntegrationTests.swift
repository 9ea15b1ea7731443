import Foundation
import MailModel
import MailTestSupport
import StateStore
import SyncBackends
import SyncEngine
import Testing
import Verify

/// Invariant 1 on the real servers (Courier → Dovecot over IMAP): copies deleted on the new
/// server and a folder deleted there are copied again by the next run, which then says
/// complete and verifies with nothing missing; a keyword a user set on the new server stays.
@Suite(.tags(.integration), .requiresTestbed, .serialized)
struct CompleteMeansPresentIntegrationTests {
    @Test func copiesLostOnTheNewServerAreCopiedAgain() async throws {
        let (stores, _) = try await TestbedStores.make(prefix: "present", messages: 40)
        let state = temporaryStateDirectory("present")
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

        // On the new server: two INBOX copies deleted, a keyword set on a third, one folder deleted.
        let master = stores.testbed.new.masterUser!
        let imap = try await IMAPTestSession(stores.testbed.new.imap)
        try #require(try await imap.login(stores.user.name + master.separator + master.name, try master.password()).isOK)
        try #require(try await imap.command("SELECT INBOX").isOK)
        let uids = try DestinationDamage.uids(try await imap.command("UID SEARCH ALL"))
        try #require(uids.count >= 3)
        try #require(try await imap.command("UID STORE \(uids[0]),\(uids[1]) +FLAGS.SILENT (\\Deleted)").isOK)
        try #require(try await imap.command("UID EXPUNGE \(uids[0]),\(uids[1])").isOK)
        try #require(try await imap.command("UID STORE \(uids[2]) +FLAGS.SILENT ($PilotWork)").isOK)
        try #require(try await imap.command("UNSELECT").isOK)
        let names = first.folders.map(\.destinationFolder)
        // A name the raw DELETE below can spell: ASCII without "&", which modified UTF-7 writes
        // as "&-". The corpus has "Family & Friends", and which folders get mail depends on the
        // account's random name, so it is sometimes the first folder with messages.
        let doomed = try #require(first.folders.first { folder in
            folder.sourceFolder != "INBOX" && folder.sourceMessages > 0
                && folder.destinationFolder.allSatisfy { $0.isASCII && $0 != "&" }
                && !names.contains { $0.hasPrefix(folder.destinationFolder + "/") }
        })
        try #require(try await imap.command("DELETE \"\(doomed.destinationFolder)\"").isOK)
        try await imap.command("LOGOUT")

        let second = try await sync()
        #expect(second.outcome == .complete)
        #expect(second.folders.first { $0.sourceFolder == "INBOX" }?.restored == 2)
        #expect(second.copied == 2 + doomed.sourceMessages)

        let verified = await AccountVerifier(
            account: stores.user.name, source: stores.source, destination: stores.destination, store: nil, options: VerifyOptions()
        ).run()
        #expect(!verified.discrepancies.contains { $0.kind == .missing || $0.kind == .folderMissing }, "\(verified.discrepancies.prefix(5))")
        // The user's keyword is the one difference left.
        #expect(verified.discrepancies.allSatisfy { $0.kind == .flagsDiffer && $0.detail.contains("$PilotWork") })
        #expect(verified.discrepancies.count == 1)
    }
}
