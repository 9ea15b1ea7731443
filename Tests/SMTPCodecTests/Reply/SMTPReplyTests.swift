import NIOCore
import SMTPCodec
import Testing

@Suite struct SMTPReplyTests {
    @Test func encodesMultiLineWithEnhancedCodeOnEveryLine() {
        let reply = SMTPReply(code: 250, EnhancedStatusCode(2, 0, 0), lines: ["first", "second"])
        #expect(reply.wireString == "250-2.0.0 first\r\n250 2.0.0 second\r\n")
        #expect(reply.description == "250 2.0.0 first second")
        #expect(SMTPReply.startMailInput.wireString == "354 End data with <CR><LF>.<CR><LF>\r\n")
    }

    @Test(arguments: [
        ("250 ok\r\n", SMTPReply(code: 250, nil, "ok")),
        ("250\r\n", SMTPReply(code: 250, nil, "")),
        ("550 5.1.1 user unknown\r\n", SMTPReply(code: 550, EnhancedStatusCode(5, 1, 1), "user unknown")),
        ("250-mx.example\r\n250-PIPELINING\r\n250 SIZE 1000\r\n", SMTPReply(code: 250, nil, lines: ["mx.example", "PIPELINING", "SIZE 1000"])),
        ("451-4.3.0 a\r\n451 4.3.0 b\r\n", SMTPReply(code: 451, EnhancedStatusCode(4, 3, 0), lines: ["a", "b"])),
        // A class that does not match the code is text, not an enhanced code.
        ("250 5.1.1 odd\r\n", SMTPReply(code: 250, nil, "5.1.1 odd")),
        ("220 ready\n", SMTPReply(code: 220, nil, "ready")),
    ])
    func parsesReplies(wire: String, expected: SMTPReply) throws {
        var parser = SMTPReplyParser()
        var buffer = ByteBuffer(string: wire)
        #expect(try parser.next(from: &buffer) == expected)
        #expect(buffer.readableBytes == 0)
    }

    @Test func parsesByteAtATime() throws {
        let wire = "250-mx.example\r\n250-8BITMIME\r\n250 2.0.0 done\r\n354 go\r\n"
        var parser = SMTPReplyParser()
        var buffer = ByteBuffer()
        var replies: [SMTPReply] = []
        for byte in wire.utf8 {
            buffer.writeInteger(byte)
            while let reply = try parser.next(from: &buffer) { replies.append(reply) }
        }
        #expect(replies.map(\.code) == [250, 354])
        #expect(replies[0].lines == ["mx.example", "8BITMIME", "2.0.0 done"], "enhanced codes only count when the first line has one")
    }

    @Test(arguments: ["25 short\r\n", "abc text\r\n", "250-a\r\n251 b\r\n", "250_x\r\n", "999 no\r\n",
                      "250 " + String(repeating: "x", count: 600) + "\r\n"])
    func rejectsMalformedReplies(wire: String) {
        var parser = SMTPReplyParser()
        var buffer = ByteBuffer(string: wire)
        #expect(throws: SMTPReplyParser.Error.self) {
            while try parser.next(from: &buffer) != nil {}
        }
    }

    @Test func capsTheNumberOfLines() {
        var parser = SMTPReplyParser(maximumLines: 3)
        var buffer = ByteBuffer(string: "250-a\r\n250-b\r\n250-c\r\n250 d\r\n")
        #expect(throws: SMTPReplyParser.Error.self) { try parser.next(from: &buffer) }
    }

    @Test func enhancedStatusCodeSyntax() {
        #expect(EnhancedStatusCode("5.1.1") == EnhancedStatusCode(5, 1, 1))
        #expect(EnhancedStatusCode("4.7.100") != nil)
        #expect(EnhancedStatusCode("3.1.1") == nil)
        #expect(EnhancedStatusCode("5.1") == nil)
        #expect(EnhancedStatusCode("5.1.1000") == nil)
    }

    /// Every reply the server itself words, in one list so a new one is checked too.
    static let standardReplies: [SMTPReply] = [
        .senderOK,
        .recipientOK,
        .startMailInput,
        .readyToStartTLS,
        .bye,
        .lineTooLong,
        .bareLineFeedInCommand,
        .unrecognizedCommand,
        .commandNotImplemented,
        .badSequence,
        .needHello,
        .needMail,
        .nestedMail,
        .needRecipient,
        .noValidRecipients,
        .tlsAlreadyActive,
        .tlsNotAvailable,
        .tlsRequired,
        .synchronizationError,
        .tooManyErrors,
        .tooManyRecipients,
        .messageTooBig,
        .timeout,
        .shuttingDown,
        .localError,
        .nonASCIIAddress,
        .invalidUTF8Address,
        .bareLineEndingInData,
        .nulInData,
        .dataLineTooLong,
        .headerTooLarge,
        .tooManyHops,
        .ok(), .syntax("Error: x"), .parameter("Error: y"),
    ]

    /// Issue 13 item 8: replies are ASCII (RFC 5321 §4.2), in their texts, not only on the wire.
    @Test(arguments: standardReplies)
    func standardReplyTextsAreASCII(reply: SMTPReply) {
        #expect(reply.lines.allSatisfy { $0.unicodeScalars.allSatisfy { (0x20...0x7E).contains($0.value) } }, "\(reply)")
    }

    /// A sink's reply text cannot put 8-bit octets or an early line end on the wire.
    @Test func wireFormIsASCIIWhateverTheText() {
        let reply = SMTPReply(code: 550, EnhancedStatusCode(5, 7, 1), lines: ["caf\u{E9} \u{A7}1", "x\r\n250 forged"])
        #expect(reply.wireString == "550-5.7.1 caf? ?1\r\n550 5.7.1 x??250 forged\r\n")
    }
}
