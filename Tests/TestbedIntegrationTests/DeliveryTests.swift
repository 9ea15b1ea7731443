import Foundation
import MailTestSupport
import Testing

/// Each Postfix delivers into its own server's mailboxes, and the message is then visible
/// over that server's IMAP: the chain the mirror, sync and cutover work relies on.
@Suite(.tags(.integration), .requiresTestbed)
struct DeliveryTests {
    @Test func oldPostfixDeliversIntoTheShellUsersCourierMaildir() async throws {
        let testbed = try Testbed.require()
        let user = try await testbed.makeAccount(prefix: "deliv")
        let token = UUID().uuidString
        try await Self.send(through: testbed.old.smtp, to: user.oldAddress, token: token)

        let imap = try await IMAPTestSession(testbed.old.imap)
        #expect(imap.greeting.contains("Courier-IMAP"))
        try #require(try await imap.login(user.name, try user.password()).isOK)
        let body = try await Self.waitForMessage(in: imap, token: token)
        #expect(body.contains("Body for \(token)"))

        // local(8) wrote it as the shell user into ~/Maildir (Courier moved it to cur/ on SELECT).
        let cur = user.oldMaildir + "/cur"
        let files = try FileManager.default.contentsOfDirectory(atPath: cur)
        #expect(files.count == 1)
        let owner = try FileManager.default.attributesOfItem(atPath: cur + "/" + files[0])[.ownerAccountName] as? String
        #expect(owner == user.name)
    }

    @Test func newPostfixDeliversOverLMTPIntoDovecot() async throws {
        let testbed = try Testbed.require()
        let user = try await testbed.makeAccount(prefix: "deliv")
        let token = UUID().uuidString
        try await Self.send(through: testbed.new.smtp, to: user.newAddress, token: token)

        let imap = try await IMAPTestSession(testbed.new.imap)
        #expect(imap.greeting.contains("Dovecot"))
        try #require(try await imap.login(user.name, try user.password()).isOK)
        let body = try await Self.waitForMessage(in: imap, token: token)
        #expect(body.contains("Body for \(token)"))
        #expect(FileManager.default.fileExists(atPath: user.newMaildir + "/cur"))
    }

    @Test(arguments: ["old", "new"])
    func postfixRejectsUnknownRecipients(side: String) async throws {
        let testbed = try Testbed.require()
        let server = side == "old" ? testbed.old : testbed.new
        let smtp = try await SMTPTestSession(server.smtp)
        try await smtp.socket.write("MAIL FROM:<a@example.test>\r\n")
        #expect(try await smtp.reply().code == 250)
        try await smtp.socket.write("RCPT TO:<tbnobody\(UInt32.random(in: 0...UInt32.max))@\(server.domain)>\r\n")
        let reply = try await smtp.reply()
        #expect(reply.code == 550, "\(reply.text)")
        try await smtp.quit()
    }

    static func send(through endpoint: TestbedEndpoint, to address: String, token: String) async throws {
        let smtp = try await SMTPTestSession(endpoint)
        let reply = try await smtp.send(from: "sender@example.test", to: [address], message: """
            From: Sender <sender@example.test>
            To: <\(address)>
            Subject: testbed delivery \(token)
            X-Testbed-Token: \(token)
            Message-ID: <\(token)@example.test>

            Body for \(token)
            .a line that starts with a dot
            """)
        #expect(reply.contains("queued"))
        try await smtp.quit()
    }

    /// Re-selects INBOX until the message with `token` shows up; returns its full text.
    static func waitForMessage(in imap: IMAPTestSession, token: String) async throws -> String {
        let uid: String = try await Poll.until("message \(token) over IMAP") {
            try #require(try await imap.command("SELECT INBOX").isOK)
            let search = try await imap.command("UID SEARCH HEADER X-Testbed-Token \(token)")
            let uids = search.untagged.first { $0.hasPrefix("* SEARCH") }?.split(separator: " ").dropFirst(2)
            return uids?.first.map(String.init)
        }
        let fetch = try await imap.command("UID FETCH \(uid) BODY.PEEK[]")
        try #require(fetch.isOK && fetch.literals.count == 1)
        let text = String(decoding: fetch.literals[0], as: UTF8.self)
        #expect(text.contains("\r\n..a line that starts with a dot") == false)  // dot-stuffing undone
        #expect(text.contains(".a line that starts with a dot"))
        return text
    }
}
