import NIOCore
import SMTPCodec
import Testing

@Suite struct SMTPDataEncoderTests {
    static func encode(_ chunks: [String]) -> String {
        var encoder = SMTPDataEncoder()
        var output = ByteBuffer()
        for chunk in chunks { encoder.encode(ByteBuffer(string: chunk), into: &output) }
        encoder.finish(into: &output)
        return String(buffer: output)
    }

    @Test(arguments: [
        ("a\r\nb\r\n", "a\r\nb\r\n.\r\n"),
        ("", ".\r\n"),
        ("no newline", "no newline\r\n.\r\n"),
        (".\r\n..\r\n.foo\r\n", "..\r\n...\r\n..foo\r\n.\r\n"),
        // §4 S-D3: bare LF and CR never leave as such; the dot after them is stuffed.
        ("body\n.\nMAIL FROM:<x@y>\r\n", "body\r\n..\r\nMAIL FROM:<x@y>\r\n.\r\n"),
        ("a\r.\rb", "a\r\n..\r\nb\r\n.\r\n"),
        ("a\r", "a\r\n.\r\n"),
    ])
    func dotStuffsAndNormalizes(input: String, wire: String) {
        #expect(Self.encode([input]) == wire)
        #expect(Self.encode(input.map { String($0) }) == wire)
    }

    @Test func splitCRLFAcrossChunks() {
        #expect(Self.encode(["a\r", "\n.b\r", "\n"]) == "a\r\n..b\r\n.\r\n")
    }

    /// §4 S-D5: decode(encode(x)) == x for CRLF content.
    @Test(arguments: ["", "x\r\n", ".\r\n..\r\n.foo\r\n", "a\r\n\r\n.\r\n.", "line\r\n.\r\nQUIT\r\n"])
    func roundTrips(content: String) {
        let wire = Self.encode([content])
        var decoder = SMTPDataDecoder()
        var input = ByteBuffer(string: wire)
        var output = ByteBuffer()
        #expect(decoder.decode(&input, into: &output) == .endOfData)
        let expected = content.isEmpty || content.hasSuffix("\r\n") ? content : content + "\r\n"
        #expect(String(buffer: output) == expected)
        #expect(input.readableBytes == 0)
    }
}
