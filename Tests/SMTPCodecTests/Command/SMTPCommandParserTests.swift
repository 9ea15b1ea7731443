import MailModel
import NIOCore
import SMTPCodec
import Testing

@Suite struct SMTPCommandParserTests {
    static let options = SMTPCommandParser.Options(smtpUTF8Advertised: true)

    static func parse(_ line: String, _ options: SMTPCommandParser.Options = options) -> Result<SMTPCommand, SMTPCommandParser.Error> {
        Result { () throws(SMTPCommandParser.Error) in try SMTPCommandParser.parse(ByteBuffer(string: line), options: options) }
    }

    static func mailbox(_ text: String) -> EmailAddress { EmailAddress(text, allowUTF8: true)! }

    @Test(arguments: [
        ("EHLO client.example", SMTPCommand.extendedHello("client.example")),
        ("ehlo [192.0.2.1]", .extendedHello("[192.0.2.1]")),
        ("HELO x", .hello("x")),
        ("MAIL FROM:<a@b.example>", .mail(.mailbox(mailbox("a@b.example")), MailParameters())),
        ("mail from: <a@b.example>", .mail(.mailbox(mailbox("a@b.example")), MailParameters())),
        ("MAIL FROM:<>", .mail(.null, MailParameters())),
        ("MAIL FROM:<a@b.example> SIZE=1000 BODY=8BITMIME", .mail(.mailbox(mailbox("a@b.example")), MailParameters(size: 1000, body: .eightBitMIME))),
        ("MAIL FROM:<ü@例え.jp> SMTPUTF8", .mail(.mailbox(mailbox("ü@例え.jp")), MailParameters(smtpUTF8: true))),
        ("RCPT TO:<bob@example.com>", .recipient(.mailbox(mailbox("bob@example.com")), RecipientParameters())),
        ("RCPT TO:<postmaster>", .recipient(.postmaster, RecipientParameters())),
        ("RCPT TO:<Postmaster>", .recipient(.postmaster, RecipientParameters())),
        // S-R4: a source route is ignored, the final mailbox counts.
        ("RCPT TO:<@example.com:victim@other.example>", .recipient(.mailbox(mailbox("victim@other.example")), RecipientParameters())),
        ("RCPT TO:<\"victim@other.example\"@example.com>", .recipient(.mailbox(mailbox("\"victim@other.example\"@example.com")), RecipientParameters())),
        ("DATA", .data), ("rset", .reset), ("NOOP anything", .noop), ("QUIT", .quit), ("STARTTLS", .startTLS),
        ("AUTH PLAIN AGJvYgBzZWNyZXQ=", .authenticate), ("BDAT 100 LAST", .notImplemented("BDAT")), ("VRFY bob", .verify),
    ])
    func parsesCommands(line: String, expected: SMTPCommand) throws {
        #expect(try Self.parse(line).get() == expected)
    }

    @Test(arguments: [
        ("FOO bar", 502), ("EHLO", 501), ("MAIL TO:<a@b>", 501), ("MAIL FROM:a@b.example", 501),
        ("MAIL FROM:<a@b.example> SIZE=abc", 501), ("MAIL FROM:<a@b.example> BODY=BINARYMIME", 555),
        ("MAIL FROM:<a@b.example> NOTIFY=NEVER", 555), ("RCPT TO:<bob@example.com> NOTIFY=NEVER", 555),
        ("RCPT TO:<victim@other.example.>", 501), ("RCPT TO:<bob@example.com>x", 501),
        ("DATA now", 501), ("MAIL FROM:<a@b.example> X=", 501), ("RCPT TO:<ü@example.com>", 553),
        ("MAIL FROM:<a\u{0}b@c.example>", 501),
    ])
    func rejectsWithTheRightCode(line: String, code: Int) {
        guard case .failure(let error) = Self.parse(line) else {
            Issue.record("\(line) parsed")
            return
        }
        #expect(error.reply.code == code)
    }

    /// §4 S-E2: SMTPUTF8 and UTF-8 addresses only when advertised.
    @Test func smtpUTF8RequiresAdvertisement() {
        let off = SMTPCommandParser.Options(smtpUTF8Advertised: false)
        guard case .failure(let notAdvertised) = Self.parse("MAIL FROM:<ü@例え.jp> SMTPUTF8", off) else { Issue.record("accepted"); return }
        #expect([553, 555].contains(notAdvertised.reply.code))
        guard case .failure(let noParameter) = Self.parse("MAIL FROM:<ü@例え.jp>") else { Issue.record("accepted"); return }
        #expect(noParameter.reply.code == 553)
    }

    @Test func pathLengthLimit() {
        let local = String(repeating: "a", count: 60)
        let domain = Array(repeating: String(repeating: "d", count: 60), count: 4).joined(separator: ".")
        guard case .failure(let error) = Self.parse("RCPT TO:<\(local)@\(domain)>") else { Issue.record("accepted"); return }
        #expect(error.reply.code == 501)
    }

    /// §4 S-E4: only parsed values are re-emitted, so pipelined garbage cannot ride along.
    @Test func encodesOnlyParsedValues() throws {
        let command = try Self.parse("MAIL FROM:<a@b.example>   SIZE=12  body=8bitmime").get()
        #expect(command.wireString == "MAIL FROM:<a@b.example> SIZE=12 BODY=8BITMIME\r\n")
        #expect(!command.description.contains("a@b"))
    }
}
