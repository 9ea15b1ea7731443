import MailModel

/// The client side of one SMTP session, without I/O: greeting, EHLO (HELO fallback),
/// STARTTLS, then any number of transactions, then QUIT.
///
/// Each event method returns what to do next. The driver sends commands, streams the body
/// when asked, runs the TLS handshake when asked, and feeds every complete reply back.
/// With PIPELINING the envelope goes out as one group (MAIL, RCPT..., DATA), RFC 2920.
public struct SMTPClientStateMachine: Sendable {
    public enum Action: Hashable, Sendable {
        /// Send these commands in one write and wait for one reply each.
        case send([SMTPCommand])
        /// Nothing to send: wait for the next reply of a pipelined group.
        case waitForReply
        /// Drop every buffered byte of the server's stream (plaintext injection, §4 S-T3),
        /// run the TLS handshake, then call `tlsEstablished()`.
        case startTLS
        /// Send the dot-stuffed content and the end-of-data line, then wait for the reply.
        case sendMessage
        /// The session is ready for `beginTransaction(_:)` or `quit()`.
        case ready
        /// One transaction ended (successfully or not); the session is ready again.
        case transactionFinished(SMTPTransactionResult)
        /// The session cannot be used: close the connection.
        case fail(SMTPSessionFailure)
        /// QUIT was answered: close the connection.
        case close
    }

    /// What a reply is expected for. Also names the RFC 5321 §4.5.3.2 timeout that applies.
    public enum Expectation: Hashable, Sendable {
        case greeting, hello, extendedHello, startTLS, mail, recipient(Int), data, endOfData, reset, quit
    }

    enum Phase: Hashable, Sendable {
        case connecting, greeted, handshaking, ready, transaction, quitting, closed
    }

    public let heloName: String
    public let tlsPolicy: SMTPTLSPolicy
    public internal(set) var extensions = SMTPExtensions()
    public internal(set) var isTLSActive = false
    var phase: Phase = .connecting
    var expected: [Expectation] = [.greeting]
    var result = SMTPTransactionResult(recipientCount: 0)
    var failedTransaction = false

    /// Initialize a session that says `EHLO heloName`.
    public init(heloName: String, tlsPolicy: SMTPTLSPolicy) {
        self.heloName = heloName
        self.tlsPolicy = tlsPolicy
    }

    /// The reply the driver is waiting for (its timeout applies), or nil when none is due.
    public var awaiting: Expectation? { expected.first }

    /// Start a transaction. Call only after `.ready` or `.transactionFinished`.
    public mutating func beginTransaction(_ message: SMTPClientMessageInfo) -> Action {
        precondition(phase == .ready, "beginTransaction() while the session is not ready")
        result = SMTPTransactionResult(recipientCount: message.envelope.recipients.count)
        if let rejection = localRejection(message) {
            result.localRejection = rejection
            return .transactionFinished(result)
        }
        phase = .transaction
        failedTransaction = false
        var parameters = MailParameters()
        if extensions.sizeLimit != nil { parameters.size = message.size }
        if message.needs8BitMIME { parameters.body = .eightBitMIME }
        if message.needsSMTPUTF8 { parameters.smtpUTF8 = true }
        let mail = SMTPCommand.mail(message.envelope.sender, parameters)
        // NOTIFY= only where DSN is offered: a server without it must refuse the parameter.
        let recipientParameters = RecipientParameters(notify: extensions.deliveryStatusNotification ? message.notify : nil)
        let recipients = message.envelope.recipients.map { SMTPCommand.recipient($0, recipientParameters) }
        if extensions.pipelining {
            expected = [.mail] + recipients.indices.map { .recipient($0) } + [.data]
            return .send([mail] + recipients + [.data])
        }
        pendingRecipients = recipients
        expected = [.mail]
        return .send([mail])
    }

    var pendingRecipients: [SMTPCommand] = []

    /// End the session politely.
    public mutating func quit() -> Action {
        phase = .quitting
        expected = [.quit]
        return .send([.quit])
    }

    /// TLS is up: say EHLO again and forget what the plaintext EHLO advertised (RFC 3207 §4.2).
    public mutating func tlsEstablished() -> Action {
        precondition(phase == .handshaking, "tlsEstablished() without STARTTLS")
        isTLSActive = true
        extensions = SMTPExtensions()
        phase = .greeted
        expected = [.extendedHello]
        return .send([.extendedHello(heloName)])
    }

    /// Why a message cannot go to this server at all, checked before MAIL: sending it would
    /// need a conversion that would change its bytes (§4 S-E1, S-E3).
    func localRejection(_ message: SMTPClientMessageInfo) -> SMTPReply? {
        if message.needs8BitMIME && !extensions.eightBitMIME {
            return SMTPReply(code: 554, EnhancedStatusCode(5, 6, 3), "next hop does not support 8BITMIME and mailferry never converts content")
        }
        if message.needsSMTPUTF8 && !extensions.smtpUTF8 {
            return SMTPReply(code: 553, EnhancedStatusCode(5, 6, 7), "next hop does not support SMTPUTF8")
        }
        if case .some(.some(let limit)) = extensions.sizeLimit, message.size > limit {
            return SMTPReply(code: 552, EnhancedStatusCode(5, 3, 4), "message is larger than the next hop's SIZE \(limit)")
        }
        return nil
    }
}
