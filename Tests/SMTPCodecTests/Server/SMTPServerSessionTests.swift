import MailModel
import NIOCore
import SMTPCodec
import Testing

@Suite struct SMTPServerSessionTests {
    @Test func happyPathWithPipelining() {
        var transcript = ServerTranscript()
        let ehlo = transcript.client("EHLO client.test\r\n")
        #expect(ehlo.hasPrefix("250-mx.test\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n"))
        #expect(ehlo.hasSuffix("250 ENHANCEDSTATUSCODES\r\n"))
        #expect(!ehlo.contains("STARTTLS"))
        // §4 S-P3: MAIL/RCPT/RCPT/DATA in one packet, one reply each, in order.
        let group = transcript.client("MAIL FROM:<a@b.test>\r\nRCPT TO:<u@example.com>\r\nRCPT TO:<v@example.com>\r\nDATA\r\n")
        #expect(ServerTranscript.codes(group) == [250, 250, 250, 354])
        #expect(ServerTranscript.codes(transcript.client("Subject: hi\r\n\r\n..dot\r\n.\r\n")) == [250])
        #expect(transcript.messages.count == 1)
        #expect(transcript.messages[0].content == "Subject: hi\r\n\r\n.dot\r\n")
        #expect(transcript.messages[0].envelope.recipients.count == 2)
        #expect(transcript.client("QUIT\r\n") == "221 2.0.0 Bye\r\n")
        #expect(transcript.closed)
    }

    @Test func commandOrder() {
        var transcript = ServerTranscript()
        #expect(ServerTranscript.codes(transcript.client("MAIL FROM:<a@b.test>\r\n")) == [503])
        transcript.client("EHLO c\r\n")
        #expect(ServerTranscript.codes(transcript.client("RCPT TO:<u@example.com>\r\n")) == [503])
        #expect(ServerTranscript.codes(transcript.client("DATA\r\n")) == [503])
        transcript.client("MAIL FROM:<a@b.test>\r\n")
        #expect(ServerTranscript.codes(transcript.client("MAIL FROM:<a@b.test>\r\n")) == [503])
        #expect(ServerTranscript.codes(transcript.client("DATA\r\n")) == [554], "no valid recipients")
        #expect(ServerTranscript.codes(transcript.client("RSET\r\nNOOP\r\nHELP\r\nVRFY bob\r\nEXPN list\r\n")) == [250, 250, 214, 502, 502])
    }

    /// §4 S-R8, S-R9: postmaster and the null sender are accepted.
    @Test func postmasterAndNullSender() {
        var transcript = ServerTranscript()
        transcript.client("EHLO c\r\n")
        #expect(ServerTranscript.codes(transcript.client("MAIL FROM:<>\r\nRCPT TO:<postmaster>\r\nDATA\r\n")) == [250, 250, 354])
        transcript.client("x\r\n.\r\n")
        #expect(transcript.messages.first?.envelope.sender == .null)
        #expect(transcript.messages.first?.envelope.recipients == [.postmaster])
    }

    @Test func rejectedRecipientsAreNotInTheEnvelope() {
        var transcript = ServerTranscript()
        transcript.recipientPolicy = { $0.address?.localPart == "bad" ? SMTPReply(code: 550, EnhancedStatusCode(5, 1, 1), "unknown") : .recipientOK }
        transcript.client("EHLO c\r\n")
        let replies = transcript.client("MAIL FROM:<a@b.test>\r\nRCPT TO:<bad@example.com>\r\nRCPT TO:<good@example.com>\r\nDATA\r\n")
        #expect(ServerTranscript.codes(replies) == [250, 550, 250, 354])
        transcript.client("x\r\n.\r\n")
        #expect(transcript.messages.first?.envelope.recipients.map(\.description) == ["<good@example.com>"])
    }

    @Test func commitFailureIsTransient() {
        var transcript = ServerTranscript()
        transcript.commitReply = .localError
        transcript.client("EHLO c\r\n")
        transcript.client("MAIL FROM:<a@b.test>\r\nRCPT TO:<u@example.com>\r\n")
        transcript.client("DATA\r\n")
        #expect(ServerTranscript.codes(transcript.client("x\r\n.\r\n")) == [451])
        #expect(transcript.messages.isEmpty)
    }

    @Test func heloHasNoExtensions() {
        var transcript = ServerTranscript()
        #expect(transcript.client("HELO c\r\n") == "250 mx.test\r\n")
        #expect(ServerTranscript.codes(transcript.client("MAIL FROM:<a@b.test> BODY=8BITMIME\r\n")) == [555])
    }

    @Test func timeoutAndShutdownSend421() {
        var transcript = ServerTranscript()
        transcript.client("EHLO c\r\n")
        transcript.client("MAIL FROM:<a@b.test>\r\n")
        transcript.session.timedOut()
        transcript.drain()
        #expect(transcript.takeOutput() == SMTPReply.timeout.wireString)
        #expect(transcript.closed && transcript.aborts == 1)
        var second = ServerTranscript()
        second.session.shutdown()
        second.drain()
        #expect(ServerTranscript.codes(second.takeOutput()) == [421])
    }

    @Test func clientCloseMidDataAborts() {
        var transcript = ServerTranscript()
        transcript.client("EHLO c\r\n")
        transcript.client("MAIL FROM:<a@b.test>\r\nRCPT TO:<u@example.com>\r\n")
        transcript.client("DATA\r\n")
        transcript.client("partial")
        #expect(transcript.session.isReceivingData)
        #expect(transcript.session.dataBytesReceived == 7)
        transcript.session.inputClosed()
        transcript.drain()
        #expect(transcript.aborts == 1 && transcript.closed && transcript.messages.isEmpty)
    }
}
