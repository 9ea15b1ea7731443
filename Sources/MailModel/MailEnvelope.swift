/// What SMTP carries besides the message bytes: the sender, the recipients and the
/// parameters that change how the bytes may be relayed.
///
/// `description` hides the addresses (they are personal data); use the properties to read
/// them deliberately.
public struct MailEnvelope: Hashable, Sendable, CustomStringConvertible {
    public var sender: ReversePath
    public var recipients: [ForwardPath]
    /// `BODY=` as declared by the client (RFC 6152), or `.sevenBit` when absent.
    public var body: MessageBodyType
    /// The client sent `SMTPUTF8` on MAIL (RFC 6531): addresses or headers may be UTF-8.
    public var smtpUTF8: Bool

    /// Initialize an envelope.
    public init(sender: ReversePath, recipients: [ForwardPath], body: MessageBodyType = .sevenBit, smtpUTF8: Bool = false) {
        self.sender = sender
        self.recipients = recipients
        self.body = body
        self.smtpUTF8 = smtpUTF8
    }

    public var description: String {
        "MailEnvelope(recipients: \(recipients.count), body: \(body), smtpUTF8: \(smtpUTF8))"
    }
}
