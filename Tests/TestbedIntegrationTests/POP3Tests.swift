import Foundation
import MailTestSupport
import Testing

/// POP3 on both sides, for the UIDL-preserving migration: Courier's UIDLs come from its
/// courierpop3dsizelist, Dovecot shows the UIDL a migration records per message in
/// dovecot-uidlist (P<uidl>, in O<n> order) and its own format for everything else.
@Suite(.tags(.integration), .requiresTestbed)
struct POP3Tests {
    /// Logs in and polls UIDL until `count` messages are listed.
    static func uidls(_ endpoint: TestbedEndpoint, _ login: String, _ password: String, count: Int) async throws -> [String] {
        try await Poll.until("\(count) message(s) over POP3 at \(endpoint) for \(login)") {
            let pop = try await POP3TestSession(endpoint)
            let answer = try await pop.login(login, password)
            try #require(answer.isOK, "\(answer.text)")
            let uidls = try await pop.uidl()
            try await pop.quit()
            return uidls.count == count ? uidls : nil
        }
    }

    @Test func courierShowsADeliveredMessageInUIDL() async throws {
        let testbed = try Testbed.require()
        let pop3 = try testbed.old.requirePOP3()
        let user = try await testbed.makeAccount(prefix: "pop")
        try await DeliveryTests.send(through: testbed.old.smtp, to: user.oldAddress, token: UUID().uuidString)

        let greeting = try await POP3TestSession(pop3).greeting
        #expect(greeting == "Hello there.", "Courier's greeting: \(greeting)")
        let uidls = try await Self.uidls(pop3, user.name, try user.password(), count: 1)
        // Courier 5: "UID<n>-<uidvalidity>" from its own POP3 counter (maildir-formats.md §2.5).
        #expect(uidls[0].wholeMatch(of: /UID[0-9]+-[0-9]+/) != nil, "\(uidls)")

        // The UIDL is what courierpop3dsizelist (version 3) records for the message.
        let list = try String(contentsOfFile: user.oldMaildir + "/courierpop3dsizelist", encoding: .utf8)
        let lines = list.split(separator: "\n")
        #expect(lines.first?.hasPrefix("/3 ") == true, "\(list)")
        let record = try #require(lines.dropFirst().first?.split(separator: " "))
        let uidAndValidity = record[2].split(separator: ":")
        #expect(uidls[0] == "UID\(uidAndValidity[0])-\(uidAndValidity[1])", "\(list)")
    }

    @Test func dovecotShowsTheSameUIDLsToTheUserAndTheMasterUser() async throws {
        let testbed = try Testbed.require()
        let pop3 = try testbed.new.requirePOP3()
        let master = try #require(testbed.new.masterUser)
        let user = try await testbed.makeAccount(prefix: "pop")
        try await DeliveryTests.send(through: testbed.new.smtp, to: user.newAddress, token: UUID().uuidString)

        let uidls = try await Self.uidls(pop3, user.name, try user.password(), count: 1)
        // pop3_uidl_format %08Xu%08Xv: IMAP UID and UIDVALIDITY, 8 hex digits each
        // (Dovecot prints them in lower case).
        let imap = try await IMAPTestSession(testbed.new.imap)
        try #require(try await imap.login(user.name, try user.password()).isOK)
        let status = try await imap.command("STATUS INBOX (UIDVALIDITY)")
        let validity = try #require(status.untagged.first?.firstMatch(of: /UIDVALIDITY ([0-9]+)/).flatMap { UInt32($0.1) })
        #expect(uidls == [String(format: "%08x%08x", UInt32(1), validity)])

        let asMaster = try await Self.uidls(pop3, master.loginName(actingAs: user.name), try master.password(), count: 1)
        #expect(asMaster == uidls)
    }

    /// What a Courier→Dovecot migration writes before the user's first login: messages in
    /// cur/ and a dovecot-uidlist with P (the Courier UIDL) and O (Courier's POP3 order).
    @Test func dovecotShowsTheUIDLsAMigrationRecordedInDovecotUIDList() async throws {
        let testbed = try Testbed.require()
        let pop3 = try testbed.new.requirePOP3()
        let owner = try #require(testbed.new.mailOwner)
        let user = try await testbed.makeAccount(prefix: "popmig")
        let maildir = user.newMaildir
        let files = FileManager.default
        try #require(!files.fileExists(atPath: user.newHome), "a fresh account has no new-side home yet")
        for dir in ["cur", "new", "tmp"] {
            try files.createDirectory(atPath: "\(maildir)/\(dir)", withIntermediateDirectories: true)
        }
        let names = (1...3).map { "1700000000.M\($0)P42.mx.old.test" }
        for (index, name) in names.enumerated() {
            try "Subject: migrated \(index + 1)\n\nbody \(index + 1)\n".write(
                toFile: "\(maildir)/cur/\(name):2,S", atomically: false, encoding: .utf8)
        }
        // Message 2 was first in Courier's POP3 list; message 3 has no recorded UIDL.
        try """
            3 V1690000000 N4
            1 O2 PUID7-1680000000 :\(names[0])
            2 O1 PUID8-1680000000 :\(names[1])
            3 :\(names[2])

            """.write(toFile: "\(maildir)/dovecot-uidlist", atomically: false, encoding: .utf8)
        for path in [user.newHome, maildir] + (try files.subpathsOfDirectory(atPath: maildir)).map({ "\(maildir)/\($0)" }) {
            try files.setAttributes([.ownerAccountName: owner, .groupOwnerAccountName: owner], ofItemAtPath: path)
        }

        let uidls = try await Self.uidls(pop3, user.name, try user.password(), count: 3)
        #expect(uidls == ["UID8-1680000000", "UID7-1680000000", String(format: "%08x%08x", UInt32(3), UInt32(1_690_000_000))])
        let pop = try await POP3TestSession(pop3)
        try #require(try await pop.login(user.name, try user.password()).isOK)
        let first = try await pop.multiline("TOP 1 0")
        #expect(first.lines.contains("Subject: migrated 2"), "O1 is listed first: \(first.lines)")
        try await pop.quit()
    }
}
