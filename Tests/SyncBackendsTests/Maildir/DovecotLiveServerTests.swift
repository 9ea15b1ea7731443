import Foundation
import MailModel
import MailTestSupport
import Maildir
import Testing

/// The Dovecot Maildir writer next to the testbed's running Dovecot, watched by a CONDSTORE
/// client: HIGHESTMODSEQ only grows, and a UID Dovecot handed out is not given again.
@Suite(.tags(.integration), .requiresTestbed, .serialized)
struct DovecotLiveServerTests {
    let testbed: Testbed
    let user: TestbedUser

    init() async throws {
        testbed = try Testbed.require()
        user = try await testbed.makeAccount(prefix: "safetydovecot")
    }

    /// A session logged in through the master user (Dovecot creates the Maildir at login).
    func imap() async throws -> IMAPTestSession {
        let master = try #require(testbed.new.masterUser)
        let session = try await IMAPTestSession(testbed.new.imap)
        try #require(try await session.login(master.loginName(actingAs: user.name), try master.password()).isOK)
        return session
    }

    /// `SELECT INBOX (CONDSTORE)`: (UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ).
    func select(_ session: IMAPTestSession) async throws -> (validity: UInt32, next: UInt32, modseq: UInt64) {
        let response = try await session.command("SELECT INBOX (CONDSTORE)")
        try #require(response.isOK, "\(response.text)")
        func code(_ name: String) -> UInt64? {
            for line in response.untagged {
                guard let range = line.range(of: "[\(name) ") else { continue }
                return UInt64(line[range.upperBound...].prefix { $0.isNumber })
            }
            return nil
        }
        return (UInt32(try #require(code("UIDVALIDITY"))), UInt32(try #require(code("UIDNEXT"))), try #require(code("HIGHESTMODSEQ")))
    }

    func write(_ folder: DovecotFolder, _ text: String, uid: UInt32) throws {
        let writer = try folder.makeMessageWriter()
        try writer.write(Array(text.utf8))
        _ = try folder.add(writer.finish(modificationTime: nil), spec: DovecotMessageSpec(uid: UID(exactly: uid)))
    }

    @Test func highestModSeqGrowsAndHandedOutUIDsAreNotReused() async throws {
        let session = try await imap()
        for index in 1...3 {
            try #require(try await session.append(to: "INBOX", Array("Subject: early \(index)\r\n\r\nbody\r\n".utf8)).isOK)
        }
        let before = try await select(session)
        for _ in 0..<4 {
            try #require(try await session.command("UID STORE 1:* FLAGS.SILENT (\\Seen $Mark)").isOK)
            try #require(try await session.command("UID STORE 1:* FLAGS.SILENT ()").isOK)
        }
        let changed = try await select(session)
        #expect(changed.modseq > before.modseq)

        // mailferry writes while the session stays selected: a message above Dovecot's next UID
        // and a flag change.
        let maildir = try DovecotMaildir(root: user.newMaildir, ownership: try MaildirOwnership.inferred(maildirRoot: user.newMaildir))
        let folder = try maildir.openFolder(levels: [])
        try folder.setIdentity(uidValidity: UIDValidity(changed.validity), nextUID: UID(exactly: changed.next + 5))
        try write(folder, "Subject: synced\n\nbody\n", uid: changed.next + 2)
        try folder.setFlags(uid: UID(exactly: 1), flags: [.flagged], keywords: [])
        let summary = try folder.commit()
        #expect(summary.indexFilesRemoved.isEmpty)

        _ = try await session.command("NOOP")
        let after = try await select(session)
        #expect(after.validity == changed.validity)
        #expect(after.modseq > changed.modseq, "HIGHESTMODSEQ went from \(changed.modseq) to \(after.modseq)")
        let fetch = try await session.command("UID FETCH 1:* (FLAGS) (CHANGEDSINCE \(changed.modseq))")
        #expect(fetch.isOK)
        let changedUIDs = Set(fetch.untagged.compactMap { line -> UInt32? in
            guard let range = line.range(of: "UID ") else { return nil }
            return UInt32(line[range.upperBound...].prefix { $0.isNumber })
        })
        #expect(changedUIDs == [1, changed.next + 2], "\(fetch.untagged)")
        #expect(after.next == changed.next + 5)

        // A copy delivered straight to Dovecot takes the next UID; purged, its UID stays spent.
        try #require(try await session.append(to: "INBOX", Array("Subject: mirror copy\r\n\r\nbody\r\n".utf8)).isOK)
        try #require(try await session.command("UID STORE \(after.next) +FLAGS.SILENT (\\Deleted)").isOK)
        try #require(try await session.command("EXPUNGE").isOK)
        let reopened = try maildir.openFolder(levels: [])
        #expect(reopened.wasHandedOutByAnotherWriter(UID(exactly: after.next)))
        #expect {
            try write(reopened, "Subject: source message\n\nbody\n", uid: after.next)
        } throws: { ($0 as? MaildirError)?.kind == .uidHandedOut }
        try reopened.discardPendingChanges()
        let uidlist = try String(contentsOfFile: user.newMaildir + "/dovecot-uidlist", encoding: .utf8)
        #expect(uidlist.split(separator: "\n").first?.contains(" M\(after.next)") == true, "Dovecot kept the field: \(uidlist.prefix(80))")
    }
}
