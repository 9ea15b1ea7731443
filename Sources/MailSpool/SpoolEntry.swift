/// What the spool knows about one queued message, without its body.
public struct SpoolEntry: Hashable, Sendable {
    public var envelope: SpoolEnvelope
    /// Octets of the message body.
    public var bodyLength: Int
    /// The body holds an octet >= 0x80.
    public var contains8Bit: Bool
    /// One state per envelope recipient, from the status journal.
    public var states: [RecipientState]
    /// The last reply seen per recipient ("" if none yet).
    public var lastReplies: [String] = []
    /// Delivery attempts recorded so far.
    public var attempts: Int
    /// Unix time of the next attempt (nil: as soon as possible).
    public var nextAttemptAt: Double?
    /// The entry is in `hold/` and is not delivered until released.
    public var held: Bool

    public var id: QueueID { envelope.id }

    /// Every recipient is delivered or failed.
    public var isFinished: Bool { states.allSatisfy(\.isFinal) }

    /// Indices of the recipients still to deliver.
    public var pendingRecipients: [Int] { states.indices.filter { !states[$0].isFinal } }

    /// Apply one journal record (final states never revert).
    public mutating func apply(_ record: SpoolStatusRecord) {
        if lastReplies.count != states.count { lastReplies = Array(repeating: "", count: states.count) }
        for result in record.results where states.indices.contains(result.index) {
            guard !states[result.index].isFinal else { continue }
            states[result.index] = result.state
            lastReplies[result.index] = result.reply
        }
        attempts += 1
        nextAttemptAt = record.nextAttemptAt
    }
}
