import Foundation
import Glibc
import MailModel
import MailTestSupport
import Testing
@testable import Maildir

/// Against the real servers of the testbed: Courier writes its own metadata files (driven
/// over IMAP), this code reads them and must see what Courier shows; then converts them
/// into the Dovecot user's Maildir, and Dovecot must show the same over IMAP, before and
/// after changes and a new delivery on the Courier side.
@Suite("Courier → Dovecot on the testbed", .tags(.integration), .requiresTestbed, .serialized)
struct CourierToDovecotIntegrationTests {
    let folders = ["INBOX.Sent", "INBOX.Archive.2019", "INBOX.Entw&APw-rfe", "INBOX.AT&-T"]

    func courier(_ testbed: Testbed, _ user: TestbedUser) throws -> IMAPTestSession {
        let session = try IMAPTestSession(testbed.old.imap)
        try #require(try session.login(user.name, try user.password()).isOK)
        return session
    }

    func dovecot(_ testbed: Testbed, _ user: TestbedUser) throws -> IMAPTestSession {
        let master = try #require(testbed.new.masterUser)
        let session = try IMAPTestSession(testbed.new.imap)
        try #require(try session.login(master.loginName(actingAs: user.name), try master.password()).isOK)
        return session
    }

    func append(_ session: IMAPTestSession, _ mailbox: String, flags: String, date: String?, subject: String) throws {
        let message = "From: a@example.test\r\nTo: b@example.test\r\nSubject: \(subject)\r\nMessage-ID: <\(UUID().uuidString)@x>\r\n\r\nbody of \(subject)\r\n"
        let dateArgument = date.map { " \"\($0)\"" } ?? ""
        let response = try session.command(
            "APPEND \(IMAPTestSession.quoted(mailbox)) (\(flags))\(dateArgument) {\(message.utf8.count)}\r\n\(message)")
        try #require(response.isOK, "APPEND: \(response.text)")
    }

    func deliver(_ testbed: Testbed, _ user: TestbedUser, subject: String) throws {
        let before = Set(directoryNames(user.oldMaildir + "/new"))
        let smtp = try SMTPTestSession(testbed.old.smtp)
        _ = try smtp.send(from: "sender@example.test", to: [user.oldAddress], message: "Subject: \(subject)\r\n\r\nhello\r\n")
        try smtp.quit()
        let deadline = Date().addingTimeInterval(15)
        while Set(directoryNames(user.oldMaildir + "/new")).subtracting(before).isEmpty {
            try #require(Date() < deadline, "the old Postfix did not deliver within 15 s")
            usleep(100_000)
        }
    }

    func directoryNames(_ path: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { !$0.hasPrefix(".") }
    }

    func convert(_ testbed: Testbed, _ user: TestbedUser) throws -> ConversionReport {
        if !FileManager.default.fileExists(atPath: user.newHome) {
            // The admin's destination home: owned like its siblings (the mail owner).
            let parent = try #require(try FileSystem.status((user.newHome as NSString).deletingLastPathComponent))
            try FileManager.default.createDirectory(atPath: user.newHome, withIntermediateDirectories: false)
            chown(user.newHome, parent.ownerUID, parent.ownerGID)
            chmod(user.newHome, 0o700)
        }
        let converter = MaildirConverter(
            source: try CourierMaildir(root: user.oldMaildir), destinationRoot: user.newMaildir, layout: DovecotLayout(),
            ownership: try MaildirOwnership.inferred(maildirRoot: user.newMaildir, home: user.newHome))
        return try converter.run()
    }

