public import MailModel

/// The envelope as stored at the head of a queue file, with what the relay needs to know
/// about the message without reading it.
public struct SpoolEnvelope: Hashable, Sendable, Codable {
    public var id: QueueID
    /// Unix time of arrival.
    public var receivedAt: Double
    /// `<>` or the sender address.
    public var sender: String
    /// Recipient addresses as written on the wire (`local@domain`), or `postmaster`.
    public var recipients: [String]
    public var body: MessageBodyType
    public var smtpUTF8: Bool
    /// Free-form facts for reports (for example `message-id`, `mirror.original-recipient.0`).
    public var metadata: [String: String]

    /// Initialize from an SMTP envelope.
    public init(id: QueueID, receivedAt: Double, envelope: MailEnvelope, metadata: [String: String] = [:]) {
        self.id = id
        self.receivedAt = receivedAt
        self.sender = envelope.sender.address?.description ?? "<>"
        self.recipients = envelope.recipients.map { $0.address?.description ?? "postmaster" }
        self.body = envelope.body
        self.smtpUTF8 = envelope.smtpUTF8
        self.metadata = metadata
    }

    /// The SMTP envelope again; nil if an address no longer parses (a damaged file).
    public var mailEnvelope: MailEnvelope? {
        let reverse: ReversePath
        if sender == "<>" {
            reverse = .null
        } else {
            guard let address = EmailAddress(sender, allowUTF8: true) else { return nil }
            reverse = .mailbox(address)
        }
        var forward: [ForwardPath] = []
        for recipient in recipients {
            if recipient == "postmaster" {
                forward.append(.postmaster)
            } else {
                guard let address = EmailAddress(recipient, allowUTF8: true) else { return nil }
                forward.append(.mailbox(address))
            }
        }
        return MailEnvelope(sender: reverse, recipients: forward, body: body, smtpUTF8: smtpUTF8)
    }
}
