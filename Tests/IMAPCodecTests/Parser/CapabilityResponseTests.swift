import IMAPCodec
import Testing

@Suite struct CapabilityResponseTests {
    static let fixtures: [ParseFixture] = [
        ParseFixture("Courier CAPABILITY",
            "* CAPABILITY IMAP4rev1 UIDPLUS CHILDREN NAMESPACE THREAD=ORDEREDSUBJECT THREAD=REFERENCES SORT QUOTA IDLE AUTH=PLAIN ACL ACL2=UNION ENABLE UTF8=ACCEPT\r\n",
            .success([.untagged(.capability(
                ["IMAP4rev1", "UIDPLUS", "CHILDREN", "NAMESPACE", "THREAD=ORDEREDSUBJECT", "THREAD=REFERENCES", "SORT", "QUOTA", "IDLE",
                 "AUTH=PLAIN", "ACL", "ACL2=UNION", "ENABLE", "UTF8=ACCEPT"].map(Capability.init)))])),
        ParseFixture("lower-case keyword", "* capability imap4rev1 literal+\r\n",
            .success([.untagged(.capability([.imap4rev1, .literalPlus]))])),
        ParseFixture("trailing space", "* CAPABILITY IMAP4rev1 \r\n", .success([.untagged(.capability([.imap4rev1]))])),
        ParseFixture("capability incomplete", "* CAPABILITY IMAP4rev1 LIT", .incomplete([])),
        ParseFixture("capability with bad char", "* CAPABILITY IMAP4rev1 (X)\r\n", .failure),
        ParseFixture("ENABLED", "* ENABLED CONDSTORE UTF8=ACCEPT\r\n", .success([.untagged(.enabled([.condStore, .utf8Accept]))])),
        ParseFixture("ENABLED nothing", "* ENABLED\r\n", .success([.untagged(.enabled([]))])),
        ParseFixture("ID", "* ID (\"name\" \"Dovecot\" \"version\" NIL)\r\n",
            .success([.untagged(.id([IDParameter(key: "name", value: "Dovecot"), IDParameter(key: "version", value: nil)]))])),
        ParseFixture("ID NIL", "* ID NIL\r\n", .success([.untagged(.id([]))])),
        ParseFixture("ID with literal value", "* ID (\"name\" {7}\r\nCourier)\r\n",
            .success([.untagged(.id([IDParameter(key: "name", value: "Courier")]))])),
        ParseFixture("ID literal incomplete", "* ID (\"name\" {7}\r\nCour", .incomplete([])),
        ParseFixture("ID odd count", "* ID (\"name\")\r\n", .failure),
        ParseFixture("unknown untagged response", "* QUOTA \"\" (STORAGE 10 512)\r\n", .success([.untagged(.other("QUOTA"))])),
    ]

    @Test(arguments: fixtures)
    func parses(_ fixture: ParseFixture) {
        #expect(fixture.check() == nil)
    }
}
