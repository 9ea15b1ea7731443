import MailModel
import Testing
@testable import Maildir

@Suite("Durability policy")
struct MaildirDurabilityTests {
    @Test(arguments: [MaildirDurability.fsyncEachFile, .syncFileSystemAtCommit])
    func stagedFilesAreFlushedBeforeTheyBecomeVisible(_ durability: MaildirDurability) throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let maildir = try DovecotMaildir(root: directory.path("Maildir"), ownership: .currentProcess, options: .init(durability: durability))
        let folder = try maildir.openFolder(levels: [])
        try folder.setIdentity(uidValidity: UIDValidity(3), nextUID: UID(exactly: 1))
        let writer = try folder.makeMessageWriter()
        try writer.write(Array("a\n".utf8))
        let written = try writer.finish()
        #expect(written.isDurable == (durability == .fsyncEachFile))
        try folder.add(written, spec: DovecotMessageSpec(uid: UID(exactly: 1)))
        #expect(folder.changes.needsFileSystemSync == (durability == .syncFileSystemAtCommit))
        try folder.commit()
        #expect(!folder.changes.needsFileSystemSync)
        #expect(directory.list("Maildir/cur").count == 1)
    }
}
