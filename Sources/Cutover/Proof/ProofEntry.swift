/// One message and one of its final recipients on the old server, with where it ended and
/// every hop that shows it.
public struct ProofEntry: Hashable, Sendable, Codable {
    public var queueID: String
    public var acceptedAt: LogInstant
    public var origin: String?
    public var messageID: String?
    public var sender: String?
    public var recipient: String
    public var outcome: ProofOutcome
    /// The log lines the chain went through, in order (`old 8FBB6F8630A smtp … queued as …`).
    public var hops: [String]

    public init(queueID: String, acceptedAt: LogInstant, origin: String?, messageID: String?, sender: String?,
                recipient: String, outcome: ProofOutcome, hops: [String]) {
        self.queueID = queueID
        self.acceptedAt = acceptedAt
        self.origin = origin
        self.messageID = messageID
        self.sender = sender
        self.recipient = recipient
        self.outcome = outcome
        self.hops = hops
    }
}
