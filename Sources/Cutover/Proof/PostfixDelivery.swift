/// One delivery attempt for one recipient, as a Postfix delivery agent (smtp, lmtp, local,
/// virtual, pipe, discard, error, retry) logs it:
/// `QID: to=<r>, orig_to=<o>, relay=…, delay=…, dsn=2.0.0, status=sent (250 … queued as ID)`.
public struct PostfixDelivery: Hashable, Sendable, Codable {
    /// The delivery agent's name as logged (`smtp`, `lmtp`, `local`, …).
    public var agent: String
    public var recipient: String
    public var originalRecipient: String?
    /// `relay=`: `host[address]:port`, `local`, `virtual`, a pipe service's name, `none`.
    public var relay: String
    public var dsn: String
    /// `sent`, `deferred`, `bounced`, `expired`, `undeliverable`, `deliverable`, `SOFTBOUNCE`.
    public var status: String
    /// The text in parentheses after the status.
    public var detail: String
    /// The next hop's queue id from its `250 … queued as ID` reply.
    public var nextQueueID: String?
    /// Dovecot's LMTP session id from `250 2.0.0 <rcpt> SESSION Saved`.
    public var lmtpSession: String?

    public init(agent: String, recipient: String, originalRecipient: String? = nil, relay: String, dsn: String,
                status: String, detail: String, nextQueueID: String? = nil, lmtpSession: String? = nil) {
        self.agent = agent
        self.recipient = recipient
        self.originalRecipient = originalRecipient
        self.relay = relay
        self.dsn = dsn
        self.status = status
        self.detail = detail
        self.nextQueueID = nextQueueID
        self.lmtpSession = lmtpSession
    }

    /// The attempt ended the recipient's stay in this queue (anything but a deferral).
    public var isFinal: Bool { status != "deferred" && status != "SOFTBOUNCE" }
}
