import MailModel

/// The driver's answers to the session's questions.
extension SMTPServerSession {
    /// The answer to `.checkSender`: a 2yz reply opens the transaction.
    public mutating func senderChecked(_ reply: SMTPReply) {
        guard case .waitingForSender(let sender, let parameters) = mode else { preconditionFailure("no sender question pending") }
        mode = .commands
        if reply.isPositiveCompletion {
            transaction = Transaction(sender: sender, parameters: parameters)
            emit(.send(reply))
        } else {
            reject(reply)
        }
    }

    /// The answer to `.checkRecipient`: a 2yz reply adds the recipient.
    public mutating func recipientChecked(_ reply: SMTPReply) {
        guard case .waitingForRecipient(let recipient) = mode else { preconditionFailure("no recipient question pending") }
        mode = .commands
        if reply.isPositiveCompletion {
            transaction?.recipients.append(recipient)
            emit(.send(reply))
        } else {
            reject(reply)
        }
    }

    /// The answer to `.beginMessage`: nil sends 354 and starts the DATA phase.
    public mutating func messageBegun(rejection: SMTPReply?) {
        guard mode == .waitingForBegin else { preconditionFailure("no begin question pending") }
        if let rejection {
            mode = .commands
            transaction = nil
            emit(.abortTransaction)
            reject(rejection)
            return
        }
        mode = .data(DataProgress(decoder: SMTPDataDecoder(lineLimit: configuration.textLineLimit)))
        framer.reset()
        emit(.send(.startMailInput))
    }

    /// The answer to `.commitMessage`: the reply to end-of-data. Only send 250 once the
    /// message is durable.
    public mutating func messageCommitted(_ reply: SMTPReply) {
        guard mode == .waitingForCommit else { preconditionFailure("no commit pending") }
        mode = .commands
        transaction = nil
        if reply.isPositiveCompletion {
            acceptedMessageCount += 1
            errorCount = 0
            emit(.send(reply))
        } else {
            reject(reply)
        }
    }

    /// The envelope of the open transaction.
    var envelope: MailEnvelope? {
        guard let transaction else { return nil }
        return MailEnvelope(
            sender: transaction.sender, recipients: transaction.recipients,
            body: transaction.parameters.body ?? .sevenBit, smtpUTF8: transaction.parameters.smtpUTF8)
    }
}
