import IMAPCodec
import MailModel
import NIOCore
import Testing

@Suite struct FetchResponseTests {
    static func seq(_ value: UInt32) -> ResponseEvent { .fetch(.start(SequenceNumber(value)!)) }
    static func attr(_ attribute: FetchAttribute) -> ResponseEvent { .fetch(.attribute(attribute)) }
    static func begin(_ kind: StreamingKind, _ count: Int) -> ResponseEvent {
        .fetch(.streamingBegin(kind: kind, byteCount: count))
    }
    static func begin(_ count: Int) -> ResponseEvent { begin(.body(.complete, offset: nil), count) }
    static let end = ResponseEvent.fetch(.streamingEnd)
    static let finish = ResponseEvent.fetch(.finish)
    static let date = InternalDate(imapString: "17-Jul-1996 02:44:25 -0700")!

    static let fixtures: [ParseFixture] = [
        ParseFixture("metadata", "* 12 FETCH (UID 4827313 FLAGS (\\Seen $Label1) INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" RFC822.SIZE 44827)\r\n",
            .success([seq(12), attr(.uid(UID(exactly: 4_827_313))), attr(.flags([.seen, Flag("$Label1")])),
                      attr(.internalDate(date)), attr(.rfc822Size(44827)), finish])),
        ParseFixture("MODSEQ", "* 1 FETCH (UID 5 MODSEQ (624140003))\r\n",
            .success([seq(1), attr(.uid(UID(exactly: 5))), attr(.modSeq(ModSeq(624_140_003))), finish])),
        ParseFixture("unsolicited FLAGS", "* 3 FETCH (FLAGS ())\r\n", .success([seq(3), attr(.flags([])), finish])),
        ParseFixture("lower-case fetch", "* 3 fetch (uid 9)\r\n", .success([seq(3), attr(.uid(UID(exactly: 9))), finish])),
        ParseFixture("body literal", "* 2 FETCH (UID 7 BODY[] {12}\r\nHello\r\nWorld)\r\n",
            .success([seq(2), attr(.uid(UID(exactly: 7))), begin(12), ResponseFeeder.bytes("Hello\r\nWorld"), end, finish])),
        ParseFixture("body then UID", "* 2 FETCH (BODY[] {3}\r\nabc UID 7)\r\n",
            .success([seq(2), begin(3), ResponseFeeder.bytes("abc"), end, attr(.uid(UID(exactly: 7))), finish])),
        ParseFixture("two bodies", "* 2 FETCH (BODY[HEADER] {2}\r\nab BODY[TEXT] {1}\r\nc)\r\n",
            .success([seq(2), begin(.body(.header, offset: nil), 2), ResponseFeeder.bytes("ab"), end,
                      begin(.body(.text, offset: nil), 1), ResponseFeeder.bytes("c"), end, finish])),
        ParseFixture("empty body literal", "* 2 FETCH (BODY[] {0}\r\n UID 3)\r\n",
            .success([seq(2), begin(0), end, attr(.uid(UID(exactly: 3))), finish])),
        ParseFixture("quoted body", "* 2 FETCH (BODY[] \"hi\")\r\n", .success([seq(2), begin(2), ResponseFeeder.bytes("hi"), end, finish])),
        ParseFixture("NIL body", "* 2 FETCH (UID 8 BODY[] NIL)\r\n",
            .success([seq(2), attr(.uid(UID(exactly: 8))), attr(.nilBody(.body(.complete, offset: nil))), finish])),
        ParseFixture("partial body", "* 2 FETCH (BODY[]<100> {2}\r\nxy)\r\n",
            .success([seq(2), begin(.body(.complete, offset: 100), 2), ResponseFeeder.bytes("xy"), end, finish])),
        ParseFixture("section with part and fields", "* 2 FETCH (BODY[1.2.HEADER.FIELDS (Subject From)] {1}\r\nz)\r\n",
            .success([seq(2), begin(.body(SectionSpecifier(part: [1, 2], kind: .headerFields(["Subject", "From"])), offset: nil), 1),
                      ResponseFeeder.bytes("z"), end, finish])),
        ParseFixture("MIME section", "* 2 FETCH (BODY[3.MIME] {1}\r\nz)\r\n",
            .success([seq(2), begin(.body(SectionSpecifier(part: [3], kind: .mime), offset: nil), 1), ResponseFeeder.bytes("z"), end, finish])),
        ParseFixture("RFC822", "* 2 FETCH (RFC822 {1}\r\nz)\r\n", .success([seq(2), begin(.rfc822, 1), ResponseFeeder.bytes("z"), end, finish])),
        ParseFixture("BINARY literal8 with NUL", "* 2 FETCH (BINARY[] ~{3}\r\na\0b)\r\n",
            .success([seq(2), begin(.binary(part: [], offset: nil), 3), .fetch(.streamingBytes(ByteBuffer(bytes: [0x61, 0, 0x62]))), end, finish])),
        ParseFixture("body literal may hold NUL (message bytes pass through)", "* 2 FETCH (BODY[] {3}\r\na\0b)\r\n",
            .success([seq(2), begin(3), .fetch(.streamingBytes(ByteBuffer(bytes: [0x61, 0, 0x62]))), end, finish])),
        ParseFixture("ENVELOPE skipped, with literal inside", "* 2 FETCH (ENVELOPE (NIL {5}\r\nHello NIL NIL NIL NIL NIL NIL NIL NIL) UID 4)\r\n",
            .success([seq(2), attr(.other("ENVELOPE")), attr(.uid(UID(exactly: 4))), finish])),
        ParseFixture("BODYSTRUCTURE skipped", "* 2 FETCH (BODYSTRUCTURE ((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"7bit\" 3 1)(\"text\" \"html\" NIL NIL NIL \"7bit\" 3 1) \"alternative\") UID 4)\r\n",
            .success([seq(2), attr(.other("BODYSTRUCTURE")), attr(.uid(UID(exactly: 4))), finish])),
        ParseFixture("two responses", "* 1 FETCH (UID 1)\r\n* 2 FETCH (UID 2)\r\nA1 OK done\r\n",
            .success([seq(1), attr(.uid(UID(exactly: 1))), finish, seq(2), attr(.uid(UID(exactly: 2))), finish,
                      .tagged(TaggedResponse(tag: "A1", status: .ok, text: ResponseText(text: "done")))])),

