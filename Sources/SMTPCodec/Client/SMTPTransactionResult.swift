/// The raw replies of one attempted transaction, before classification.
public struct SMTPTransactionResult: Hashable, Sendable {
    /// The reply to MAIL FROM, nil if MAIL was never sent.
    public var mailReply: SMTPReply?
    /// One entry per recipient of the envelope, nil when RCPT was never answered.
    public var recipientReplies: [SMTPReply?]
    /// The reply to DATA (354 when it went on).
    public var dataReply: SMTPReply?
    /// The reply to the end of data.
    public var finalReply: SMTPReply?
    /// A reason found before anything was sent (missing 8BITMIME, SMTPUTF8, SIZE too big).
    public var localRejection: SMTPReply?

    public init(recipientCount: Int) {
        recipientReplies = Array(repeating: nil, count: recipientCount)
    }
}
