import Foundation
import MailTestSupport
import Testing

/// The authentication paths the migration uses: Courier shell users through PAM, Dovecot
/// passwd-file users, and Dovecot's master user (LOGIN "user*master" and SASL PLAIN authzid).
@Suite(.tags(.integration), .requiresTestbed)
struct LoginTests {
    @Test func courierAuthenticatesAShellUser() async throws {
        let testbed = try Testbed.require()
        let user = try testbed.user("tbalice")
        let imap = try await IMAPTestSession(testbed.old.imap)
        try #require(try await imap.login(user.name, try user.password()).isOK)
        // Courier's namespace: everything under "INBOX." with "." as separator.
        let namespace = try await imap.command("NAMESPACE")
        #expect(namespace.untagged.contains { $0.contains(#"(("INBOX." "."))"#) })
    }

    /// Slow on purpose: Courier and PAM delay a failed login by several seconds.
    @Test func courierRejectsAWrongPassword() async throws {
        let testbed = try Testbed.require()
        let imap = try await IMAPTestSession(testbed.old.imap)
        #expect(try await imap.login("tbalice", "wrong-\(UUID().uuidString)").status == "NO")
    }

    @Test func dovecotAuthenticatesAUserAndRejectsAWrongPassword() async throws {
        let testbed = try Testbed.require()
        let user = try testbed.user("tbalice")
        let bad = try await IMAPTestSession(testbed.new.imap)
        #expect(try await bad.login(user.name, "wrong-\(UUID().uuidString)").status == "NO")
        let imap = try await IMAPTestSession(testbed.new.imap)
        try #require(try await imap.login(user.name, try user.password()).isOK)
        // Dovecot's namespace: no prefix, "/" as separator.
        let namespace = try await imap.command("NAMESPACE")
        #expect(namespace.untagged.contains { $0.contains(#"(("" "/"))"#) })
    }

    @Test func dovecotMasterUserActsAsTheUser() async throws {
        let testbed = try Testbed.require()
        let master = try #require(testbed.new.masterUser)
        let user = try await testbed.makeAccount(prefix: "master")
        let token = UUID().uuidString
        let message = "Subject: appended by the master user\r\nX-Testbed-Token: \(token)\r\n\r\nhello\r\n"

        let asMaster = try await IMAPTestSession(testbed.new.imap)
        try #require(try await asMaster.login(master.loginName(actingAs: user.name), try master.password()).isOK)
        let append = try await asMaster.command("APPEND INBOX {\(message.utf8.count)+}\r\n\(message)")
        try #require(append.isOK, "\(append.text)")

        // The user sees what the master user stored: it acted as that user.
        let asUser = try await IMAPTestSession(testbed.new.imap)
        try #require(try await asUser.login(user.name, try user.password()).isOK)
        try #require(try await asUser.command("SELECT INBOX").isOK)
        let search = try await asUser.command("UID SEARCH HEADER X-Testbed-Token \(token)")
        #expect(search.untagged.contains { $0.hasPrefix("* SEARCH ") })
    }

    @Test func dovecotMasterUserWithSASLPlainAuthzid() async throws {
        let testbed = try Testbed.require()
        let master = try #require(testbed.new.masterUser)
        let target = "tbbench"
        let right = Data("\(target)\0\(master.name)\0\(try master.password())".utf8).base64EncodedString()
        let imap = try await IMAPTestSession(testbed.new.imap)
        #expect(try await imap.command("AUTHENTICATE PLAIN \(right)").isOK)
        let wrong = Data("\(target)\0\(master.name)\0wrong".utf8).base64EncodedString()
        let other = try await IMAPTestSession(testbed.new.imap)
        #expect(try await other.command("AUTHENTICATE PLAIN \(wrong)").status == "NO")
    }

    @Test func dovecotMasterUserWithWrongPasswordFails() async throws {
        let testbed = try Testbed.require()
        let master = try #require(testbed.new.masterUser)
        let imap = try await IMAPTestSession(testbed.new.imap)
        #expect(try await imap.login(master.loginName(actingAs: "tbbench"), "wrong").status == "NO")
    }
}
