import Cutover
import Foundation
import MailTestSupport
import Plan
import Testing

/// POP3-only users against the testbed's Courier: a fresh account read over POP3 (Courier
/// writes courierpop3dsizelist), next to an account read over IMAP (courierimapuiddb).
@Suite("plan POP3-only users against the testbed", .tags(.integration), .requiresTestbed)
struct POP3UserCheckTests {
    @Test("an account only ever read over POP3 is reported with what the cutover means for it; IMAP users are not")
    func pop3OnlyUser() async throws {
        let testbed = try Testbed.require()
        let pop = try await testbed.makeAccount(prefix: "plan2pop")
        let imap = try await testbed.makeAccount(prefix: "plan2imap")
        // One message in the POP3 user's INBOX, owned by the user as delivered mail is.
        let owner = try FileManager.default.attributesOfItem(atPath: pop.oldMaildir)
        let message = "\(pop.oldMaildir)/new/1765000000.M1P1.plan2pop"
        try "From: a@example.test\r\nSubject: pop\r\n\r\nhello\r\n".write(toFile: message, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.ownerAccountID: owner[.ownerAccountID]!, .groupOwnerAccountID: owner[.groupOwnerAccountID]!], ofItemAtPath: message)
        let session = try await POP3TestSession(testbed.old.requirePOP3())
        await #expect(try session.login(pop.name, pop.password()).isOK)
        await #expect(try session.uidl().count == 1)
        try await session.quit()
        // The other account opened over IMAP once.
        let imapSession = try await IMAPTestSession(testbed.old.imap)
        await #expect(try imapSession.login(imap.name, imap.password()).isOK)
        await #expect(try imapSession.command("SELECT INBOX").isOK)
        try await imapSession.command("LOGOUT")

        let check = POP3UserCheck(host: LocalHost(name: "old (local)"))
        #expect(try await check.use(of: pop.oldMaildir) == .pop3Only)
        #expect(try await check.use(of: imap.oldMaildir) == .imap)
        let findings = await check.run(accounts: [pop.name, imap.name, "tbplan2nosuchuser"])
        let text = findings.map { "\($0.severity) \($0.subject): \($0.message)" }.joined(separator: "\n")
        let warnings = findings.filter { $0.severity == .warning }
        #expect(warnings.map(\.subject) == [pop.name], "\(text)")
        #expect(warnings.first?.action?.contains("pop3_uidl_format") == true, "\(text)")
        #expect(findings.contains { $0.severity == .ok && $0.message == "1 of 3 accounts read mail only over POP3" }, "\(text)")
    }
}
