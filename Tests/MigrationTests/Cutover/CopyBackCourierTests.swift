import Cutover
import Foundation
import Logging
import MailTestSupport
import Testing
import Verify

@testable import Migration

/// The copy-back on the testbed: the marks read from the real Dovecot over IMAP, mail that
/// arrived after them written into the real Courier Maildir, and Courier's IMAP shows each
/// copied message with the bytes Dovecot serves and its flags, keywords included; a second
/// run writes nothing.
@Suite(.tags(.integration), .requiresTestbed)
struct CopyBackCourierTests {
    static func fetchAll(_ session: IMAPTestSession, _ mailbox: String) async throws -> [(flags: String, bytes: [UInt8])] {
        await #expect(try session.command("SELECT \(IMAPTestSession.quoted(mailbox))").isOK)
        let fetched = try await session.command("UID FETCH 1:* (FLAGS BODY.PEEK[])")
        #expect(fetched.isOK, "\(fetched.text)")
        let lines = fetched.untagged.filter { $0.contains("FETCH") }
        return zip(lines, fetched.literals).map { line, bytes in
            let flags = line.range(of: "FLAGS (").map { String(line[$0.upperBound...].prefix { $0 != ")" }) } ?? ""
            return (flags, bytes)
        }
    }

    /// A new testbed account on both servers, its password, and a state directory removed afterwards.
    static func withFreshAccount(
        _ prefix: String, _ body: (Testbed, TestbedUser, String, String) async throws -> Void
    ) async throws {
        let testbed = try Testbed.require()
        let user = try await testbed.makeAccount(prefix: prefix)
        let password = try String(contentsOfFile: user.passwordFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let state = NSTemporaryDirectory() + "mailferry-\(prefix)-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: state) }
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        try await body(testbed, user, password, state)
    }

    @Test func mailAfterTheMarksIsVisibleThroughCourierWithTheSameBytes() async throws {
        try await Self.withFreshAccount("cutback") { testbed, user, password, state in
            let config = """
                [source]
                url = "maildir:\(user.oldMaildir)"
                [destination]
                url = "imap://127.0.0.1:\(testbed.new.imap.port)"
                password_file = "\(user.passwordFile)"
                ca_file = "\(testbed.caFile)"
                [sync]
                state = "\(state)"
                [[accounts]]
                user = "\(user.name)"
                """
            try config.write(toFile: "\(state)/config.toml", atomically: true, encoding: .utf8)

            // Both sides have an Archive folder, as after `sync`; the new side holds one message
            // from before the switch.
            let courier = try await IMAPTestSession(testbed.old.imap)
            await #expect(try courier.login(user.name, password).isOK)
            await #expect(try courier.command("CREATE INBOX.Archive").isOK)
            let dovecot = try await IMAPTestSession(testbed.new.imap)
            await #expect(try dovecot.login(user.name, password).isOK)
            await #expect(try dovecot.command("CREATE Archive").isOK)
            await #expect(try dovecot.append(to: "INBOX", Array("Subject: before the switch\r\n\r\nalready in both stores\r\n".utf8)).isOK)

            let mailboxes = FleetMailboxes(configPath: "\(state)/config.toml", logger: Logger(label: "test"))
            let marks = try await mailboxes.markNewMailboxes()
            #expect(marks.accounts[user.name]?["INBOX"]?.uidNext == 2)

            let inbox = Array("Subject: after the switch\r\nX-Bytes: caf\u{e9} \t trailing \r\n\r\nbody line\r\n.\r\n..dot\r\n".utf8)
            let filed = Array("Subject: filed after the switch\r\n\r\nsieve put me here\r\n".utf8)
            await #expect(try dovecot.append(to: "INBOX", flags: "\\Seen \\Flagged $Forwarded Project-X", inbox).isOK)
            await #expect(try dovecot.append(to: "Archive", filed).isOK)
            let newInbox = try await Self.fetchAll(dovecot, "INBOX")
            let newArchive = try await Self.fetchAll(dovecot, "Archive")
            try await dovecot.command("LOGOUT")

            #expect(try await mailboxes.copyBackSinceSwitch(marks: marks, to: LocalHost()) == 2)
            let oldInbox = try await Self.fetchAll(courier, "INBOX")
            let oldArchive = try await Self.fetchAll(courier, "INBOX.Archive")
            #expect(oldInbox.count == 1 && oldArchive.count == 1)
            #expect(oldInbox.first?.bytes == newInbox.last?.bytes && newInbox.count == 2)
            #expect(oldInbox.first?.flags.split(separator: " ").filter { $0 != "\\Recent" }.map { $0.lowercased() }.sorted()
                == ["$forwarded", "\\flagged", "\\seen", "project-x"], "\(oldInbox.first?.flags ?? "")")
            #expect(oldArchive.first?.bytes == newArchive.first?.bytes && oldArchive.first?.bytes == filed)
            // What Courier serves is what Dovecot served, byte for byte (above); on disk it is LF.
            let onDisk = ["new", "cur"].flatMap { sub in
                ((try? FileManager.default.contentsOfDirectory(atPath: "\(user.oldMaildir)/\(sub)")) ?? []).map { "\(user.oldMaildir)/\(sub)/\($0)" }
            }
            #expect(onDisk.count == 1 && !(FileManager.default.contents(atPath: onDisk[0]).map { [UInt8]($0) } ?? []).contains(0x0D))

            // The step again (a resume): every file is found, nothing is written twice.
            #expect(try await mailboxes.copyBackSinceSwitch(marks: marks, to: LocalHost()) == 0)
            await #expect(try Self.fetchAll(courier, "INBOX").count == 1)
            try await courier.command("LOGOUT")
        }
    }

