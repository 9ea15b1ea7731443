import NIOCore
import SMTPCodec
import Testing

@Suite struct SMTPDataDecoderTests {
    struct Decoded: Equatable {
        var content: String
        var ended: Bool
        var leftover: String
        var violations: SMTPDataDecoder.Violations
    }

    static func decode(_ chunks: [String], lineLimit: Int = 1000) -> Decoded {
        var decoder = SMTPDataDecoder(lineLimit: lineLimit)
        var input = ByteBuffer()
        var output = ByteBuffer()
        var ended = false
        for chunk in chunks {
            input.writeString(chunk)
            if decoder.decode(&input, into: &output) == .endOfData { ended = true }
        }
        return Decoded(content: String(buffer: output), ended: ended, leftover: String(buffer: input), violations: decoder.violations)
    }

    static func decodeByteAtATime(_ text: String) -> Decoded {
        decode(Array(text.utf8).map { String(decoding: [$0], as: UTF8.self) })
    }

    @Test func endsOnlyAtCRLFDotCRLFAndKeepsPipelinedBytes() {
        let decoded = Self.decode(["Subject: x\r\n\r\nbody\r\n.\r\nQUIT\r\n"])
        #expect(decoded == Decoded(content: "Subject: x\r\n\r\nbody\r\n", ended: true, leftover: "QUIT\r\n", violations: []))
        #expect(Self.decodeByteAtATime("a\r\n.\r\n").content == "a\r\n")
        #expect(Self.decode([".\r\n"]).ended)
    }

    /// §4 S-D5: dot transparency.
    @Test func removesDotStuffing() {
        let decoded = Self.decode(["..\r\n...\r\n..foo\r\n.bar\r\n.\r\n"])
        #expect(decoded.content == ".\r\n..\r\n.foo\r\nbar\r\n")
        #expect(decoded.ended)
    }

    static let smuggled = "MAIL FROM:<ceo@example.com>\r\nRCPT TO:<u@example.com>\r\nDATA\r\nspoof\r\n"

    /// §4 S-D1 and S-D2: every smtpsmug end-of-data variant is content. The embedded
    /// commands never surface: the only end is the final CRLF.CRLF.
    @Test(arguments: ["\n.\n", "\n.\r\n", "\r.\r", "\r.\n", "\n.\r", "\r\n.\n", "\r.\r\n", "\r\n.\r", "\r\n\u{0}.\r\n", "\r\n.\u{0}\r\n"])
    func smugglingTerminatorsAreContent(terminator: String) {
        let input = "Subject: x\r\n\r\nbody" + terminator + Self.smuggled + ".\r\n"
        for decoded in [Self.decode([input]), Self.decodeByteAtATime(input)] {
            #expect(decoded.ended)
            #expect(decoded.leftover.isEmpty)
            #expect(decoded.content.contains("MAIL FROM:<ceo@example.com>"))
            #expect(!decoded.violations.isEmpty, "each variant holds a bare CR, bare LF or NUL")
        }
    }

    @Test(arguments: [
        ("a\nb\r\n.\r\n", "a\r\nb\r\n", SMTPDataDecoder.Violations.bareLF),
        ("a\rb\r\n.\r\n", "a\r\nb\r\n", .bareCR),
        ("a\u{0}b\r\n.\r\n", "a\u{0}b\r\n", .nul),
        ("\n.\n.\r\n.\r\n", "\r\n.\r\n.\r\n", .bareLF),
    ])
    func reportsAndNormalizesLineEndings(input: String, content: String, violation: SMTPDataDecoder.Violations) {
        let decoded = Self.decode([input])
        #expect(decoded.content == content)
        #expect(decoded.violations == violation)
        #expect(decoded.ended)
    }

    /// §4 S-L2 / S-L3: 1000 octets with CRLF pass; longer is flagged, never re-wrapped.
    @Test func lineLengthLimit() {
        let ok = String(repeating: "x", count: 998)
        #expect(Self.decode([ok + "\r\n.\r\n"]).violations.isEmpty)
        #expect(Self.decode([ok + "\r\n.\r\n"]).content == ok + "\r\n")
        #expect(Self.decode([ok + "x\r\n.\r\n"]).violations == .lineTooLong)
        #expect(Self.decode(["." + ok + "\r\n.\r\n"]).violations == [], "the stuffed dot is wire overhead")
    }

    @Test func countsBytes() {
        var decoder = SMTPDataDecoder()
        var input = ByteBuffer(string: "..ab\r\n.\r\nNOOP\r\n")
        var output = ByteBuffer()
        #expect(decoder.decode(&input, into: &output) == .endOfData)
        #expect(decoder.encodedByteCount == 9)
        #expect(decoder.decodedByteCount == 5)
    }
}
