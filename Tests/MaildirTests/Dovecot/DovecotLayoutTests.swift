import MailModel
import Testing
@testable import Maildir

@Suite("Dovecot layout")
struct DovecotLayoutTests {
    @Test func testbedNamespace() throws {
        let layout = DovecotLayout()
        #expect(try layout.levels(of: MailboxName("Archive/2019", separator: "/")) == ["Archive", "2019"])
        #expect(try layout.levels(of: MailboxName("inbox", separator: "/")) == [])
        #expect(layout.mailboxName(levels: ["Entwürfe"]).name == "Entwürfe")
        #expect(try layout.directoryName(levels: ["Archive", "2019"]) == ".Archive.2019")
        #expect(try layout.directoryName(levels: []) == nil)
        #expect(throws: MaildirError.self) { try layout.levels(of: MailboxName("a//b", separator: "/")) }
        #expect(throws: MaildirError.self) { try layout.directoryName(levels: ["a.b"]) }
    }

    @Test func courierCompatibleNamespace() throws {
        let layout = DovecotLayout.courierCompatible
        #expect(try layout.levels(of: MailboxName("INBOX.Sent.2023", separator: ".")) == ["Sent", "2023"])
        #expect(layout.mailboxName(levels: ["Sent"]).name == "INBOX.Sent")
        #expect(throws: MaildirError.self) { try layout.levels(of: MailboxName("Other", separator: ".")) }
    }

    @Test func subscriptionEntriesUseStorageEncoding() throws {
        #expect(try DovecotLayout().subscriptionEntry(levels: ["Résumé", "x"]) == ["R&AOk-sum&AOk-", "x"])
        #expect(try DovecotLayout(encoding: .utf8).subscriptionEntry(levels: ["Résumé"]) == ["Résumé"])
        #expect(try DovecotLayout().subscriptionEntry(levels: []) == ["INBOX"])
        #expect(try DovecotLayout().levels(subscriptionEntry: ["R&AOk-sum&AOk-", "x"]) == ["Résumé", "x"])
    }
}
