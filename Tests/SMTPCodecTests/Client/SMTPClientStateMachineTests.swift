import MailModel
import SMTPCodec
import Testing

@Suite struct SMTPClientStateMachineTests {
    static let envelope = MailEnvelope(
        sender: .mailbox(EmailAddress("a@b.example")!),
        recipients: [.mailbox(EmailAddress("u@example.com")!), .mailbox(EmailAddress("v@example.com")!)])
    static let message = SMTPClientMessageInfo(envelope: envelope, size: 100, contains8Bit: false)
    static func reply(_ code: Int, _ lines: String...) -> SMTPReply { SMTPReply(code: code, nil, lines: lines) }

    static func ready(ehlo: SMTPReply, tls: SMTPTLSPolicy = .none) -> SMTPClientStateMachine {
        var machine = SMTPClientStateMachine(heloName: "relay.test", tlsPolicy: tls)
        #expect(machine.receivedReply(reply(220, "hi")) == .send([.extendedHello("relay.test")]))
        #expect(machine.receivedReply(ehlo) == .ready)
        return machine
    }

    @Test func pipelinedTransaction() {
        var machine = Self.ready(ehlo: Self.reply(250, "mx", "PIPELINING", "SIZE 1000", "8BITMIME"))
        guard case .send(let commands) = machine.beginTransaction(Self.message) else { Issue.record("no send"); return }
        #expect(commands.map(\.verb) == ["MAIL", "RCPT", "RCPT", "DATA"])
        #expect(commands[0].wireString == "MAIL FROM:<a@b.example> SIZE=100\r\n")
        #expect(machine.receivedReply(Self.reply(250)) == .waitForReply)
        #expect(machine.receivedReply(Self.reply(550, "no such user")) == .waitForReply)
        #expect(machine.receivedReply(Self.reply(250)) == .waitForReply)
        #expect(machine.receivedReply(Self.reply(354)) == .sendMessage)
        #expect(machine.awaiting == .endOfData)
        guard case .transactionFinished(let result) = machine.receivedReply(Self.reply(250, "queued")) else { Issue.record("not finished"); return }
        #expect(result.recipientReplies.map { $0?.code } == [550, 250])
        #expect(result.finalReply?.code == 250)
        #expect(machine.quit() == .send([.quit]))
        #expect(machine.receivedReply(Self.reply(221)) == .close)
    }

    @Test func unpipelinedTransactionWithAllRecipientsRejected() {
        var machine = Self.ready(ehlo: Self.reply(250, "mx"))
        #expect(machine.beginTransaction(Self.message) == .send([.mail(Self.envelope.sender, MailParameters())]))
        #expect(machine.receivedReply(Self.reply(250)) == .send([.recipient(Self.envelope.recipients[0], RecipientParameters())]))
        #expect(machine.receivedReply(Self.reply(550)) == .send([.recipient(Self.envelope.recipients[1], RecipientParameters())]))
        #expect(machine.receivedReply(Self.reply(451)) == .send([.reset]))
        guard case .transactionFinished(let result) = machine.receivedReply(Self.reply(250)) else { Issue.record("not finished"); return }
        #expect(result.recipientReplies.map { $0?.code } == [550, 451])
        #expect(result.dataReply == nil && result.finalReply == nil)
    }

    @Test func pipelinedDataAcceptedWithoutRecipientsSendsEmptyBody() {
        var machine = Self.ready(ehlo: Self.reply(250, "mx", "PIPELINING"))
        _ = machine.beginTransaction(Self.message)
        _ = machine.receivedReply(Self.reply(250))
        _ = machine.receivedReply(Self.reply(550))
        _ = machine.receivedReply(Self.reply(550))
        #expect(machine.receivedReply(Self.reply(354)) == .sendMessage)
        #expect(machine.sendsEmptyBody)
        #expect(machine.receivedReply(Self.reply(250)) == .send([.reset]))
        guard case .transactionFinished(let result) = machine.receivedReply(Self.reply(250)) else { Issue.record("not finished"); return }
        #expect(result.finalReply == nil)
    }

