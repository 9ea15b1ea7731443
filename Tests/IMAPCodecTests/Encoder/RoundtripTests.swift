import IMAPCodec
import MailModel
import NIOCore
import Testing

/// parse(encode(x)) == x for every response type, fed all at once and byte by byte.
@Suite struct RoundtripTests {
    static func path(_ name: String, _ separator: Character?) -> MailboxPath { MailboxPath(wire: Array(name.utf8), separator: separator) }
    static let date = InternalDate(imapString: "01-Feb-2019 10:00:00 +0100")!

    static let cases: [(String, [ResponseEvent])] = [
        ("conditions", [
            .untagged(.condition(.ok, ResponseText(code: .permanentFlags([.seen, Flag("$Label1")], allowsNewKeywords: true), text: "Limited"))),
            .untagged(.condition(.no, ResponseText(code: .overQuota, text: "full"))),
            .untagged(.condition(.bye, ResponseText(text: "bye"))),
            .tagged(TaggedResponse(tag: "A1", status: .ok, text: ResponseText(code: .appendUID(UIDValidity(9), UIDSet(ranges: [3...5])), text: "ok"))),
            .tagged(TaggedResponse(tag: "A2", status: .ok, text: ResponseText(code: .copyUID(UIDValidity(9), source: UIDSet(ranges: [1...2]), destination: UIDSet(ranges: [7...8])), text: "ok"))),
            .tagged(TaggedResponse(tag: "A3", status: .no, text: ResponseText(code: .tryCreate, text: "create it"))),
            .tagged(TaggedResponse(tag: "A4", status: .bad, text: ResponseText(code: .other("X-FOO", "bar"), text: "x"))),
        ]),
        ("capabilities", [
            .untagged(.capability([.imap4rev1, .literalPlus, .auth("PLAIN")])),
            .untagged(.enabled([.utf8Accept])),
            .untagged(.id([IDParameter(key: "name", value: "Dovecot"), IDParameter(key: "x", value: nil), IDParameter(key: "ü", value: "ö")])),
            .untagged(.id([])),
        ]),
        ("mailboxes", [
            .untagged(.namespace(NamespaceResponse(personal: [NamespaceDescription(prefix: path("INBOX.", "."))], otherUsers: [],
                shared: [NamespaceDescription(prefix: path("#shared.", "."))]))),
            .untagged(.list(MailboxInfo(attributes: [.hasChildren, .sent], path: path("Sent", "/")))),
            .untagged(.list(MailboxInfo(attributes: [], path: path("INBOX.Entwürfe", ".")))),
            .untagged(.list(MailboxInfo(attributes: [.noSelect], path: path("a \"quoted\" \\ name", "\\")))),
            .untagged(.list(MailboxInfo(attributes: [], path: path("line\r\nbreak", nil)))),
            .untagged(.lsub(MailboxInfo(attributes: [], path: path("INBOX.日本語", ".")))),
            .untagged(.status(path("INBOX.Archive", nil), MailboxStatus(messageCount: 3, uidNext: UID(exactly: 9), uidValidity: UIDValidity(77), highestModSeq: ModSeq(4)))),
            .untagged(.flags([.seen, .answered, Flag("NonJunk")])),
            .untagged(.exists(3)), .untagged(.recent(0)), .untagged(.expunge(SequenceNumber(2)!)),
            .untagged(.search([1, 5, 9], highestModSeq: ModSeq(10))),
            .untagged(.search([], highestModSeq: nil)),
        ]),
        ("fetch", [
            .fetch(.start(SequenceNumber(1)!)), .fetch(.attribute(.uid(UID(exactly: 17)))), .fetch(.attribute(.flags([.seen]))),
            .fetch(.attribute(.internalDate(date))), .fetch(.attribute(.rfc822Size(42))), .fetch(.attribute(.modSeq(ModSeq(3)))),
            .fetch(.streamingBegin(kind: .body(.complete, offset: nil), byteCount: 5)), .fetch(.streamingBytes(ByteBuffer(string: "a\r\nb)"))),
            .fetch(.streamingEnd), .fetch(.attribute(.nilBody(.body(.header, offset: nil)))), .fetch(.finish),
            .fetch(.start(SequenceNumber(2)!)), .fetch(.streamingBegin(kind: .body(SectionSpecifier(part: [2, 1], kind: .headerFields(["Subject"])), offset: 5), byteCount: 1)),
            .fetch(.streamingBytes(ByteBuffer(string: "z"))), .fetch(.streamingEnd), .fetch(.finish),
        ]),
        ("continuation", [.continuation(text: "Ready"), .continuation(text: "")]),
    ]

    @Test(arguments: cases.map(\.0))
    func roundtrips(_ name: String) {
        let events = RoundtripTests.cases.first { $0.0 == name }!.1
        var encoder = ResponseEncoder()
        let bytes = Array(encoder.encode(events).readableBytesView)
        for chunk in [nil, 1] as [Int?] {
            #expect(ResponseFeeder.feed(bytes, chunkSize: chunk) == .complete(events), "\(name), chunk \(String(describing: chunk))")
        }
    }

    @Test func greetingRoundtrips() {
        var encoder = ResponseEncoder()
        let greeting = ResponseEvent.greeting(.ok, ResponseText(code: .capability([.imap4rev1, .id]), text: "ready"))
        let bytes = Array(encoder.encode(greeting).readableBytesView)
        #expect(ResponseFeeder.feed(bytes, options: ResponseParserOptions(expectGreeting: true)) == .complete([greeting]))
    }

    /// Values that commands write (mailbox names, flags, UID sets) read back the same when a
    /// server echoes them.
    @Test(arguments: ["INBOX", "a b", "a\"b\\c", "Entw&APw-rfe", "]x", "", "日本語", "%*"])
    func mailboxNamesWrittenByCommandsParseBack(_ name: String) throws {
        var buffer = EncodeBuffer()
        buffer.writeRaw("* LIST () \"/\" ")
        try buffer.writeMailbox(MailboxPath(wire: Array(name.utf8), separator: "/"))
        buffer.writeRaw("\r\n")
        let bytes = Array(buffer.finishBytes().readableBytesView)
        let expected = MailboxPath(wire: Array((name == "INBOX" ? "INBOX" : name).utf8), separator: "/")
        #expect(ResponseFeeder.feed(bytes) == .complete([.untagged(.list(MailboxInfo(attributes: [], path: expected)))]))
    }

    @Test func uidSetsRoundtripThroughCodes() {
        let sets = [UIDSet(ranges: [1...1]), UIDSet(ranges: [1...3, 5...5, 10...UInt32.max]), UIDSet([UID(exactly: 7), UID(exactly: 8), UID(exactly: 9)])]
        for set in sets {
            let input = "A1 OK [APPENDUID 1 \(set)] x\r\n"
            #expect(ResponseFeeder.feed(input) == .complete([.tagged(TaggedResponse(tag: "A1", status: .ok, text: ResponseText(code: .appendUID(UIDValidity(1), set), text: "x")))]))
        }
    }
}
