import MailModel
import NIOCore
import SMTPCodec
import Testing

/// The codec-level cases of smtp-and-cutover.md §4. Relay control (S-R1..S-R7) depends on
/// the mirror's rules and is tested in RelayTests; timing (S-X1, S-X2) in SMTPServerTests.
@Suite struct SMTPServerSessionSecurityTests {
    static func inData(_ configure: (inout SMTPServerSessionConfiguration) -> Void = { _ in }) -> ServerTranscript {
        var transcript = ServerTranscript(configure)
        transcript.client("EHLO t.example\r\n")
        transcript.client("MAIL FROM:<a@ext.example>\r\nRCPT TO:<u@example.com>\r\n")
        let reply = transcript.client("DATA\r\n")
        precondition(reply.hasPrefix("354"))
        return transcript
    }

    static let smuggled = "MAIL FROM:<ceo@example.com>\r\nRCPT TO:<u@example.com>\r\nDATA\r\nspoof\r\n.\r\n"

    /// S-D1, S-D2 with the default reject policy: one 5xx for the whole thing, and the
    /// embedded MAIL is never executed.
    @Test(arguments: ["\n.\n", "\n.\r\n", "\r.\r", "\r.\n", "\n.\r", "\r\n.\n", "\r.\r\n", "\r\n.\r", "\r\n\u{0}.\r\n", "\r\n.\u{0}\r\n"])
    func smugglingIsRejectedAsOneMessage(terminator: String) {
        var transcript = Self.inData()
        let output = transcript.client("Subject: x\r\n\r\nbody" + terminator + Self.smuggled)
        #expect(ServerTranscript.codes(output) == [550])
        #expect(transcript.messages.isEmpty)
        #expect(transcript.aborts == 1)
        #expect(ServerTranscript.codes(transcript.client("NOOP\r\n")) == [250], "the session is back in command mode")
    }

    /// S-D1 with the normalize policy: exactly one message, holding the embedded text.
    @Test(arguments: ["\n.\n", "\r.\r", "\r\n.\n"])
    func smugglingIsOneMessageWhenNormalizing(terminator: String) {
        var transcript = Self.inData { $0.lineEndingPolicy = .normalize }
        let output = transcript.client("Subject: x\r\n\r\nbody" + terminator + Self.smuggled)
        #expect(ServerTranscript.codes(output) == [250])
        #expect(transcript.messages.count == 1)
        #expect(transcript.messages[0].content.contains("MAIL FROM:<ceo@example.com>\r\n"))
        #expect(!transcript.messages[0].content.contains("\n.\n"))
    }

    /// S-D4: BDAT is not advertised and not accepted.
    @Test func bdatIsNotImplemented() {
        var transcript = ServerTranscript()
        #expect(!transcript.client("EHLO t\r\n").contains("CHUNKING"))
        #expect(ServerTranscript.codes(transcript.client("BDAT 5 LAST\r\n")) == [502])
    }

    /// S-D6: NUL is rejected whatever the line-ending policy.
    @Test(arguments: [SMTPLineEndingPolicy.reject, .normalize])
    func nulIsRejected(policy: SMTPLineEndingPolicy) {
        var transcript = Self.inData { $0.lineEndingPolicy = policy }
        #expect(ServerTranscript.codes(transcript.client("a\u{0}b\r\n.\r\n")) == [550])
        #expect(transcript.messages.isEmpty)
    }

    /// S-P1: the body sent before 354 is never content; the session drops the client.
    @Test func bodyBeforeDataReplyDropsTheSession() {
        var transcript = ServerTranscript()
        let output = transcript.client("EHLO t\r\nMAIL FROM:<a@b>\r\nRCPT TO:<u@example.com>\r\nDATA\r\nhello\r\n.\r\n")
        #expect(output == SMTPReply.synchronizationError.wireString)
        #expect(transcript.closed && transcript.messages.isEmpty)

        var afterEHLO = ServerTranscript()
        afterEHLO.client("EHLO t\r\n")
        let group = afterEHLO.client("MAIL FROM:<a@b.example>\r\nRCPT TO:<u@example.com>\r\nDATA\r\nhello\r\n.\r\n")
        #expect(ServerTranscript.codes(group) == [250, 250, 554])
        #expect(afterEHLO.closed && afterEHLO.messages.isEmpty && afterEHLO.aborts == 1)
    }

