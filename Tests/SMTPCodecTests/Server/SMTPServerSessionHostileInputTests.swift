import MailModel
import NIOCore
import SMTPCodec
import Testing

/// Issue 13 items 5 to 7 through the whole session: what a hostile client gets must not
/// depend on how its bytes are split, and no octet is read with Unicode rules.
@Suite struct SMTPServerSessionHostileInputTests {
    static func inData(_ configure: (inout SMTPServerSessionConfiguration) -> Void = { _ in }) -> ServerTranscript {
        var transcript = ServerTranscript(configure)
        transcript.client("EHLO t.example\r\n")
        transcript.client("MAIL FROM:<a@ext.example>\r\nRCPT TO:<u@example.com>\r\n")
        let reply = transcript.client("DATA\r\n")
        precondition(reply.hasPrefix("354"))
        return transcript
    }

    /// A message whose header section is `headerBytes` octets, its blank line included.
    static func message(headerBytes: Int) -> String {
        let line = "X-Filler: " + String(repeating: "h", count: 70) + "\r\n"
        var header = ""
        var remaining = headerBytes - 2
        while remaining >= line.utf8.count + 5 {
            header += line
            remaining -= line.utf8.count
        }
        header += "X: " + String(repeating: "h", count: remaining - 5) + "\r\n"
        return header + "\r\nbody\r\n.\r\n"
    }

    /// How the client's bytes are cut into reads.
    enum Feed: String, CaseIterable, CustomTestStringConvertible {
        case oneWrite, byteAtATime, chunksOf1000, chunksOf4096
        var testDescription: String { rawValue }

        func pieces(_ text: String) -> [[UInt8]] {
            let bytes = Array(text.utf8)
            let size: Int
            switch self {
            case .oneWrite: return [bytes]
            case .byteAtATime: size = 1
            case .chunksOf1000: size = 1000
            case .chunksOf4096: size = 4096
            }
            return stride(from: 0, to: bytes.count, by: size).map { Array(bytes[$0..<min($0 + size, bytes.count)]) }
        }
    }

    /// Item 5: a header section over the limit gets 552 however it arrives; one at the limit
    /// is accepted however it arrives.
    @Test(arguments: Feed.allCases)
    func headerLimitDoesNotDependOnTheFeed(feed: Feed) {
        let limit = 4000
        for (headerBytes, code) in [(limit + 1, 552), (limit + 1500, 552), (limit, 250)] {
            var transcript = Self.inData { $0.headerSizeLimit = limit }
            var output = ""
            for piece in feed.pieces(Self.message(headerBytes: headerBytes)) { output += transcript.client(bytes: piece) }
            #expect(ServerTranscript.codes(output) == [code], "header of \(headerBytes) octets")
        }
    }

    /// Item 5 at the default limit, as reported: a 118 KB header section in one write.
    @Test func largeHeaderInOneWriteIsRefused() {
        var transcript = Self.inData()
        #expect(ServerTranscript.codes(transcript.client(Self.message(headerBytes: 118_000))) == [552])
        #expect(transcript.messages.isEmpty && transcript.aborts == 1)
    }

    /// Item 6: invalid UTF-8 in a recipient of an SMTPUTF8 transaction is refused with 553 and
    /// never reaches the sink; the transaction goes on with the valid recipients.
    @Test func invalidUTF8RecipientIsRefused() {
        var transcript = ServerTranscript()
        transcript.client("EHLO t\r\n")
        #expect(ServerTranscript.codes(transcript.client("MAIL FROM:<a@b.example> SMTPUTF8\r\n")) == [250])
        let bad = Array("RCPT TO:<".utf8) + [0xFF, 0xFE] + Array("user@example.com>\r\n".utf8)
        #expect(transcript.client(bytes: bad).hasPrefix("553 5.6.7"))
        #expect(ServerTranscript.codes(transcript.client("RCPT TO:<ñ@example.com>\r\nDATA\r\n")) == [250, 354])
        transcript.client("x\r\n.\r\n")
        #expect(transcript.messages.map(\.envelope.recipients) == [[.mailbox(EmailAddress("ñ@example.com", allowUTF8: true)!)]])
    }

    /// Item 6 for the sender.
    @Test func invalidUTF8SenderIsRefused() {
        var transcript = ServerTranscript()
        transcript.client("EHLO t\r\n")
        let bad = Array("MAIL FROM:<".utf8) + [0xC3, 0x28] + Array("@example.com> SMTPUTF8\r\n".utf8)
        #expect(transcript.client(bytes: bad).hasPrefix("553 5.6.7"))
        #expect(ServerTranscript.codes(transcript.client("RCPT TO:<u@example.com>\r\n")) == [503], "no transaction was opened")
    }

    /// Item 7: look-alike verbs are unknown commands; nothing happens that the real verb does.
    @Test func lookAlikeVerbsDoNothing() {
        var transcript = ServerTranscript { $0.startTLSAvailable = true }
        transcript.client("EHLO t\r\n")
        #expect(ServerTranscript.codes(transcript.client("MA\u{0131}L FROM:<a@b.example>\r\n")) == [502])
        #expect(ServerTranscript.codes(transcript.client("\u{017F}TARTTLS\r\n")) == [502])
        #expect(transcript.tlsStarts == 0)
        #expect(ServerTranscript.codes(transcript.client("QU\u{0131}T\r\n")) == [502])
        #expect(!transcript.closed)
        #expect(ServerTranscript.codes(transcript.client("MAIL FROM:<a@b.example> SMTPUTF8\r\nRCPT TO:<po\u{017F}tmaster>\r\n")) == [250, 501])
    }
}
