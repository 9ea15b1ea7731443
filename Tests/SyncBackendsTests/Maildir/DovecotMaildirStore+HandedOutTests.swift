import Foundation
import MailModel
import SyncBackends
import SyncEngine
import Testing

/// A UID the live Dovecot handed out after the last run (a mirror copy, purged since) comes
/// back to the engine as a typed refusal for that message only; the rest of the batch goes on.
@Suite struct DovecotMaildirStoreHandedOutTests {
    let inbox = MailboxName("INBOX", separator: "/")

    @Test func aHandedOutUIDIsRefusedWithItsOwnKind() async throws {
        let fixture = try MaildirSyncFixture()
        defer { fixture.remove() }
        let store = fixture.dovecotStore()
        let source = FolderStatus(uidValidity: UIDValidity(42), uidNext: 10, messageCount: 1)
        _ = try await store.withSession { (session: any MailboxWriter) in
            try await session.create(self.inbox, uidValidity: UIDValidity(42))
            try await session.adoptIdentity(of: source, for: self.inbox)
            _ = try await session.open(self.inbox)
            return try await session.append([DovecotMaildirStoreTests.message("Subject: one\n\nx\n", uid: 3)], to: self.inbox)
        }
        let path = fixture.destination + "/dovecot-uidlist"
        let written = try String(contentsOfFile: path, encoding: .utf8)
        #expect(written.hasPrefix("3 V42 N10 M10\n"))
        // Dovecot delivered UIDs 10 and 11, which were expunged and compacted away since.
        try written.replacingOccurrences(of: "N10 M10", with: "N12 M10").write(toFile: path, atomically: true, encoding: .utf8)

        let later = FolderStatus(uidValidity: UIDValidity(42), uidNext: 13, messageCount: 3)
        let outcomes = try await store.withSession { (session: any MailboxWriter) in
            try await session.adoptIdentity(of: later, for: self.inbox)
            _ = try await session.open(self.inbox)
            return try await session.append(
                [DovecotMaildirStoreTests.message("Subject: ten\n\nx\n", uid: 10), DovecotMaildirStoreTests.message("Subject: twelve\n\nx\n", uid: 12)],
                to: self.inbox)
        }
        #expect(outcomes.count == 2)
        guard case .rejected(let rejection)? = outcomes.first else {
            Issue.record("UID 10 was given to another message: \(outcomes)")
            return
        }
        #expect(rejection.kind == .uidHandedOut)
        #expect(rejection.text.contains("--overwrite-uidvalidity"))
        #expect(outcomes.last == .appended(AppendReceipt(uid: UID(exactly: 12), uidValidity: UIDValidity(42))))
        #expect(fixture.uidlist().hasPrefix("3 V42 N13 M13,10-11\n"))
    }
}
