/// One queue file's life in one Postfix log, from the line that created it to `removed`.
/// Queue ids are reused (short ids within hours, the inode number and microseconds), so a
/// message is this record, never its id alone.
public struct PostfixMessage: Sendable, Hashable {
    public var queueID: String
    /// The syslog host that logged it (nil in a log without host names).
    public var host: String?
    public var firstSeen: LogInstant
    public var firstLine: Int
    /// `client NAME[ADDR]`, `local submission from <x>`, `notification for QID`.
    public var origin: String?
    public var messageID: String?
    public var sender: String?
    public var size: Int?
    /// qmgr's `nrcpt=`: how many recipients the queue file holds.
    public var recipientCount: Int?
    /// When qmgr first took the message (it was accepted and queued).
    public var queuedAt: LogInstant?
    public var wasHeld = false
    public var onHold = false
    /// The whole message was refused after its queue file was opened (DATA, header, milter).
    public var rejected: String?
    /// A header/body check discarded it after the 250.
    public var discarded: String?
    public var expired = false
    public var removedAt: LogInstant?
    public var removedByAdmin = false
    public var deliveries: [Attempt] = []

    public struct Attempt: Sendable, Hashable {
        public var time: LogInstant
        public var line: Int
        public var delivery: PostfixDelivery
    }

    public init(queueID: String, host: String? = nil, firstSeen: LogInstant, firstLine: Int) {
        self.queueID = queueID
        self.host = host
        self.firstSeen = firstSeen
        self.firstLine = firstLine
    }

    /// The sender got a 250 for it: qmgr saw it, or it went to the hold queue, or a check
    /// discarded it after acceptance.
    public var accepted: Bool { rejected == nil && (queuedAt != nil || wasHeld || discarded != nil) }

    /// When the message was accepted (qmgr's line, else the first line).
    public var acceptedAt: LogInstant { queuedAt.map { min($0, firstSeen) } ?? firstSeen }
}