    @Test func readersMatchCourierAndDovecotMatchesAfterEachRun() throws {
        let testbed = try Testbed.require()
        let user = try testbed.makeAccount(prefix: "maildir")

        let setup = try courier(testbed, user)
        for folder in folders { try #require(try setup.command("CREATE \(IMAPTestSession.quoted(folder))").isOK) }
        let flagSets = ["\\Seen", "\\Seen \\Answered", "", "\\Flagged \\Draft", "\\Seen \\Deleted", "\\Seen"]
        for (index, flags) in flagSets.enumerated() {
            try append(setup, "INBOX", flags: flags, date: "0\(index + 1)-Jan-2020 10:00:0\(index + 1) +0000", subject: "inbox \(index)")
        }
        for folder in folders {
            try append(setup, folder, flags: "\\Seen", date: nil, subject: "\(folder) 1")
            try append(setup, folder, flags: "", date: nil, subject: "\(folder) 2")
        }
        try #require(try setup.command("SELECT INBOX").isOK)
        for store in ["1 +FLAGS ($Label1 NonJunk)", "2 +FLAGS ($Forwarded Junk)", "3 +FLAGS (junk)", "6 +FLAGS ($Label1)", "6 -FLAGS ($Label1)", "4 +FLAGS (\\Deleted)"] {
            try #require(try setup.command("UID STORE \(store)").isOK)
        }
        try #require(try setup.command("EXPUNGE").isOK)
        try #require(try setup.command("SELECT \"INBOX.Archive.2019\"").isOK)
        try #require(try setup.command("UID STORE 1 +FLAGS (Important)").isOK)
        for folder in ["INBOX.Sent", "INBOX.Entw&APw-rfe"] { _ = try setup.command("SUBSCRIBE \(IMAPTestSession.quoted(folder))") }
        _ = try setup.command("LOGOUT")
        try deliver(testbed, user, subject: "delivered into new/")

        // 1. This code's reader, before Courier sees the new/ message, predicts its UID.
        let mine = try IMAPMailboxView.read(try CourierMaildir(root: user.oldMaildir))
        let courierView = try IMAPMailboxView.read(try courier(testbed, user), separator: ".", prefix: "INBOX.")
        #expect(mine == courierView)
        #expect(courierView[[]]?.messages.count == 5)
        #expect(Set(courierView.keys) == [[], ["Sent"], ["Archive", "2019"], ["Entwürfe"], ["AT&T"]])

        // 2. Converted, Dovecot shows the same.
        let first = try convert(testbed, user)
        #expect(first.succeeded, "\(first.failures) \(first.allDiagnostics)")
        #expect(try IMAPMailboxView.read(try dovecot(testbed, user), separator: "/", prefix: "") == courierView)

        // 3. Changes on Courier and a new delivery; the re-run carries them over.
        let change = try courier(testbed, user)
        try #require(try change.command("SELECT INBOX").isOK)
        for store in ["1 -FLAGS (\\Seen $Label1)", "1 +FLAGS (\\Flagged Later)", "7 +FLAGS (\\Seen $Forwarded)"] {
            try #require(try change.command("UID STORE \(store)").isOK)
        }
        _ = try change.command("LOGOUT")
        try deliver(testbed, user, subject: "second delivery")
        let second = try convert(testbed, user)
        #expect(second.succeeded, "\(second.failures) \(second.allDiagnostics)")
        #expect(second.folders.first { $0.levels.isEmpty }?.copied == 1)
        #expect(second.folders.first { $0.levels.isEmpty }?.flagsUpdated == 2)
        let courierAfter = try IMAPMailboxView.read(try courier(testbed, user), separator: ".", prefix: "INBOX.")
        #expect(try IMAPMailboxView.read(try dovecot(testbed, user), separator: "/", prefix: "") == courierAfter)

        // 4. Nothing left to do: a third run changes nothing.
        let third = try convert(testbed, user)
        #expect(third.folders.allSatisfy { $0.copied == 0 && $0.flagsUpdated == 0 && $0.adopted == 0 })
        let subscriptions = try dovecot(testbed, user).command("LSUB \"\" \"*\"")
        #expect(Set(subscriptions.untagged.compactMap { $0.split(separator: " ").last.map(String.init) }) == ["Sent", "Entw&APw-rfe"])
    }
}