    @Test func heloFallback() {
        var machine = SMTPClientStateMachine(heloName: "relay.test", tlsPolicy: .opportunistic)
        _ = machine.receivedReply(Self.reply(220))
        #expect(machine.receivedReply(Self.reply(502, "no ESMTP")) == .send([.hello("relay.test")]))
        #expect(machine.receivedReply(Self.reply(250)) == .ready)
    }

    @Test func greetingRefused() {
        var machine = SMTPClientStateMachine(heloName: "relay.test", tlsPolicy: .none)
        guard case .fail(let failure) = machine.receivedReply(Self.reply(554, "go away")) else { Issue.record("accepted"); return }
        #expect(failure.kind == .refused && failure.reply?.code == 554)
    }

    @Test func startTLSThenEHLOAgain() {
        var machine = SMTPClientStateMachine(heloName: "relay.test", tlsPolicy: .opportunistic)
        _ = machine.receivedReply(Self.reply(220))
        #expect(machine.receivedReply(Self.reply(250, "mx", "STARTTLS", "PIPELINING")) == .send([.startTLS]))
        #expect(machine.receivedReply(Self.reply(220, "go ahead")) == .startTLS)
        #expect(machine.tlsEstablished() == .send([.extendedHello("relay.test")]))
        #expect(!machine.extensions.pipelining, "plaintext capabilities are forgotten")
        #expect(machine.receivedReply(Self.reply(250, "mx", "PIPELINING")) == .ready)
        #expect(machine.isTLSActive && machine.extensions.pipelining)
    }

    @Test func requiredTLSNotOffered() {
        var machine = SMTPClientStateMachine(heloName: "relay.test", tlsPolicy: .required)
        _ = machine.receivedReply(Self.reply(220))
        guard case .fail(let failure) = machine.receivedReply(Self.reply(250, "mx")) else { Issue.record("went on in plaintext"); return }
        #expect(failure.kind == .tlsUnavailable)
    }

    @Test func opportunisticTLSRefusedContinuesInPlaintext() {
        var machine = SMTPClientStateMachine(heloName: "relay.test", tlsPolicy: .opportunistic)
        _ = machine.receivedReply(Self.reply(220))
        _ = machine.receivedReply(Self.reply(250, "mx", "STARTTLS"))
        #expect(machine.receivedReply(Self.reply(454, "TLS not available")) == .ready)
    }

    /// §4 S-E1, S-E3: never send 8-bit or UTF-8 to a peer that did not ask for it.
    @Test func refusesConversionsLocally() {
        var machine = Self.ready(ehlo: Self.reply(250, "mx", "SIZE 50"))
        let eightBit = SMTPClientMessageInfo(envelope: Self.envelope, size: 10, contains8Bit: true)
        guard case .transactionFinished(let result) = machine.beginTransaction(eightBit) else { Issue.record("sent"); return }
        #expect(result.localRejection?.enhancedStatus == EnhancedStatusCode(5, 6, 3))
        var utf8Envelope = Self.envelope
        utf8Envelope.smtpUTF8 = true
        guard case .transactionFinished(let utf8) = machine.beginTransaction(SMTPClientMessageInfo(envelope: utf8Envelope, size: 10, contains8Bit: false)) else { Issue.record("sent"); return }
        #expect(utf8.localRejection?.code == 553)
        guard case .transactionFinished(let big) = machine.beginTransaction(SMTPClientMessageInfo(envelope: Self.envelope, size: 51, contains8Bit: false)) else { Issue.record("sent"); return }
        #expect(big.localRejection?.code == 552)
    }

    @Test func unexpectedReplyIsAProtocolViolation() {
        var machine = Self.ready(ehlo: Self.reply(250, "mx"))
        guard case .fail(let failure) = machine.receivedReply(Self.reply(250, "injected")) else { Issue.record("accepted"); return }
        #expect(failure.kind == .protocolViolation)
    }
}
