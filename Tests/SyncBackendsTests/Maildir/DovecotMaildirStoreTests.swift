import Foundation
import Glibc
import MailModel
import Maildir
import SyncBackends
import SyncEngine
import Testing

/// The Dovecot Maildir destination on its own: receipts only after the commit, refusals per
/// message, ownership, flag changes as renames, and reading what it wrote.
@Suite struct DovecotMaildirStoreTests {
    static func message(_ text: String, uid: UInt32, flags: Set<Flag> = [.seen], date: Int64 = 1_650_000_000) -> OutgoingMessage {
        let bytes = Array(text.utf8)
        return OutgoingMessage(
            body: .memory(bytes), flags: flags, internalDate: InternalDate(secondsSince1970: date), sourceUID: UID(exactly: uid),
            fingerprint: MessageFingerprint.of(bytes))
    }

    func withSession<T: Sendable>(_ store: DovecotMaildirStore, _ body: (any MailboxWriter) async throws -> T) async throws -> T {
        try await store.withSession { (session: any MailboxWriter) in try await body(session) }
    }

    let sent = MailboxName("Sent", separator: "/")

    @Test func aReceiptIsGivenOnlyForWhatIsCommittedOnDisk() async throws {
        let fixture = try MaildirSyncFixture()
        defer { fixture.remove() }
        let store = fixture.dovecotStore()
        // Reading never creates anything.
        #expect(try await withSession(store) { try await $0.listFolders() }.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: fixture.destination))

        let outcomes = try await withSession(store) { session in
            try await session.create(self.sent, uidValidity: UIDValidity(42))
            try await session.adoptIdentity(of: FolderStatus(uidValidity: UIDValidity(42), uidNext: 10, messageCount: 2), for: self.sent)
            _ = try await session.open(self.sent)
            return try await session.append(
                [Self.message("Subject: one\n\nx\n", uid: 3, flags: [.seen, .flagged, Flag("$Label1")]), Self.message("Subject: two\n\ny\n", uid: 7, flags: [])],
                to: self.sent)
        }
        #expect(outcomes == [
            .appended(AppendReceipt(uid: UID(exactly: 3), uidValidity: UIDValidity(42))),
            .appended(AppendReceipt(uid: UID(exactly: 7), uidValidity: UIDValidity(42))),
        ])
        // By the time the receipts exist, everything is in place.
        let list = fixture.uidlist("Sent").split(separator: "\n")
        #expect(list.first == "3 V42 N10 M10")
        #expect(list.dropFirst().map { $0.split(separator: " ").first! } == ["3", "7"])
        let files = fixture.destinationFiles("Sent")
        #expect(files.count == 2 && files.contains { $0.hasSuffix(":2,FSa") } && files.contains { $0.hasSuffix(":2,") })
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.destination + "/.Sent/tmp").isEmpty)
        #expect(try String(contentsOfFile: fixture.destination + "/.Sent/dovecot-keywords", encoding: .utf8) == "0 $Label1\n")
        #expect(FileManager.default.fileExists(atPath: fixture.destination + "/.Sent/maildirfolder"))

        // Read back as the engine and verify read it.
        let summaries = try await withSession(store) { session in
            _ = try await session.open(self.sent)
            return try await session.summaries(SummaryRequest(from: UID(exactly: 4)))
        }
        #expect(summaries == [MessageSummary(uid: UID(exactly: 7), flags: [], internalDate: InternalDate(secondsSince1970: 1_650_000_000), size: 16)])
    }

    @Test func aUIDHeldByAnotherMessageIsRefusedForThatMessageOnly() async throws {
        let fixture = try MaildirSyncFixture()
        defer { fixture.remove() }
        let store = fixture.dovecotStore()
        let outcomes = try await withSession(store) { session in
            try await session.create(self.sent, uidValidity: nil)
            try await session.adoptIdentity(of: FolderStatus(uidValidity: UIDValidity(42), uidNext: 5, messageCount: 0), for: self.sent)
            _ = try await session.append([Self.message("Subject: first\n\n", uid: 1)], to: self.sent)
            return try await session.append(
                [Self.message("Subject: first\n\n", uid: 1), Self.message("Subject: other\n\n", uid: 1), Self.message("Subject: b\n\n", uid: 2)],
                to: self.sent)
        }
        #expect(outcomes[0] == .appended(AppendReceipt(uid: UID(exactly: 1), uidValidity: UIDValidity(42))), "the same bytes again: confirmed, not copied twice")
        guard case .rejected(let rejection) = outcomes[1] else { Issue.record("\(outcomes[1])"); return }
        #expect(rejection.text.contains("UID 1 is already used"))
        #expect(outcomes[2] == .appended(AppendReceipt(uid: UID(exactly: 2), uidValidity: UIDValidity(42))))
        #expect(fixture.destinationFiles("Sent").count == 2)
    }

    @Test func flagChangesAreRenamesAndExpungeRemovesExactlyTheGivenUIDs() async throws {
        let fixture = try MaildirSyncFixture()
        defer { fixture.remove() }
        let store = fixture.dovecotStore()
        try await withSession(store) { session in
            try await session.create(.inbox(separator: "/"), uidValidity: nil)
            try await session.adoptIdentity(of: FolderStatus(uidValidity: UIDValidity(9), uidNext: 4, messageCount: 0), for: .inbox(separator: "/"))
            _ = try await session.append((1...3).map { Self.message("Subject: \($0)\n\n", uid: UInt32($0)) }, to: .inbox(separator: "/"))
            _ = try await session.open(.inbox(separator: "/"))
            try await session.storeFlags([UID(exactly: 1), UID(exactly: 2)], adding: [.answered, Flag("NonJunk")], removing: [.seen])
            try await session.expunge([UID(exactly: 3)])
        }
        let files = fixture.destinationFiles()
        #expect(files.count == 2)
        #expect(files.allSatisfy { $0.hasSuffix(":2,Ra") }, "\(files)")
        #expect(fixture.uidlist().split(separator: "\n") .count == 3)
        #expect(fixture.uidlist().hasPrefix("3 V9 N4 M4\n"), "an expunged UID is never given again")
    }

    @Test func filesBelongToTheGivenOwnerAndAMissingHomeIsCreated() async throws {
        let fixture = try MaildirSyncFixture()
        defer { fixture.remove() }
        try FileManager.default.removeItem(atPath: fixture.destinationHome)
        var store = fixture.dovecotStore()
        // Without --owner, a missing home is an error that says what to do.
        await #expect { try await self.withSession(store) { try await $0.create(.inbox(separator: "/"), uidValidity: nil) } } throws: { error in
            "\(error)".contains("--owner")
        }
        store.owner = MaildirOwnership(uid: 65534, gid: 65534)
        try await withSession(store) { session in
            try await session.create(.inbox(separator: "/"), uidValidity: nil)
            try await session.adoptIdentity(of: FolderStatus(uidValidity: UIDValidity(9), uidNext: 2, messageCount: 0), for: .inbox(separator: "/"))
            _ = try await session.append([Self.message("Subject: x\n\n", uid: 1)], to: .inbox(separator: "/"))
        }
        for path in [fixture.destinationHome, fixture.destination, fixture.destination + "/cur", fixture.destination + "/dovecot-uidlist",
                     fixture.destination + "/cur/" + fixture.destinationFiles()[0]] {
            var status = stat()
            #expect(stat(path, &status) == 0 && status.st_uid == 65534 && status.st_gid == 65534, "\(path)")
        }
    }
}
