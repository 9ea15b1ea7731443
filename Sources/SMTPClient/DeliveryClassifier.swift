public import SMTPCodec

/// The one place where replies become outcomes.
public enum DeliveryClassifier {
    /// Outcomes for every recipient of a completed transaction attempt.
    public static func classify(_ result: SMTPTransactionResult) -> [DeliveryOutcome] {
        let count = result.recipientReplies.count
        if let local = result.localRejection {
            let detail = DeliveryOutcome.notSentPrefix + local.description
            return Array(repeating: DeliveryOutcome(.fail, .message, reply: local, detail: detail), count: count)
        }
        if let mail = result.mailReply, !mail.isPositiveCompletion {
            return Array(repeating: fromReply(mail, scope: .message), count: count)
        }
        return result.recipientReplies.map { reply in
            guard let reply else {
                return DeliveryOutcome(.retry, .message, reply: nil, detail: "no reply to RCPT")
            }
            guard reply.isPositiveCompletion else { return fromReply(reply, scope: .recipient) }
            if let data = result.dataReply, data.code != 354 { return fromReply(data, scope: .message) }
            guard let final = result.finalReply else {
                return DeliveryOutcome(.retry, .message, reply: nil, detail: "no reply to end of data")
            }
            return final.isPositiveCompletion ? DeliveryOutcome(.delivered, .message, reply: final) : fromReply(final, scope: .message)
        }
    }

    /// The outcome for every recipient when the session failed before or during a transaction.
    public static func classify(sessionFailure failure: SMTPSessionFailure) -> DeliveryOutcome {
        DeliveryOutcome(.retry, .site, reply: failure.reply, detail: failure.description)
    }

    /// Connection trouble (refused, reset, timeout, TLS handshake).
    public static func classify(error: any Error) -> DeliveryOutcome {
        if let clientError = error as? SMTPClientError, let failure = clientError.failure {
            return classify(sessionFailure: failure)
        }
        return DeliveryOutcome(.retry, .site, reply: nil, detail: "\(error)")
    }

    static func fromReply(_ reply: SMTPReply, scope: DeliveryOutcome.Scope) -> DeliveryOutcome {
        switch reply.code / 100 {
        case 5: DeliveryOutcome(.fail, scope, reply: reply)
        case 2: DeliveryOutcome(.retry, scope, reply: reply, detail: "unexpected \(reply)")
        default: DeliveryOutcome(.retry, scope, reply: reply)
        }
    }
}
