import Glibc
import Testing
@testable import Maildir

@Suite struct FileSystemTests {
    /// A message moved out of `tmp/` never replaces a file that is already there, whether the
    /// file system takes RENAME_NOREPLACE (ext4 and tmpfs, where the tests run, do) or not.
    @Test func renamingWithoutReplacingLeavesAnExistingFileAlone() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let staged = directory.write("tmp/message", "new message\n")
        let taken = directory.write("cur/taken", "a message already there\n")
        #expect {
            try FileSystem.renameWithoutReplacing(staged, taken)
        } throws: { ($0 as? MaildirError)?.kind == .conflict }
        #expect(directory.read("cur/taken") == "a message already there\n")
        #expect(directory.read("tmp/message") == "new message\n")

        try FileSystem.renameWithoutReplacing(staged, directory.path("cur/free"))
        #expect(directory.read("cur/free") == "new message\n")
        #expect(!directory.exists("tmp/message"))
        #expect(throws: MaildirError.self) { try FileSystem.renameWithoutReplacing(staged, directory.path("cur/again")) }
    }
}
