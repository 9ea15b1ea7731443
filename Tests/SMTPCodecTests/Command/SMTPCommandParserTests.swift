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

    static func parse(bytes: [UInt8], _ options: SMTPCommandParser.Options) -> Result<SMTPCommand, SMTPCommandParser.Error> {
        Result { () throws(SMTPCommandParser.Error) in try SMTPCommandParser.parse(ByteBuffer(bytes: bytes), options: options) }
    }

    /// Issue 13 item 7: verbs and keywords match on ASCII octets. Unicode case mapping makes
    /// dotless i (U+0131) an I and long s (U+017F) an S.
    @Test(arguments: ["MA\u{0131}L FROM:<a@b.example>", "QU\u{0131}T", "\u{017F}TARTTLS", "R\u{017F}ET", "ma\u{0131}l FROM:<a@b.example>"])
    func verbsMatchOnASCIIOctetsOnly(line: String) {
        guard case .failure(let error) = Self.parse(line) else {
            Issue.record("\(line) parsed")
            return
        }
        #expect(error.reply.code == 502)
    }

    /// `<po\u{017F}tmaster>` is not the postmaster, with or without SMTPUTF8.
    @Test(arguments: [false, true])
    func postmasterMatchesOnASCIIOctetsOnly(utf8Transaction: Bool) throws {
        let options = SMTPCommandParser.Options(smtpUTF8Advertised: true, transactionIsUTF8: utf8Transaction)
        let result = Self.parse("RCPT TO:<po\u{017F}tmaster>", options)
        #expect(throws: SMTPCommandParser.Error.self) { try result.get() }
        #expect(try Self.parse("RCPT TO:<pOsTmAsTeR>", options).get() == .recipient(.postmaster, RecipientParameters()))
    }

    /// Issue 13 item 6: invalid UTF-8 in an address is refused (553), never decoded to U+FFFD.
    static func line(_ before: String, _ raw: [UInt8], _ after: String) -> [UInt8] { Array(before.utf8) + raw + Array(after.utf8) }

    static let invalidUTF8Lines: [([UInt8], Int)] = [
        (line("RCPT TO:<", [0xFF, 0xFE], "user@example.com>"), 553),
        (line("MAIL FROM:<", [0xC3], "user@example.com> SMTPUTF8"), 553),
        (line("RCPT TO:<user@", [0xED, 0xA0, 0x80], ".example>"), 553),
        (line("EHLO ", [0xC0, 0xAF], ""), 501),
    ]

    @Test(arguments: invalidUTF8Lines)
    func invalidUTF8IsRefused(bytes: [UInt8], code: Int) {
        let options = SMTPCommandParser.Options(smtpUTF8Advertised: true, transactionIsUTF8: true)
        guard case .failure(let error) = Self.parse(bytes: bytes, options) else {
            Issue.record("parsed")
            return
        }
        #expect(error.reply.code == code)
    }
}
