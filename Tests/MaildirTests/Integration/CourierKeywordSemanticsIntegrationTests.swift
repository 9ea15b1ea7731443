import Foundation
import Glibc
import MailModel
import MailTestSupport
import Testing
@testable import Maildir

/// Keyword files planted by hand into a real Courier mailbox: the reader must show exactly
/// what Courier shows. Settles the points where maildir-formats.md and Courier's code
/// disagree (an empty line ends an update file; it is not skipped).
@Suite("Courier keyword files, read by Courier and by this code", .tags(.integration), .requiresTestbed)
struct CourierKeywordSemanticsIntegrationTests {
    @Test func plantedUpdateFilesReadTheSameAsCourierReadsThem() async throws {
        let testbed = try Testbed.require()
        let user = try await testbed.makeAccount(prefix: "kwfiles")
        let session = try await IMAPTestSession(testbed.old.imap)
        try #require(try await session.login(user.name, try user.password()).isOK)
        for index in 1...5 {
            let message = "Subject: \(index)\r\n\r\nbody\r\n"
            try #require(try await session.command("APPEND INBOX (\\Seen) {\(message.utf8.count)}\r\n\(message)").isOK)
        }
        try #require(try await session.command("SELECT INBOX").isOK)
        _ = try await session.command("LOGOUT")

        let maildir = try CourierMaildir(root: user.oldMaildir)
        let bases = try maildir.read(maildir.inbox).messages.map(\.base)
        try #require(bases.count == 5)
        let directory = user.oldMaildir + "/courierimapkeywords"
        let owner = try #require(try FileSystem.status(user.oldMaildir))
        mkdir(directory, 0o700)
        chown(directory, owner.ownerUID, owner.ownerGID)
        func plant(_ name: String, _ content: String) {
            let path = directory + "/" + name
            #expect(FileManager.default.createFile(atPath: path, contents: Data(content.utf8)), "could not create the test file")
            chown(path, owner.ownerUID, owner.ownerGID)
        }
        plant(bases[0], "Alpha\n\nBeta\n")  // ends at the empty line
        plant(".99999997.\(bases[1])", "Gamma\n")  // the largest generation wins
        plant(".99999998.\(bases[1])", "Delta\n")
        plant(".99999999.\(bases[2])", "Old\n")  // a fresh update beats any aged one
        plant(bases[2], "New\n")
        plant(bases[3], "x y\nFoo(bar\n")  // forbidden characters become '_'
        plant(".tmp.1700000000evil", "Evil\n")  // scratch files are ignored
        plant(bases[4], "")  // empty: no keywords

        let mine = try IMAPMailboxView.read(maildir)[[]]
        let check = try await IMAPTestSession(testbed.old.imap)
        try #require(try await check.login(user.name, try user.password()).isOK)
        let courier = try await IMAPMailboxView.view(check, "INBOX")
        #expect(mine == courier)
        let flags = courier.messages.keys.sorted().map { courier.messages[$0]!.flags }
        #expect(flags == [["\\Seen", "Alpha"], ["\\Seen", "Delta"], ["\\Seen", "New"], ["\\Seen", "x_y", "Foo_bar"], ["\\Seen"]])
    }
}