    /// S-P2: a client that talks before the banner is dropped.
    @Test func earlyTalkerIsDropped() {
        var transcript = ServerTranscript(start: false)
        transcript.session.receive(ByteBuffer(string: "EHLO t\r\n"))
        transcript.session.start()
        transcript.drain()
        #expect(transcript.takeOutput() == SMTPReply.synchronizationError.wireString)
        #expect(transcript.closed)
    }

    static func tlsTranscript(_ configure: (inout SMTPServerSessionConfiguration) -> Void = { _ in }) -> ServerTranscript {
        ServerTranscript {
            $0.startTLSAvailable = true
            configure(&$0)
        }
    }

    /// S-T1: RSET pipelined after STARTTLS is never answered.
    @Test func plaintextAfterStartTLSIsDiscarded() {
        var transcript = Self.tlsTranscript()
        #expect(transcript.client("EHLO t\r\n").contains("250-STARTTLS"))
        #expect(transcript.client("STARTTLS\r\nRSET\r\n") == "220 2.0.0 Ready to start TLS\r\n")
        #expect(transcript.tlsStarts == 1)
        transcript.session.tlsEstablished()
        transcript.drain()
        #expect(transcript.takeOutput().isEmpty)
        #expect(!transcript.client("EHLO t\r\n").contains("STARTTLS"), "STARTTLS is not offered again")
    }

    /// S-T2: MAIL pipelined after STARTTLS is not in effect; EHLO is required again.
    @Test func stateIsResetAfterStartTLS() {
        var transcript = Self.tlsTranscript()
        transcript.client("EHLO t\r\n")
        transcript.client("STARTTLS\r\nMAIL FROM:<x@y.example>\r\n")
        transcript.session.tlsEstablished()
        #expect(ServerTranscript.codes(transcript.client("RCPT TO:<u@example.com>\r\n")) == [503])
        #expect(ServerTranscript.codes(transcript.client("MAIL FROM:<x@y.example>\r\n")) == [503])
        transcript.client("EHLO t\r\n")
        #expect(ServerTranscript.codes(transcript.client("MAIL FROM:<x@y.example>\r\n")) == [250])
    }

    /// S-T4: STARTTLS twice, or when not offered.
    @Test func startTLSTwiceOrUnavailable() {
        var transcript = Self.tlsTranscript()
        transcript.client("EHLO t\r\n")
        transcript.client("STARTTLS\r\n")
        transcript.session.tlsEstablished()
        transcript.client("EHLO t\r\n")
        #expect(ServerTranscript.codes(transcript.client("STARTTLS\r\n")) == [503])
        var plain = ServerTranscript()
        plain.client("EHLO t\r\n")
        #expect(ServerTranscript.codes(plain.client("STARTTLS\r\n")) == [502])
    }

    /// S-T5: with TLS required, AUTH and mail commands get 530 before TLS.
    @Test func tlsRequiredRefusesBeforeTLS() {
        var transcript = Self.tlsTranscript { $0.requireTLS = true }
        #expect(!transcript.client("EHLO t\r\n").contains("AUTH"))
        #expect(ServerTranscript.codes(transcript.client("AUTH PLAIN AGEAYg==\r\n")) == [530])
        #expect(ServerTranscript.codes(transcript.client("MAIL FROM:<a@b.example>\r\n")) == [530])
        transcript.client("STARTTLS\r\n")
        transcript.session.tlsEstablished()
        transcript.client("EHLO t\r\n")
        #expect(ServerTranscript.codes(transcript.client("MAIL FROM:<a@b.example>\r\n")) == [250])
    }

    /// S-L1 and S-L3 for commands.
    @Test func commandLineLimits() {
        var transcript = ServerTranscript()
        transcript.client("EHLO t\r\n")
        #expect(ServerTranscript.codes(transcript.client("NOOP " + String(repeating: "x", count: 505) + "\r\n")) == [250])
        #expect(transcript.client(String(repeating: "A", count: 65_536)).isEmpty)
        #expect(ServerTranscript.codes(transcript.client("\r\nNOOP\r\n")) == [500, 250])
        #expect(ServerTranscript.codes(transcript.client("NOOP\n")) == [500], "bare LF in a command")
    }

