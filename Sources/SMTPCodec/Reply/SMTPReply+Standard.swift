/// The replies the server sends, in one place so wording and codes stay consistent.
extension SMTPReply {
    public static func ok(_ text: String = "Ok") -> SMTPReply { SMTPReply(code: 250, EnhancedStatusCode(2, 0, 0), text) }
    public static let senderOK = SMTPReply(code: 250, EnhancedStatusCode(2, 1, 0), "Ok")
    public static let recipientOK = SMTPReply(code: 250, EnhancedStatusCode(2, 1, 5), "Ok")
    public static let startMailInput = SMTPReply(code: 354, nil, "End data with <CR><LF>.<CR><LF>")
    public static let readyToStartTLS = SMTPReply(code: 220, EnhancedStatusCode(2, 0, 0), "Ready to start TLS")
    public static let bye = SMTPReply(code: 221, EnhancedStatusCode(2, 0, 0), "Bye")

    public static let lineTooLong = SMTPReply(code: 500, EnhancedStatusCode(5, 5, 2), "Error: line too long")
    public static let bareLineFeedInCommand = SMTPReply(code: 500, EnhancedStatusCode(5, 5, 2), "Error: bare <LF> in command (use <CR><LF>)")
    public static let unrecognizedCommand = SMTPReply(code: 502, EnhancedStatusCode(5, 5, 2), "Error: command not recognized")
    public static let commandNotImplemented = SMTPReply(code: 502, EnhancedStatusCode(5, 5, 1), "Error: command not implemented")
    public static let badSequence = SMTPReply(code: 503, EnhancedStatusCode(5, 5, 1), "Error: bad sequence of commands")
    public static let needHello = SMTPReply(code: 503, EnhancedStatusCode(5, 5, 1), "Error: send HELO/EHLO first")
    public static let needMail = SMTPReply(code: 503, EnhancedStatusCode(5, 5, 1), "Error: need MAIL command")
    public static let nestedMail = SMTPReply(code: 503, EnhancedStatusCode(5, 5, 1), "Error: nested MAIL command")
    public static let needRecipient = SMTPReply(code: 503, EnhancedStatusCode(5, 5, 1), "Error: need RCPT command")
    public static let noValidRecipients = SMTPReply(code: 554, EnhancedStatusCode(5, 5, 1), "Error: no valid recipients")
    public static let tlsAlreadyActive = SMTPReply(code: 503, EnhancedStatusCode(5, 5, 1), "Error: TLS already active")
    public static let tlsNotAvailable = SMTPReply(code: 502, EnhancedStatusCode(5, 5, 1), "Error: STARTTLS not available")
    public static let tlsRequired = SMTPReply(code: 530, EnhancedStatusCode(5, 7, 0), "Must issue a STARTTLS command first")
    public static let synchronizationError = SMTPReply(code: 554, EnhancedStatusCode(5, 5, 0), "Error: SMTP protocol synchronization")
    public static let tooManyErrors = SMTPReply(code: 421, EnhancedStatusCode(4, 7, 0), "Error: too many errors")
    public static let tooManyRecipients = SMTPReply(code: 452, EnhancedStatusCode(4, 5, 3), "Error: too many recipients")
    public static let messageTooBig = SMTPReply(code: 552, EnhancedStatusCode(5, 3, 4), "Error: message size exceeds fixed limit")
    public static let timeout = SMTPReply(code: 421, EnhancedStatusCode(4, 4, 2), "Error: timeout exceeded")
    public static let shuttingDown = SMTPReply(code: 421, EnhancedStatusCode(4, 3, 2), "Service shutting down, try again later")
    public static let localError = SMTPReply(code: 451, EnhancedStatusCode(4, 3, 0), "Error: queue file write error, try again later")
    public static let nonASCIIAddress = SMTPReply(code: 553, EnhancedStatusCode(5, 6, 7), "Error: non-ASCII address requires SMTPUTF8")
    public static let invalidUTF8Address = SMTPReply(code: 553, EnhancedStatusCode(5, 6, 7), "Error: address is not valid UTF-8")
    public static let bareLineEndingInData = SMTPReply(
        code: 550, EnhancedStatusCode(5, 6, 11), "Error: bare <CR> or <LF> in message data (RFC 5321 section 2.3.8)")
    public static let nulInData = SMTPReply(code: 550, EnhancedStatusCode(5, 6, 0), "Error: NUL byte in message data")
    public static let dataLineTooLong = SMTPReply(
        code: 550, EnhancedStatusCode(5, 6, 0), "Error: message line longer than the limit (RFC 5321 section 4.5.3.1.6)")
    public static let headerTooLarge = SMTPReply(code: 552, EnhancedStatusCode(5, 3, 4), "Error: message header section too large")
    public static let tooManyHops = SMTPReply(code: 554, EnhancedStatusCode(5, 4, 6), "Error: too many hops (mail forwarding loop)")

    public static func syntax(_ text: String) -> SMTPReply { SMTPReply(code: 501, EnhancedStatusCode(5, 5, 4), text) }
    public static func parameter(_ text: String) -> SMTPReply { SMTPReply(code: 555, EnhancedStatusCode(5, 5, 4), text) }
}
