import MailModel
import NIOCore

/// Command dispatch: order, syntax, limits and pipelining rules.
extension SMTPServerSession {
    mutating func handle(_ line: SMTPLineFramer.Line) {
        let bytes: ByteBuffer
        switch line {
        case .tooLong:
            reject(.lineTooLong)
            return
        case .complete(_, bareLF: true):
            reject(.bareLineFeedInCommand)
            return
        case .complete(let complete, bareLF: false):
            bytes = complete
        }
        let options = SMTPCommandParser.Options(
            smtpUTF8Advertised: configuration.smtpUTF8 && greeted?.extended == true,
            transactionIsUTF8: transaction?.parameters.smtpUTF8 ?? false)
        let command: SMTPCommand
        do {
            command = try SMTPCommandParser.parse(bytes, options: options)
        } catch {
            reject(error.reply)
            return
        }
        dispatch(command)
    }

    /// RFC 2920 §3.1: EHLO, HELO, DATA, STARTTLS must be last in a pipelined group. Bytes
    /// already waiting after one of them mean the client did not wait for our reply
    /// (§4 S-P1, Postfix `smtpd_forbid_unauth_pipelining`).
    mutating func violatesSynchronization() -> Bool {
        guard input.readableBytes > 0 else { return false }
        abortTransactionIfOpen()
        emit(.send(.synchronizationError))
        close()
        return true
    }

    mutating func dispatch(_ command: SMTPCommand) {
        let tlsGate = configuration.requireTLS && !isTLSActive
        switch command {
        case .hello(let name), .extendedHello(let name):
            if violatesSynchronization() { return }
            abortTransactionIfOpen()
            let extended: Bool
            if case .extendedHello = command { extended = true } else { extended = false }
            greeted = (name, extended)
            emit(.send(extended ? ehloReply() : SMTPReply(code: 250, nil, configuration.hostname)))
        case .mail(let sender, let parameters):
            if tlsGate { return reject(.tlsRequired) }
            guard greeted != nil else { return reject(.needHello) }
            guard transaction == nil else { return reject(.nestedMail) }
            if parameters.body == .eightBitMIME && !(configuration.eightBitMIME && greeted?.extended == true) {
                return reject(.parameter("Error: 8BITMIME is not supported"))
            }
            if let size = parameters.size, size > configuration.messageSizeLimit { return reject(.messageTooBig) }
            mode = .waitingForSender(sender, parameters)
            emit(.checkSender(sender, parameters))
        case .recipient(let recipient, _):
            if tlsGate { return reject(.tlsRequired) }
            guard let transaction else { return reject(.needMail) }
            guard transaction.recipients.count < configuration.recipientLimit else {
                emit(.send(.tooManyRecipients))
                return
            }
            mode = .waitingForRecipient(recipient)
            emit(.checkRecipient(recipient))
        case .data:
            if tlsGate { return reject(.tlsRequired) }
            guard let envelope else { return reject(.needMail) }
            if violatesSynchronization() { return }
            guard !envelope.recipients.isEmpty else { return reject(.noValidRecipients) }
            mode = .waitingForBegin
            emit(.beginMessage(envelope))
        case .reset:
            abortTransactionIfOpen()
            emit(.send(.ok()))
        case .noop:
            emit(.send(.ok()))
        case .quit:
            abortTransactionIfOpen()
            emit(.send(.bye))
            close()
        case .help:
            emit(.send(SMTPReply(code: 214, EnhancedStatusCode(2, 0, 0), "See RFC 5321")))
        case .verify, .expand:
            reject(SMTPReply(code: 502, EnhancedStatusCode(5, 5, 1), "Error: \(command.verb) command is disabled"))
        case .authenticate:
            reject(tlsGate ? .tlsRequired : .commandNotImplemented)
        case .notImplemented:
            reject(.commandNotImplemented)
        case .startTLS:
            startTLS()
        }
    }

    mutating func startTLS() {
        guard configuration.startTLSAvailable else { return reject(.tlsNotAvailable) }
        guard !isTLSActive else { return reject(.tlsAlreadyActive) }
        guard greeted?.extended == true else { return reject(.needHello) }
        guard transaction == nil else { return reject(.badSequence) }
        // Postfix's answer to CVE-2011-0411: reply, flush, then discard all pending plaintext
        // and forget the EHLO. Anything the client pipelined after STARTTLS is never executed.
        emit(.send(.readyToStartTLS))
        emit(.startTLS)
        input.clear()
        framer.reset()
        greeted = nil
        mode = .startingTLS
    }

    func ehloReply() -> SMTPReply {
        var lines = [configuration.hostname, "PIPELINING", "SIZE \(configuration.messageSizeLimit)"]
        if configuration.eightBitMIME { lines.append("8BITMIME") }
        if configuration.smtpUTF8 { lines.append("SMTPUTF8") }
        if configuration.startTLSAvailable && !isTLSActive { lines.append("STARTTLS") }
        lines.append("ENHANCEDSTATUSCODES")
        return SMTPReply(code: 250, nil, lines: lines)
    }
}
