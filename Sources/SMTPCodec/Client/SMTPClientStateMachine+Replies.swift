/// Reply handling for the client session.
extension SMTPClientStateMachine {
    /// A complete reply arrived.
    public mutating func receivedReply(_ reply: SMTPReply) -> Action {
        guard let expectation = expected.first else {
            phase = .closed
            return .fail(SMTPSessionFailure(kind: .protocolViolation, reply: reply, detail: "reply without a command"))
        }
        expected.removeFirst()
        switch expectation {
        case .greeting:
            guard reply.code == 220 else { return refuse(reply, "greeting") }
            phase = .greeted
            expected = [.extendedHello]
            return .send([.extendedHello(heloName)])
        case .extendedHello:
            if reply.isPositiveCompletion {
                extensions = SMTPExtensions(ehloReply: reply)
                return afterHello()
            }
            guard reply.isPermanentFailure, !isTLSActive else { return refuse(reply, "EHLO") }
            expected = [.hello]
            return .send([.hello(heloName)])
        case .hello:
            guard reply.isPositiveCompletion else { return refuse(reply, "HELO") }
            extensions = SMTPExtensions()
            return afterHello()
        case .startTLS:
            if reply.code == 220 {
                phase = .handshaking
                return .startTLS
            }
            if tlsPolicy == .required {
                phase = .closed
                return .fail(SMTPSessionFailure(kind: .tlsUnavailable, reply: reply, detail: "STARTTLS refused"))
            }
            phase = .ready
            return .ready
        case .mail:
            result.mailReply = reply
            if !reply.isPositiveCompletion { failedTransaction = true }
            return nextEnvelopeStep()
        case .recipient(let index):
            result.recipientReplies[index] = reply
            return nextEnvelopeStep()
        case .data:
            result.dataReply = reply
            let accepted = result.recipientReplies.contains { $0?.isPositiveCompletion == true }
            if reply.code == 354 {
                if accepted && !failedTransaction {
                    expected = [.endOfData]
                    return .sendMessage
                }
                // Pipelined DATA was accepted although no recipient was: send an empty
                // message to close the DATA phase, then RSET (RFC 2920 §3.1).
                failedTransaction = true
                expected = [.endOfData]
                return .sendMessage
            }
            failedTransaction = true
            return finishTransaction()
        case .endOfData:
            if !failedTransaction { result.finalReply = reply }
            return finishTransaction()
        case .reset:
            guard reply.isPositiveCompletion else { return refuse(reply, "RSET") }
            phase = .ready
            return .transactionFinished(result)
        case .quit:
            phase = .closed
            return .close
        }
    }

    /// True when the message body to send is a throw-away empty one (see `.data`).
    public var sendsEmptyBody: Bool { failedTransaction }

    mutating func afterHello() -> Action {
        if !isTLSActive && tlsPolicy != .none {
            if extensions.startTLS {
                expected = [.startTLS]
                return .send([.startTLS])
            }
            if tlsPolicy == .required {
                phase = .closed
                return .fail(SMTPSessionFailure(kind: .tlsUnavailable, reply: nil, detail: "server does not offer STARTTLS"))
            }
        }
        phase = .ready
        return .ready
    }

    /// Without pipelining, send the next RCPT or DATA once the previous reply is in.
    mutating func nextEnvelopeStep() -> Action {
        if !expected.isEmpty { return .waitForReply }
        if failedTransaction { return finishTransaction() }
        if !pendingRecipients.isEmpty {
            let next = pendingRecipients.removeFirst()
            expected = [.recipient(result.recipientReplies.count - pendingRecipients.count - 1)]
            return .send([next])
        }
        guard result.recipientReplies.contains(where: { $0?.isPositiveCompletion == true }) else {
            failedTransaction = true
            return finishTransaction()
        }
        expected = [.data]
        return .send([.data])
    }

    mutating func finishTransaction() -> Action {
        if !expected.isEmpty { return .waitForReply }
        pendingRecipients = []
        if failedTransaction {
            expected = [.reset]
            return .send([.reset])
        }
        phase = .ready
        return .transactionFinished(result)
    }

    mutating func refuse(_ reply: SMTPReply, _ step: String) -> Action {
        phase = .closed
        expected = []
        return .fail(SMTPSessionFailure(kind: .refused, reply: reply, detail: "\(step) refused"))
    }
}
