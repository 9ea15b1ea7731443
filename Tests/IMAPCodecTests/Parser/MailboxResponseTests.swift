import IMAPCodec
import MailModel
import Testing

@Suite struct MailboxResponseTests {
    static func path(_ wire: String, _ separator: Character?) -> MailboxPath { MailboxPath(wire: Array(wire.utf8), separator: separator) }

    static let fixtures: [ParseFixture] = [
        ParseFixture("Courier LIST", "* LIST (\\HasNoChildren) \".\" \"INBOX.Entw&APw-rfe\"\r\n",
            .success([.untagged(.list(MailboxInfo(attributes: [.hasNoChildren], path: path("INBOX.Entw&APw-rfe", "."))))])),
        ParseFixture("Dovecot LIST with SPECIAL-USE", "* LIST (\\HasNoChildren \\Sent) \"/\" Sent\r\n",
            .success([.untagged(.list(MailboxInfo(attributes: [.hasNoChildren, .sent], path: path("Sent", "/"))))])),
        ParseFixture("LIST inbox lower case", "* LIST (\\Marked) \"/\" inbox\r\n",
            .success([.untagged(.list(MailboxInfo(attributes: [.marked], path: path("INBOX", "/"))))])),
        ParseFixture("LIST NIL separator", "* LIST () NIL Foo\r\n",
            .success([.untagged(.list(MailboxInfo(attributes: [], path: path("Foo", nil))))])),
        ParseFixture("LIST literal name", "* LIST (\\HasChildren) \".\" {11}\r\nINBOX.a \"b\"\r\n",
            .success([.untagged(.list(MailboxInfo(attributes: [.hasChildren], path: path("INBOX.a \"b\"", "."))))])),
        ParseFixture("LIST raw UTF-8 (UTF8=ACCEPT)", "* LIST (\\HasNoChildren) \".\" \"INBOX.Entwürfe\"\r\n",
            .success([.untagged(.list(MailboxInfo(attributes: [.hasNoChildren], path: path("INBOX.Entwürfe", "."))))])),
        ParseFixture("LIST escaped quote", "* LIST () \"/\" \"a\\\\b\\\"c\"\r\n",
            .success([.untagged(.list(MailboxInfo(attributes: [], path: path("a\\b\"c", "/"))))])),
        ParseFixture("LIST-EXTENDED CHILDINFO", "* LIST (\\Subscribed) \"/\" Foo (\"CHILDINFO\" (\"SUBSCRIBED\"))\r\n",
            .success([.untagged(.list(MailboxInfo(attributes: [.subscribed], path: path("Foo", "/"), extensionNames: ["CHILDINFO"])))])),
        ParseFixture("LSUB", "* LSUB () \".\" INBOX.Archive\r\n",
            .success([.untagged(.lsub(MailboxInfo(attributes: [], path: path("INBOX.Archive", "."))))])),
        ParseFixture("LIST literal incomplete", "* LIST () \".\" {11}\r\nINBOX", .incomplete([])),
        ParseFixture("LIST missing name", "* LIST () \".\"\r\n", .failure),
        ParseFixture("LIST two-char separator", "* LIST () \"..\" Foo\r\n", .failure),
        ParseFixture("LIST unterminated quote", "* LIST () \".\" \"Foo\r\n", .failure),
        ParseFixture("LIST NUL in name", "* LIST () \".\" \"F\0o\"\r\n", .failureKind(.nulByte)),

        ParseFixture("STATUS", "* STATUS \"INBOX.Archive.2019\" (MESSAGES 231 UIDNEXT 44292 UIDVALIDITY 1 UNSEEN 0 HIGHESTMODSEQ 7 SIZE 123456)\r\n",
            .success([.untagged(.status(path("INBOX.Archive.2019", nil), MailboxStatus(
                messageCount: 231, uidNext: UID(exactly: 44292), uidValidity: UIDValidity(1), unseenCount: 0,
                size: 123456, highestModSeq: ModSeq(7))))])),
        ParseFixture("STATUS empty list", "* STATUS blurdybloop ()\r\n",
            .success([.untagged(.status(path("blurdybloop", nil), MailboxStatus()))])),
        ParseFixture("STATUS APPENDLIMIT NIL", "* STATUS x (APPENDLIMIT NIL MESSAGES 1)\r\n",
            .success([.untagged(.status(path("x", nil), MailboxStatus(messageCount: 1)))])),
        ParseFixture("STATUS unknown attribute", "* STATUS x (X-FOO 5 MESSAGES 1)\r\n",
            .success([.untagged(.status(path("x", nil), MailboxStatus(messageCount: 1)))])),
        ParseFixture("STATUS missing value", "* STATUS x (MESSAGES)\r\n", .failure),
        ParseFixture("STATUS UIDNEXT 0", "* STATUS x (UIDNEXT 0)\r\n", .failure),

        ParseFixture("Courier NAMESPACE", "* NAMESPACE ((\"INBOX.\" \".\")) NIL ((\"#shared.\" \".\")(\"shared.\" \".\"))\r\n",
            .success([.untagged(.namespace(NamespaceResponse(
                personal: [NamespaceDescription(prefix: path("INBOX.", "."))], otherUsers: [],
                shared: [NamespaceDescription(prefix: path("#shared.", ".")), NamespaceDescription(prefix: path("shared.", "."))])))])),
        ParseFixture("Dovecot NAMESPACE", "* NAMESPACE ((\"\" \"/\")) NIL NIL\r\n",
            .success([.untagged(.namespace(NamespaceResponse(personal: [NamespaceDescription(prefix: path("", "/"))], otherUsers: [], shared: [])))])),
        ParseFixture("NAMESPACE with extension", "* NAMESPACE ((\"\" \"/\" \"X-PARAM\" (\"FLAG1\" \"FLAG2\"))) NIL NIL\r\n",
            .success([.untagged(.namespace(NamespaceResponse(personal: [NamespaceDescription(prefix: path("", "/"))], otherUsers: [], shared: [])))])),
        ParseFixture("NAMESPACE missing part", "* NAMESPACE NIL NIL\r\n", .failure),
        ParseFixture("NAMESPACE empty list", "* NAMESPACE () NIL NIL\r\n", .failure),

        ParseFixture("FLAGS", "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded NonJunk)\r\n",
            .success([.untagged(.flags([.answered, .flagged, .deleted, .seen, .draft, Flag("$Forwarded"), Flag("NonJunk")]))])),
        ParseFixture("FLAGS empty", "* FLAGS ()\r\n", .success([.untagged(.flags([]))])),
        ParseFixture("FLAGS unclosed", "* FLAGS (\\Seen\r\n", .failure),
        ParseFixture("EXISTS", "* 172 EXISTS\r\n", .success([.untagged(.exists(172))])),
        ParseFixture("RECENT", "* 1 RECENT\r\n", .success([.untagged(.recent(1))])),
        ParseFixture("EXPUNGE", "* 44 EXPUNGE\r\n", .success([.untagged(.expunge(SequenceNumber(44)!))])),
        ParseFixture("EXPUNGE 0", "* 0 EXPUNGE\r\n", .failure),
        ParseFixture("EXISTS too big", "* 99999999999 EXISTS\r\n", .failure),
        ParseFixture("number then junk", "* 5 WHATEVER\r\n", .failure),

        ParseFixture("UID SEARCH", "* SEARCH 2 84 882\r\n", .success([.untagged(.search([2, 84, 882], highestModSeq: nil))])),
        ParseFixture("SEARCH empty", "* SEARCH\r\n", .success([.untagged(.search([], highestModSeq: nil))])),
        ParseFixture("SEARCH trailing space", "* SEARCH 1 \r\n", .success([.untagged(.search([1], highestModSeq: nil))])),
        ParseFixture("SEARCH MODSEQ", "* SEARCH 2 5 6 (MODSEQ 917162500)\r\n",
            .success([.untagged(.search([2, 5, 6], highestModSeq: ModSeq(917_162_500)))])),
        ParseFixture("SEARCH non-number", "* SEARCH 1 x\r\n", .failure),
    ]

    @Test(arguments: fixtures)
    func parses(_ fixture: ParseFixture) {
        #expect(fixture.check() == nil)
    }
}
