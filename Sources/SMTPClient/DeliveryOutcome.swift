public import SMTPCodec

/// What happened to one recipient, classified once (like Postfix's smtp_trouble.c) so the
/// spool, the retry schedule and the report all read the same thing.
public struct DeliveryOutcome: Hashable, Sendable, CustomStringConvertible {
    public enum Disposition: String, Hashable, Sendable {
        /// The next hop accepted responsibility (250 after end-of-data).
        case delivered
        /// Try again later (4yz, connection trouble, timeouts).
        case retry
        /// Do not try again (5yz, or a message the next hop can never take).
        case fail
    }

    /// How far the problem reaches: Postfix's rcpt / mesg / site (/ session).
    public enum Scope: String, Hashable, Sendable {
        /// This recipient only (its RCPT reply).
        case recipient
        /// The whole message (MAIL, DATA or end-of-data reply; a local refusal).
        case message
        /// The destination (cannot connect, refused the session, TLS unavailable, timeout).
        case site
    }

    public var disposition: Disposition
    public var scope: Scope
    /// The reply that decided it, when there was one.
    public var reply: SMTPReply?
    /// A human summary, e.g. `550 5.1.1 user unknown` or `connection refused`.
    public var detail: String

    public init(_ disposition: Disposition, _ scope: Scope, reply: SMTPReply?, detail: String? = nil) {
        self.disposition = disposition
        self.scope = scope
        self.reply = reply
        self.detail = detail ?? reply?.description ?? ""
    }

    public var description: String { "\(disposition) (\(scope)): \(detail)" }

    /// Starts the detail of a message mailferry refused to send itself (the next hop lacks
    /// 8BITMIME, SMTPUTF8 or a big enough SIZE): the next hop never saw it, so a report must
    /// not say the next hop rejected it. The reply after it is mailferry's own.
    public static let notSentPrefix = "not sent by mailferry: "

}
