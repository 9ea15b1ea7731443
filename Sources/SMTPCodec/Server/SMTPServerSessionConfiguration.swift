/// What an SMTP server session advertises and enforces. Defaults come from `SMTPDefaults`.
public struct SMTPServerSessionConfiguration: Hashable, Sendable {
    /// Our name in the greeting and the EHLO reply.
    public var hostname: String
    public var messageSizeLimit = SMTPDefaults.messageSizeLimit
    public var recipientLimit = SMTPDefaults.recipientLimit
    public var hardErrorLimit = SMTPDefaults.hardErrorLimit
    public var commandLineLimit = SMTPDefaults.commandLineLimit
    public var textLineLimit = SMTPDefaults.textLineLimit
    public var headerSizeLimit = SMTPDefaults.headerSizeLimit
    public var hopCountLimit = SMTPDefaults.hopCountLimit
    public var lineEndingPolicy: SMTPLineEndingPolicy = .reject
    /// Accept NUL octets in DATA and pass them on unchanged (the in-path relay: its primary,
    /// Postfix, accepts them). Off: 550 5.6.0.
    public var acceptsNULInData = false
    /// Advertise 8BITMIME. Turn off when the next hop lacks it (§4 S-E1).
    public var eightBitMIME = true
    /// Advertise SMTPUTF8. Turn off when the next hop lacks it (§4 S-E3).
    public var smtpUTF8 = true
    /// STARTTLS is offered (a certificate is configured).
    public var startTLSAvailable = false
    /// Refuse mail commands until TLS is active (530 5.7.0).
    public var requireTLS = false

    /// Initialize a configuration.
    public init(hostname: String) {
        self.hostname = hostname
    }

    /// The 220 banner.
    public var greeting: SMTPReply { SMTPReply(code: 220, nil, "\(hostname) ESMTP mailferry") }
}
