import Glibc
import MailModel
import Testing
@testable import Maildir

@Suite("Dovecot folder write sessions")
struct DovecotFolderTests {
    func open(_ directory: TemporaryDirectory, levels: [String] = []) throws -> (DovecotMaildir, DovecotFolder) {
        let maildir = try DovecotMaildir(root: directory.path("Maildir"), ownership: .currentProcess)
        return (maildir, try maildir.openFolder(levels: levels))
    }

    func write(_ folder: DovecotFolder, _ text: String, spec: DovecotMessageSpec) throws -> DovecotMessage {
        let writer = try folder.makeMessageWriter(computeFingerprint: true)
        try writer.write(Array(text.utf8))
        return try folder.add(writer.finish(modificationTime: spec.internalDate?.secondsSince1970), spec: spec)
    }

    @Test func stagedMessagesAppearOnlyAtCommit() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (_, folder) = try open(directory)
        try folder.setIdentity(uidValidity: UIDValidity(42), nextUID: UID(exactly: 10))
        let message = try write(folder, "Subject: x\n\nbody\n", spec: DovecotMessageSpec(
            uid: UID(exactly: 7), flags: [.seen], keywords: ["$Label1"], internalDate: InternalDate(secondsSince1970: 1_000_000)))
        #expect(message.isPending)
        #expect(directory.list("Maildir/cur").isEmpty)
        #expect(!directory.exists("Maildir/dovecot-uidlist"))
        let summary = try folder.commit()
        #expect(summary.messagesAdded == 1 && summary.uidlistWritten && summary.keywordsWritten)
        let names = directory.list("Maildir/cur")
        #expect(names.count == 1)
        let name = MaildirFilename(names[0])
        #expect(name.flags.description == "Sa")
        #expect(name.sizeField == 17 && name.virtualSizeField == 20)
        #expect(directory.read("Maildir/dovecot-uidlist") == "3 V42 N10 M10\n7 :\(name.base)\n")
        #expect(directory.read("Maildir/dovecot-keywords") == "0 $Label1\n")
        #expect(try FileSystem.status(directory.path("Maildir/cur/" + names[0]))?.modificationSeconds == 1_000_000)
        #expect(directory.list("Maildir/tmp").isEmpty)
        #expect(!directory.exists("Maildir/dovecot-uidlist.lock"))
        #expect(folder.message(uid: UID(exactly: 7))?.keywords == ["$Label1"])
    }

    @Test func reopenedFolderSeesWhatWasCommitted() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (maildir, folder) = try open(directory, levels: ["Sent"])
        try folder.setIdentity(uidValidity: UIDValidity(5), nextUID: UID(exactly: 1))
        _ = try write(folder, "a\n", spec: DovecotMessageSpec(uid: UID(exactly: 3), preferredBase: "1.a,S=2", flags: [.answered]))
        try folder.commit()
        let again = try maildir.openFolder(levels: ["Sent"])
        #expect(again.uidValidity == UIDValidity(5))
        #expect(again.nextUID.rawValue == 4)
        #expect(again.messages().map(\.base) == ["1.a,S=2"])
        #expect(again.messages().first?.flags == [.answered])
        #expect(directory.exists("Maildir/.Sent/maildirfolder"))
        #expect(try maildir.folders().folders.map(\.levels) == [[], ["Sent"]])
    }

    @Test func flagChangesRenameWithoutRewriting() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (_, folder) = try open(directory)
        try folder.setIdentity(uidValidity: UIDValidity(5), nextUID: UID(exactly: 1))
        _ = try write(folder, "a\n", spec: DovecotMessageSpec(uid: UID(exactly: 1), preferredBase: "1.a", location: .new))
        try folder.commit()
        #expect(directory.list("Maildir/new") == ["1.a"])
        let inode = try FileSystem.status(directory.path("Maildir/new/1.a"))?.inode
        #expect(try !folder.setFlags(uid: UID(exactly: 1), flags: [], keywords: []))
        #expect(try folder.setFlags(uid: UID(exactly: 1), flags: [.seen, .flagged], keywords: ["Junk"]))
        let summary = try folder.commit()
        #expect(summary.messagesRenamed == 1)
        #expect(directory.list("Maildir/new").isEmpty)
        #expect(directory.list("Maildir/cur") == ["1.a:2,FSa"])
        #expect(try FileSystem.status(directory.path("Maildir/cur/1.a:2,FSa"))?.inode == inode)
    }

    @Test func uidValidityMismatchIsRefusedUnlessAllowed() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (maildir, folder) = try open(directory)
        try folder.setIdentity(uidValidity: UIDValidity(5), nextUID: UID(exactly: 3))
        _ = try write(folder, "a\n", spec: DovecotMessageSpec(uid: UID(exactly: 2), preferredBase: "1.a"))
        try folder.commit()
        let again = try maildir.openFolder(levels: [])
        #expect {
            try again.setIdentity(uidValidity: UIDValidity(6), nextUID: UID(exactly: 1))
        } throws: { ($0 as? MaildirError)?.kind == .uidValidityMismatch }
        try again.setIdentity(uidValidity: UIDValidity(6), nextUID: UID(exactly: 1), allowingChange: true)
        try again.adopt(base: "1.a", uid: UID(exactly: 9))
        try again.commit()
        #expect(directory.read("Maildir/dovecot-uidlist") == "3 V6 N10 M10\n9 :1.a\n")
    }

    @Test func takenUIDsAndBasesAreRefused() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (_, folder) = try open(directory)
        try folder.setIdentity(uidValidity: UIDValidity(5), nextUID: UID(exactly: 1))
        _ = try write(folder, "a\n", spec: DovecotMessageSpec(uid: UID(exactly: 1), preferredBase: "1.a"))
        #expect(throws: MaildirError.self) { try write(folder, "b\n", spec: DovecotMessageSpec(uid: UID(exactly: 1))) }
        // A taken base gets a fresh unique name instead.
        let second = try write(folder, "b\n", spec: DovecotMessageSpec(uid: UID(exactly: 2), preferredBase: "1.a"))
        #expect(second.base != "1.a")
        #expect(second.base.hasSuffix(",S=2,W=3"))
        try folder.commit()
        #expect(directory.list("Maildir/cur").count == 2)
    }

    @Test func concurrentChangeOnDiskIsAConflictAndNothingIsWritten() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (_, folder) = try open(directory)
        try folder.setIdentity(uidValidity: UIDValidity(5), nextUID: UID(exactly: 1))
        _ = try write(folder, "a\n", spec: DovecotMessageSpec(uid: UID(exactly: 1), preferredBase: "1.a"))
        directory.write("Maildir/dovecot-uidlist", "3 V5 N3 \n2 :dovecot.delivered\n")
        #expect {
            try folder.commit()
        } throws: { ($0 as? MaildirError)?.kind == .conflict }
        #expect(directory.read("Maildir/dovecot-uidlist") == "3 V5 N3 \n2 :dovecot.delivered\n")
        #expect(directory.list("Maildir/cur").isEmpty)
        #expect(!directory.exists("Maildir/dovecot-uidlist.lock"))
        try folder.discardPendingChanges()
        #expect(directory.list("Maildir/tmp").isEmpty)
    }

    @Test func renumberMovesARecordWithItsFields() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (_, folder) = try open(directory)
        try folder.setIdentity(uidValidity: UIDValidity(5), nextUID: UID(exactly: 1))
        _ = try write(folder, "a\n", spec: DovecotMessageSpec(uid: UID(exactly: 3), preferredBase: "1.a", pop3UIDL: "UID9-1", pop3Order: 1))
        _ = try write(folder, "b\n", spec: DovecotMessageSpec(uid: UID(exactly: 4), preferredBase: "2.b"))
        try folder.commit()
        try folder.renumber(base: "2.b", to: UID(exactly: 2))
        try folder.renumber(base: "1.a", to: UID(exactly: 4))
        try folder.commit()
        #expect(directory.read("Maildir/dovecot-uidlist") == "3 V5 N5 M5\n2 :2.b\n4 O1 PUID9-1 :1.a\n")
    }

    @Test func invalidKeywordsAndUIDLsAreReportedNotWritten() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (_, folder) = try open(directory)
        try folder.setIdentity(uidValidity: UIDValidity(5), nextUID: UID(exactly: 1))
        _ = try write(folder, "a\n", spec: DovecotMessageSpec(
            uid: UID(exactly: 1), preferredBase: "1.a", keywords: ["ok", "bad word", "\\Seen"], pop3UIDL: "has space"))
        try folder.commit()
        #expect(directory.read("Maildir/dovecot-keywords") == "0 ok\n")
        #expect(directory.read("Maildir/dovecot-uidlist") == "3 V5 N2 M2\n1 :1.a\n")
        #expect(Set(folder.diagnostics.map(\.code)) == [.keywordInvalid, .pop3UIDLInvalid])
    }
}
