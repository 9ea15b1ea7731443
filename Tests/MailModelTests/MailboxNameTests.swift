import MailModel
import Testing

@Suite struct MailboxNameTests {
    @Test func inboxIsCaseInsensitiveAtTheFirstLevelOnly() {
        #expect(MailboxName("inbox", separator: ".").name == "INBOX")
        #expect(MailboxName("Inbox.Archive", separator: ".").name == "INBOX.Archive")
        #expect(MailboxName("Archive.inbox", separator: ".").name == "Archive.inbox")
        #expect(MailboxName("InboxOld", separator: ".").name == "InboxOld")
        #expect(MailboxName("inbox/x", separator: ".").name == "inbox/x")
    }

    @Test func componentsParentAndLeaf() {
        let name = MailboxName("INBOX.Archive.2019", separator: ".")
        #expect(name.components == ["INBOX", "Archive", "2019"])
        #expect(name.leaf == "2019")
        #expect(name.parent == MailboxName("INBOX.Archive", separator: "."))
        #expect(MailboxName("INBOX", separator: ".").parent == nil)
    }

    @Test func convertsSeparatorKeepingLevels() {
        let courier = MailboxName(components: ["Archive", "2019"], separator: ".")
        #expect(courier.converted(to: "/") == MailboxName("Archive/2019", separator: "/"))
    }

    @Test func refusesConversionThatWouldChangeTheHierarchy() {
        // A Courier level containing "/" cannot become one Dovecot level.
        #expect(MailboxName("INBOX.a/b", separator: ".").converted(to: "/") == nil)
        #expect(MailboxName("a.b", separator: ".").converted(to: nil) == nil)
    }

    @Test func decodesWireFormsBothWays() throws {
        let mutf7 = try MailboxName(wire: Array("INBOX.Entw&APw-rfe".utf8), separator: ".")
        let utf8 = try MailboxName(wire: Array("INBOX.Entwürfe".utf8), separator: ".", utf8: true)
        #expect(mutf7 == utf8)
        #expect(mutf7.modifiedUTF7 == "INBOX.Entw&APw-rfe")
    }

    @Test func rejectsInvalidUTF8Wire() {
        #expect(throws: (any Error).self) { try MailboxName(wire: [0x49, 0xFF], separator: ".", utf8: true) }
    }
}
