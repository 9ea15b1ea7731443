import Glibc
import MailModel
import Testing
@testable import Maildir

@Suite("Dovecot folder expunge")
struct DovecotFolderExpungeTests {
    @Test func expungeRemovesFileThenRecordAndNeverReusesTheUID() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let maildir = try DovecotMaildir(root: directory.path("Maildir"), ownership: .currentProcess)
        let folder = try maildir.openFolder(levels: [])
        try folder.setIdentity(uidValidity: UIDValidity(5), nextUID: UID(exactly: 1))
        for (uid, base) in [(1, "1.a"), (2, "2.b")] {
            let writer = try folder.makeMessageWriter()
            try writer.write(Array("x\n".utf8))
            try folder.add(try writer.finish(), spec: DovecotMessageSpec(uid: UID(exactly: UInt32(uid)), preferredBase: base, flags: [.seen]))
        }
        try folder.commit()
        // A running server renamed 2.b for a flag change meanwhile.
        rename(directory.path("Maildir/cur/2.b:2,S"), directory.path("Maildir/cur/2.b:2,FS"))
        #expect(try folder.expunge(uid: UID(exactly: 2)))
        #expect(try !folder.expunge(uid: UID(exactly: 9)))
        #expect(folder.messages().map(\.base) == ["1.a"])
        let summary = try folder.commit()
        #expect(summary.messagesRemoved == 1)
        #expect(directory.list("Maildir/cur") == ["1.a:2,S"])
        #expect(directory.read("Maildir/dovecot-uidlist") == "3 V5 N3 M3\n1 :1.a\n")
    }

    @Test func sourceMessageIsFoundAgainAfterARename() throws {
        let fixture = CourierFixture()
        defer { fixture.remove() }
        fixture.source("cur/1.a:2,S", "hello\n")
        fixture.source("courierimapuiddb", "1 7 2\n1 1.a\n")
        let maildir = try CourierMaildir(root: fixture.sourceRoot)
        let snapshot = try maildir.read(maildir.inbox)
        let message = try #require(snapshot.messages.first)
        rename(fixture.sourceRoot + "/cur/1.a:2,S", fixture.sourceRoot + "/cur/1.a:2,RS")
        let reader = try #require(try maildir.openMessage(message, in: maildir.inbox))
        #expect(try reader.read(upTo: 100) == Array("hello\n".utf8))
        unlink(fixture.sourceRoot + "/cur/1.a:2,RS")
        #expect(try maildir.openMessage(message, in: maildir.inbox) == nil)
        #expect(try maildir.messageCount(maildir.inbox) == 0)
    }
}
