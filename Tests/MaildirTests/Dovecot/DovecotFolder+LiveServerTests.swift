import Glibc
import MailModel
import Testing
@testable import Maildir

/// A commit while a live Dovecot works in the same folder: what a user does meanwhile
/// stays, Dovecot re-reads what changed, and its deliveries never wait on our flush.
@Suite("Dovecot folder commits next to a live Dovecot")
struct DovecotFolderLiveServerTests {
    func open(_ directory: TemporaryDirectory, durability: MaildirDurability = .fsyncEachFile) throws -> (DovecotMaildir, DovecotFolder) {
        let maildir = try DovecotMaildir(
            root: directory.path("Maildir"), ownership: .currentProcess, options: DovecotMaildir.Options(durability: durability))
        return (maildir, try maildir.openFolder(levels: []))
    }

    func write(_ folder: DovecotFolder, _ text: String, spec: DovecotMessageSpec) throws {
        let writer = try folder.makeMessageWriter()
        try writer.write(Array(text.utf8))
        _ = try folder.add(writer.finish(modificationTime: nil), spec: spec)
    }

    /// One committed message `1.a` (UID 1, \Seen), the folder reopened as a new run would.
    func folderWithOneMessage(_ directory: TemporaryDirectory) throws -> DovecotFolder {
        let (maildir, folder) = try open(directory)
        try folder.setIdentity(uidValidity: UIDValidity(5), nextUID: UID(exactly: 1))
        try write(folder, "a\n", spec: DovecotMessageSpec(uid: UID(exactly: 1), preferredBase: "1.a", flags: [.seen]))
        try folder.commit()
        return try maildir.openFolder(levels: [])
    }

    @Test func flagSetByAUserMeanwhileIsKept() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let folder = try folderWithOneMessage(directory)
        try folder.setFlags(uid: UID(exactly: 1), flags: [.seen, .answered], keywords: [])
        // The user flags the message through Dovecot, which renames the file (without the uid list lock).
        try FileSystem.rename(directory.path("Maildir/cur/1.a:2,S"), directory.path("Maildir/cur/1.a:2,FS"))
        let summary = try folder.commit()
        #expect(summary.messagesRenamed == 1)
        #expect(directory.list("Maildir/cur") == ["1.a:2,FRS"])
        #expect(folder.message(uid: UID(exactly: 1))?.flags == [.seen, .answered, .flagged])
    }

    @Test func flagClearedByAUserMeanwhileStaysCleared() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let folder = try folderWithOneMessage(directory)
        try folder.setFlags(uid: UID(exactly: 1), flags: [.seen, .draft], keywords: [])
        try FileSystem.rename(directory.path("Maildir/cur/1.a:2,S"), directory.path("Maildir/cur/1.a:2,"))
        try folder.commit()
        #expect(directory.list("Maildir/cur") == ["1.a:2,D"])
    }

    @Test func keywordsFileGetsAStrictlyNewerSecond() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (maildir, folder) = try open(directory)
        try folder.setIdentity(uidValidity: UIDValidity(5), nextUID: UID(exactly: 1))
        try write(folder, "a\n", spec: DovecotMessageSpec(uid: UID(exactly: 1), preferredBase: "1.a", keywords: ["one"]))
        try folder.commit()
        // Dovecot cached the file at this second; a replacement within the same second (here:
        // a clock behind the file's mtime) must still look newer to it.
        let cached = Int64(time(nil)) + 100
        directory.write("Maildir/dovecot-keywords", "0 one\n", mtime: cached)
        let again = try maildir.openFolder(levels: [])
        try write(again, "b\n", spec: DovecotMessageSpec(uid: UID(exactly: 2), preferredBase: "2.b", keywords: ["two"]))
        let summary = try again.commit()
        #expect(summary.keywordsWritten)
        #expect(directory.read("Maildir/dovecot-keywords") == "0 one\n1 two\n")
        let status = try #require(try FileSystem.status(directory.path("Maildir/dovecot-keywords")))
        #expect(status.modificationSeconds == cached + 1)
    }

    @Test func fileSystemIsFlushedBeforeTheLockIsTaken() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (_, folder) = try open(directory, durability: .syncFileSystemAtCommit)
        try folder.setIdentity(uidValidity: UIDValidity(5), nextUID: UID(exactly: 1))
        try write(folder, "a\n", spec: DovecotMessageSpec(uid: UID(exactly: 1), preferredBase: "1.a"))
        var lockHeldDuringFlush: [Bool] = []
        folder.flushFileSystem = { _ in lockHeldDuringFlush.append(directory.exists("Maildir/dovecot-uidlist.lock")) }
        try folder.commit()
        #expect(lockHeldDuringFlush == [false])
        #expect(directory.list("Maildir/cur") == ["1.a:2,"])
    }

    /// New records above the next UID, flag renames, expunges and new keywords are all
    /// picked up by Dovecot from the files: its index (and HIGHESTMODSEQ) stays.
    @Test func dovecotIndexStaysForChangesItCanFollow() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let folder = try folderWithOneMessage(directory)
        directory.write("Maildir/dovecot.index", "index")
        directory.write("Maildir/dovecot.index.log", "log")
        directory.write("Maildir/dovecot.list.index", "list")
        try folder.setIdentity(uidValidity: UIDValidity(5), nextUID: UID(exactly: 10))
        try write(folder, "b\n", spec: DovecotMessageSpec(uid: UID(exactly: 12), preferredBase: "2.b", keywords: ["new"]))
        try folder.setFlags(uid: UID(exactly: 1), flags: [.flagged], keywords: [])
        let summary = try folder.commit()
        #expect(summary.uidlistWritten && summary.keywordsWritten && summary.messagesAdded == 1)
        #expect(summary.indexFilesRemoved.isEmpty)
        #expect(directory.read("Maildir/dovecot.index") == "index" && directory.read("Maildir/dovecot.index.log") == "log")
        try folder.expunge(uid: UID(exactly: 12))
        #expect(try folder.commit().indexFilesRemoved.isEmpty)
        #expect(directory.read("Maildir/dovecot.list.index") == "list")
    }

    /// A record below the next UID on disk: Dovecot would take it for an expunged message
    /// that reappeared and renumber it, so its folder index goes (reported).
    @Test func uidBelowTheNextUIDOnDiskRebuildsTheIndex() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (maildir, folder) = try open(directory)
        try folder.setIdentity(uidValidity: UIDValidity(5), nextUID: UID(exactly: 10))
        try write(folder, "a\n", spec: DovecotMessageSpec(uid: UID(exactly: 1), preferredBase: "1.a"))
        try folder.commit()
        directory.write("Maildir/dovecot.index", "index")
        directory.write("Maildir/dovecot.list.index", "list")
        let again = try maildir.openFolder(levels: [])
        try write(again, "b\n", spec: DovecotMessageSpec(uid: UID(exactly: 5), preferredBase: "5.b"))
        let summary = try again.commit()
        #expect(summary.indexFilesRemoved == [directory.path("Maildir/dovecot.index")])
        #expect(directory.read("Maildir/dovecot.list.index") == "list")
        #expect(again.diagnostics.contains { $0.code == .uidConflict && $0.message.contains("HIGHESTMODSEQ") })
    }
}
