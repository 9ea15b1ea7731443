import Foundation
import MailTestSupport
import Testing

/// Dovecot's quota on the new side: off by default, per account with
/// `makeAccount(prefix:quota:)`. The sync engine's "destination over quota" cases run
/// against exactly these answers.
@Suite(.tags(.integration), .requiresTestbed)
struct QuotaTests {
    /// 90 KiB of body: two fit into 200K, the third does not.
    static func message(_ token: String) -> String {
        let line = String(repeating: "q", count: 88) + "\r\n"
        return "Subject: quota \(token)\r\nX-Testbed-Token: \(token)\r\n\r\n" + String(repeating: line, count: 1024)
    }

    static func append(_ imap: IMAPTestSession, _ token: String) async throws -> IMAPTestResponse {
        let message = message(token)
        return try await imap.command("APPEND INBOX {\(message.utf8.count)+}\r\n\(message)")
    }

    @Test func appendOverTheQuotaIsRefusedWithOVERQUOTA() async throws {
        let testbed = try Testbed.require()
        let user = try await testbed.makeAccount(prefix: "quota", quota: .kibibytes(200))
        #expect(user.quota?.bytes == 204_800)

        let imap = try await IMAPTestSession(testbed.new.imap)
        try #require(try await imap.login(user.name, try user.password()).isOK)
        let root = try await imap.command("GETQUOTAROOT INBOX")
        #expect(root.untagged.contains(#"* QUOTA "User quota" (STORAGE 0 200)"#), "\(root.untagged)")
        #expect(try await Self.append(imap, "one").isOK)
        #expect(try await Self.append(imap, "two").isOK)
        let refused = try await Self.append(imap, "three")
        // Dovecot 2.3.19: "NO [OVERQUOTA] Quota exceeded (mailbox for user is full) (0.001 + 0.000 secs)."
        #expect(refused.status == "NO")
        #expect(refused.text.hasPrefix("NO [OVERQUOTA] Quota exceeded (mailbox for user is full)"), "\(refused.text)")

        // The master user (how the sync engine logs in) meets the same limit.
        let master = try #require(testbed.new.masterUser)
        let asMaster = try await IMAPTestSession(testbed.new.imap)
        try #require(try await asMaster.login(master.loginName(actingAs: user.name), try master.password()).isOK)
        #expect(try await Self.append(asMaster, "four").text.hasPrefix("NO [OVERQUOTA]"))

        // What was accepted stays; nothing of the refused ones is stored.
        let select = try await imap.command("SELECT INBOX")
        #expect(select.untagged.contains("* 2 EXISTS"), "\(select.untagged)")
    }

    /// Every unit adduser accepts means to Dovecot what testbed.json says (GETQUOTAROOT
    /// reports the limit in KiB).
    @Test(arguments: [("204800B", 200), ("200K", 200), ("3M", 3072), ("1G", 1_048_576)])
    func dovecotReadsTheLimitInEveryUnit(storage: String, kibibytes: Int) async throws {
        let testbed = try Testbed.require()
        let quota = try TestbedQuota(storage: storage)
        #expect(quota.bytes == kibibytes * 1024)
        let user = try await testbed.makeAccount(prefix: "quotaunit", quota: quota)
        let imap = try await IMAPTestSession(testbed.new.imap)
        try #require(try await imap.login(user.name, try user.password()).isOK)
        let root = try await imap.command("GETQUOTAROOT INBOX")
        #expect(root.untagged.contains(#"* QUOTA "User quota" (STORAGE 0 \#(kibibytes))"#), "\(root.untagged)")
    }

    @Test func anAccountWithoutQuotaHasNoLimit() async throws {
        let testbed = try Testbed.require()
        let user = try await testbed.makeAccount(prefix: "noquota")
        #expect(user.quota == nil)
        let imap = try await IMAPTestSession(testbed.new.imap)
        try #require(try await imap.login(user.name, try user.password()).isOK)
        // Dovecot 2.3.19 answers "OK No quota (...)" with no untagged QUOTAROOT at all
        // (RFC 2087 would send "* QUOTAROOT INBOX"): clients must accept both.
        let root = try await imap.command("GETQUOTAROOT INBOX")
        #expect(root.text.hasPrefix("OK No quota"), "\(root.text)")
        #expect(!root.untagged.contains { $0.hasPrefix("* QUOTA ") }, "\(root.untagged)")
        // More than the quota of the other test, accepted.
        for token in ["a", "b", "c"] { #expect(try await Self.append(imap, token).isOK) }
    }

    /// Delivery meets the limit too: Dovecot's LMTP refuses the message permanently.
    @Test func lmtpRefusesDeliveryOverTheQuota() async throws {
        let testbed = try Testbed.require()
        let user = try await testbed.makeAccount(prefix: "quotalmtp", quota: .kibibytes(50))
        let endpoint = try #require(testbed.new.lmtp)
        let lmtp = try await LineSocket(host: endpoint.host, port: endpoint.port)
        #expect(try await lmtp.readLine().hasPrefix("220 "))
        try await lmtp.write("LHLO client.test\r\n")
        while try await !lmtp.readLine().hasPrefix("250 ") {}
        try await lmtp.write("MAIL FROM:<sender@example.test>\r\nRCPT TO:<\(user.newAddress)>\r\nDATA\r\n")
        #expect(try await lmtp.readLine().hasPrefix("250 "))
        #expect(try await lmtp.readLine().hasPrefix("250 "))
        #expect(try await lmtp.readLine().hasPrefix("354 "))
        try await lmtp.write(Self.message("lmtp").replacingOccurrences(of: "\r\n.", with: "\r\n..") + "\r\n.\r\n")
        // Permanent (5.2.2), so Postfix bounces instead of retrying.
        let reply = try await lmtp.readLine()
        #expect(reply == "552 5.2.2 <\(user.newAddress)> Quota exceeded (mailbox for user is full)")
    }
}