    /// S-L2: a 1000-octet line passes unchanged. S-L3: a 10 MiB line is refused, nothing stored.
    @Test func dataLineLimits() {
        var transcript = Self.inData()
        let line = String(repeating: "y", count: 998)
        #expect(ServerTranscript.codes(transcript.client(line + "\r\n.\r\n")) == [250])
        #expect(transcript.messages[0].content == line + "\r\n")

        var huge = Self.inData()
        let chunk = String(repeating: "z", count: 1 << 20)
        for _ in 0..<10 { #expect(huge.client(chunk).isEmpty) }
        #expect(ServerTranscript.codes(huge.client("\r\n.\r\n")) == [550])
        #expect(huge.messages.isEmpty && huge.aborts == 1)
    }

    /// S-L4: declared SIZE over the limit is refused at MAIL.
    @Test func declaredSizeOverLimit() {
        var transcript = ServerTranscript()
        transcript.client("EHLO t\r\n")
        let reply = transcript.client("MAIL FROM:<a@b.example> SIZE=10240001\r\n")
        #expect(reply.hasPrefix("552 5.3.4"))
    }

    /// S-L5: an undeclared oversize body is refused after end-of-data and discarded.
    @Test func actualSizeOverLimit() {
        var transcript = Self.inData { $0.messageSizeLimit = 1000 }
        for _ in 0..<20 { transcript.client(String(repeating: "x", count: 98) + "\r\n") }
        #expect(transcript.client(".\r\n").hasPrefix("552 5.3.4"))
        #expect(transcript.messages.isEmpty && transcript.aborts == 1)
    }

    /// S-L6: 101 recipients: 100 accepted, the rest 452, none silently dropped.
    @Test func recipientLimit() {
        var transcript = ServerTranscript()
        transcript.client("EHLO t\r\n")
        transcript.client("MAIL FROM:<a@b.example>\r\n")
        let rcpts = (0..<101).map { "RCPT TO:<u\($0)@example.com>\r\n" }.joined()
        let codes = ServerTranscript.codes(transcript.client(rcpts))
        #expect(codes == Array(repeating: 250, count: 100) + [452])
        transcript.client("DATA\r\n")
        transcript.client("x\r\n.\r\n")
        #expect(transcript.messages.first?.envelope.recipients.count == 100)
    }

    /// S-L7: header section over 100 KiB; more than 100 Received lines.
    @Test func headerLimits() {
        var big = Self.inData()
        for index in 0..<1100 { big.client("X-Filler-\(index): " + String(repeating: "h", count: 90) + "\r\n") }
        #expect(ServerTranscript.codes(big.client("\r\nbody\r\n.\r\n")) == [552])
        var loop = Self.inData()
        loop.client(String(repeating: "Received: from a by b\r\n", count: 101))
        #expect(loop.client("\r\nbody\r\n.\r\n").hasPrefix("554 5.4.6"))
        var fine = Self.inData()
        fine.client(String(repeating: "Received: from a by b\r\n", count: 100))
        #expect(ServerTranscript.codes(fine.client("\r\nbody\r\n.\r\n")) == [250])
    }

    /// S-X4: 25 bad commands: the session ends at the 20th error.
    @Test func errorLimit() {
        var transcript = ServerTranscript()
        let output = transcript.client(String(repeating: "BOGUS\r\n", count: 25))
        let codes = ServerTranscript.codes(output)
        #expect(codes == Array(repeating: 502, count: 19) + [421])
        #expect(transcript.closed)
    }

    /// S-E2: SMTPUTF8 not advertised.
    @Test func smtpUTF8Disabled() {
        var transcript = ServerTranscript { $0.smtpUTF8 = false }
        #expect(!transcript.client("EHLO t\r\n").contains("SMTPUTF8"))
        #expect([553, 555].contains(ServerTranscript.codes(transcript.client("MAIL FROM:<ü@例え.jp> SMTPUTF8\r\n")).first ?? 0))
        #expect(ServerTranscript.codes(transcript.client("MAIL FROM:<ü@例え.jp>\r\n")) == [553])
    }

    /// S-E2 positive: with SMTPUTF8 advertised and requested, UTF-8 recipients pass.
    @Test func smtpUTF8Accepted() {
        var transcript = ServerTranscript()
        transcript.client("EHLO t\r\n")
        #expect(ServerTranscript.codes(transcript.client("MAIL FROM:<ü@例え.jp> SMTPUTF8\r\nRCPT TO:<ñ@example.com>\r\n")) == [250, 250])
    }

    /// S-E1: 8BITMIME only when advertised.
    @Test func eightBitMIMEDisabled() {
        var transcript = ServerTranscript { $0.eightBitMIME = false }
        #expect(!transcript.client("EHLO t\r\n").contains("8BITMIME"))
        #expect(ServerTranscript.codes(transcript.client("MAIL FROM:<a@b.example> BODY=8BITMIME\r\n")) == [555])
    }
}