        ParseFixture("incomplete after start", "* 2 FETCH (UID 7 BODY[] {11}\r\nHel",
            .incomplete([seq(2), attr(.uid(UID(exactly: 7))), begin(11), ResponseFeeder.bytes("Hel")])),
        ParseFixture("incomplete before close", "* 2 FETCH (UID 7", .incomplete([])),
        ParseFixture("incomplete after body", "* 2 FETCH (BODY[] {1}\r\nx",
            .incomplete([seq(2), begin(1), ResponseFeeder.bytes("x"), end])),

        ParseFixture("UID 0", "* 2 FETCH (UID 0)\r\n", .failure),
        ParseFixture("missing close paren", "* 2 FETCH (UID 1\r\n", .failure),
        ParseFixture("missing space between items", "* 2 FETCH (UID 1FLAGS ())\r\n", .failure),
        ParseFixture("bad date", "* 2 FETCH (INTERNALDATE \"31-Foo-2020 00:00:00 +0000\")\r\n", .failure),
        ParseFixture("seq 0", "* 0 FETCH (UID 1)\r\n", .failure),
        ParseFixture("text after close", "* 2 FETCH (UID 1) junk\r\n", .failure),
        ParseFixture("literal after close", "* 2 FETCH (UID 1) {3}\r\nabc\r\n", .failure),
        ParseFixture("bad section", "* 2 FETCH (BODY[FOO] {1}\r\nx)\r\n", .failure),
        ParseFixture("empty item list", "* 2 FETCH ()\r\n", .success([seq(2), finish])),
    ]

    @Test(arguments: fixtures)
    func parses(_ fixture: ParseFixture) {
        #expect(fixture.check() == nil)
    }

    @Test func bodyBytesComeInBoundedChunksWhateverTheMessageSize() throws {
        let size = 5 * 1024 * 1024
        let chunk = 16 * 1024
        var parser = ResponseParser(options: ResponseParserOptions(bodyChunkSize: chunk, expectGreeting: false))
        var buffer = ByteBuffer(string: "* 1 FETCH (UID 1 BODY[] {\(size)}\r\n")
        var received = 0
        var largest = 0
        var sent = 0
        var finished = false
        while !finished {
            if sent < size {
                let piece = min(100_000, size - sent)
                buffer.writeRepeatingByte(UInt8(ascii: "x"), count: piece)
                sent += piece
                if sent == size { buffer.writeString(")\r\n") }
            }
            while let event = try parser.parse(&buffer) {
                if case .fetch(.streamingBytes(let bytes)) = event {
                    received += bytes.readableBytes
                    largest = max(largest, bytes.readableBytes)
                }
                if case .fetch(.finish) = event { finished = true }
            }
            // The parser holds no body bytes: whatever it did not hand out is still here.
            #expect(buffer.readableBytes <= 100_000 + 3)
        }
        #expect(received == size)
        #expect(largest <= chunk)
    }
}