    /// The marks the final verify reads in its own sessions are the ones a separate read
    /// takes (a folder only the new side has included), and after them the copy-back finds
    /// exactly the mail delivered since: nothing `sync` copied goes back a second time.
    @Test func theVerifysMarksLeadTheCopyBackToExactlyTheMailSinceTheSwitch() async throws {
        try await Self.withFreshAccount("cutmark") { testbed, user, password, state in
            try """
                [source]
                url = "imap://127.0.0.1:\(testbed.old.imap.port)"
                password_file = "\(user.passwordFile)"
                ca_file = "\(testbed.caFile)"
                [destination]
                url = "imap://127.0.0.1:\(testbed.new.imap.port)"
                password_file = "\(user.passwordFile)"
                ca_file = "\(testbed.caFile)"
                [sync]
                state = "\(state)"
                [cutover]
                domains = ["example.test"]
                [cutover.old]
                host = "local"
                maildir = "\(user.oldMaildir)"
                [cutover.new]
                relay_host = "127.0.0.1"
                deliver_locally_command = ["/bin/true"]
                relay_to_old_command = ["/bin/true"]
                close_logins_command = ["/bin/true"]
                open_logins_command = ["/bin/true"]
                [[accounts]]
                user = "\(user.name)"
                """.write(toFile: "\(state)/config.toml", atomically: true, encoding: .utf8)

            let courier = try await IMAPTestSession(testbed.old.imap)
            await #expect(try courier.login(user.name, password).isOK)
            for subject in ["one", "two"] {
                await #expect(try courier.append(to: "INBOX", Array("Subject: \(subject) before the switch\r\n\r\nin both stores\r\n".utf8)).isOK)
            }
            let mailboxes = FleetMailboxes(configPath: "\(state)/config.toml", logger: Logger(label: "test"))
            let copied = try await mailboxes.sync(.final)
            #expect(copied.copied == 2 && copied.problems.isEmpty, "\(copied)")
            // A folder only the new side has, with mail of its own from before the switch.
            let dovecot = try await IMAPTestSession(testbed.new.imap)
            await #expect(try dovecot.login(user.name, password).isOK)
            await #expect(try dovecot.command("CREATE NewOnly").isOK)
            await #expect(try dovecot.append(to: "NewOnly", Array("Subject: new side only\r\n\r\nnever on the old server\r\n".utf8)).isOK)

            let verified = try await mailboxes.verifyAndMark()
            #expect(verified.passed, "\(verified.detail)")
            let marks = try #require(verified.marks)
            #expect(marks == (try await mailboxes.markNewMailboxes()))
            #expect(marks.accounts[user.name]?["INBOX"]?.uidNext == 3)
            #expect(marks.accounts[user.name]?["NewOnly"]?.uidNext == 2)

            let since = Array("Subject: after the switch\r\n\r\ndelivered by the new server\r\n".utf8)
            await #expect(try dovecot.append(to: "INBOX", since).isOK)
            try await dovecot.command("LOGOUT")
            #expect(try await mailboxes.copyBackSinceSwitch(marks: marks, to: LocalHost()) == 1)
            let oldInbox = try await Self.fetchAll(courier, "INBOX")
            #expect(oldInbox.count == 3)
            #expect(oldInbox.last?.bytes == since)
            try await courier.command("LOGOUT")
        }
    }
}
