import SMTPClient
import SMTPCodec
import Testing

@Suite struct DeliveryClassifierTests {
    static func reply(_ code: Int) -> SMTPReply { SMTPReply(code: code, nil, "r\(code)") }

    static func result(mail: Int? = 250, recipients: [Int?], data: Int? = 354, final: Int? = 250) -> SMTPTransactionResult {
        var result = SMTPTransactionResult(recipientCount: recipients.count)
        result.mailReply = mail.map(reply)
        result.recipientReplies = recipients.map { $0.map(reply) }
        result.dataReply = data.map(reply)
        result.finalReply = final.map(reply)
        return result
    }

    typealias Expected = [(DeliveryOutcome.Disposition, DeliveryOutcome.Scope)]

    @Test(arguments: [
        (result(recipients: [250, 250]), [(.delivered, .message), (.delivered, .message)] as Expected),
        (result(recipients: [550, 250]), [(.fail, .recipient), (.delivered, .message)]),
        (result(recipients: [451, 250], final: 452), [(.retry, .recipient), (.retry, .message)]),
        (result(recipients: [250], final: 554), [(.fail, .message)]),
        (result(mail: 451, recipients: [nil, nil], data: nil, final: nil), [(.retry, .message), (.retry, .message)]),
        (result(mail: 553, recipients: [nil], data: nil, final: nil), [(.fail, .message)]),
        (result(recipients: [250], data: 554, final: nil), [(.fail, .message)]),
        (result(recipients: [250], data: 451, final: nil), [(.retry, .message)]),
        (result(recipients: [250], final: nil), [(.retry, .message)]),
    ])
    func classifiesTransactions(result: SMTPTransactionResult, expected: Expected) {
        let outcomes = DeliveryClassifier.classify(result)
        #expect(outcomes.map(\.disposition) == expected.map(\.0))
        #expect(outcomes.map(\.scope) == expected.map(\.1))
    }

    @Test func localRejectionFailsTheMessage() {
        var result = SMTPTransactionResult(recipientCount: 2)
        result.localRejection = SMTPReply(code: 554, EnhancedStatusCode(5, 6, 3), "needs 8BITMIME")
        #expect(DeliveryClassifier.classify(result).allSatisfy { $0.disposition == .fail && $0.scope == .message })
        // The reply is mailferry's own: the detail says so, for the report.
        #expect(DeliveryClassifier.classify(result).allSatisfy { $0.detail == "not sent by mailferry: 554 5.6.3 needs 8BITMIME" })
    }

    @Test func sessionTroubleIsASiteRetry() {
        let failure = SMTPSessionFailure(kind: .refused, reply: Self.reply(554), detail: "greeting refused")
        #expect(DeliveryClassifier.classify(sessionFailure: failure) == DeliveryOutcome(.retry, .site, reply: Self.reply(554), detail: "greeting refused: 554 r554"))
    }
}
