/// The final account of one spool entry: who got it, who refused it, and what they said.
/// `mailferry mirror report` is built from these lines.
public struct FinishedRecord: Hashable, Sendable, Codable {
    public struct Recipient: Hashable, Sendable, Codable {
        public var address: String
        public var state: RecipientState
        public var reply: String
    }

    public var id: QueueID
    public var receivedAt: Double
    public var finishedAt: Double
    public var attempts: Int
    public var bodyLength: Int
    public var recipients: [Recipient]
    public var metadata: [String: String]

    init(entry: SpoolEntry, finishedAt: Double) {
        id = entry.id
        receivedAt = entry.envelope.receivedAt
        self.finishedAt = finishedAt
        attempts = entry.attempts
        bodyLength = entry.bodyLength
        recipients = entry.envelope.recipients.indices.map { index in
            Recipient(address: entry.envelope.recipients[index], state: entry.states[index],
                      reply: entry.lastReplies.indices.contains(index) ? entry.lastReplies[index] : "")
        }
        metadata = entry.envelope.metadata
    }
}
