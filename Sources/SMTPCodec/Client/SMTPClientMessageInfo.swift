public import MailModel

/// What the client must know about a message before sending its envelope.
public struct SMTPClientMessageInfo: Hashable, Sendable {
    public var envelope: MailEnvelope
    /// Octets of the message content.
    public var size: Int
    /// The content holds an octet >= 0x80 (needs 8BITMIME at the next hop).
    public var contains8Bit: Bool
    /// `NOTIFY=` for every recipient when the next hop offers DSN (nil: not sent).
    public var notify: DeliveryNotification?

    public init(envelope: MailEnvelope, size: Int, contains8Bit: Bool, notify: DeliveryNotification? = nil) {
        self.envelope = envelope
        self.size = size
        self.contains8Bit = contains8Bit
        self.notify = notify
    }

    /// Addresses or declared parameters require SMTPUTF8 at the next hop.
    public var needsSMTPUTF8: Bool {
        envelope.smtpUTF8 || envelope.sender.address?.needsSMTPUTF8 == true
            || envelope.recipients.contains { $0.address?.needsSMTPUTF8 == true }
    }

    /// The body needs 8BITMIME at the next hop.
    public var needs8BitMIME: Bool { envelope.body == .eightBitMIME || contains8Bit }
}
