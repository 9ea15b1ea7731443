/// An entry just made durable, as its session hands it to the relay: its ID and, for a
/// message committed from memory, the envelope and bytes it was committed with, so that
/// the first delivery attempt need not read and parse them back (``MailSpool/message(_:committed:)``).
public struct CommittedMessage: Sendable {
    public let id: QueueID
    /// Octets of the message body.
    public let bodyLength: Int
    /// Nil for a message streamed to a file of its own (not held in memory).
    public let contents: (envelope: SpoolEnvelope, body: [UInt8])?

    public init(id: QueueID, bodyLength: Int, contents: (envelope: SpoolEnvelope, body: [UInt8])? = nil) {
        self.id = id
        self.bodyLength = bodyLength
        self.contents = contents
    }
}
