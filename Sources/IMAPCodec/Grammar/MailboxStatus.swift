import MailModel

/// The data of a `* STATUS` response (RFC 3501 §7.2.4, RFC 7162, RFC 8438 SIZE, RFC 7889
/// APPENDLIMIT): only the attributes the server sent are set.
public struct MailboxStatus: Hashable, Sendable {
    public var messageCount: Int?
    public var recentCount: Int?
    public var uidNext: UID?
    public var uidValidity: UIDValidity?
    public var unseenCount: Int?
    public var deletedCount: Int?
    /// RFC 8438 `SIZE`: total size of the mailbox in octets.
    public var size: UInt64?
    public var highestModSeq: ModSeq?
    public var appendLimit: UInt64?

    public init(
        messageCount: Int? = nil, recentCount: Int? = nil, uidNext: UID? = nil, uidValidity: UIDValidity? = nil,
        unseenCount: Int? = nil, deletedCount: Int? = nil, size: UInt64? = nil, highestModSeq: ModSeq? = nil,
        appendLimit: UInt64? = nil
    ) {
        self.messageCount = messageCount
        self.recentCount = recentCount
        self.uidNext = uidNext
        self.uidValidity = uidValidity
        self.unseenCount = unseenCount
        self.deletedCount = deletedCount
        self.size = size
        self.highestModSeq = highestModSeq
        self.appendLimit = appendLimit
    }
}

/// A STATUS data item to request (`status-att`).
public enum StatusAttribute: String, Hashable, Sendable, CaseIterable {
    case messages = "MESSAGES"
    case recent = "RECENT"
    case uidNext = "UIDNEXT"
    case uidValidity = "UIDVALIDITY"
    case unseen = "UNSEEN"
    case deleted = "DELETED"
    case size = "SIZE"
    case highestModSeq = "HIGHESTMODSEQ"
    case appendLimit = "APPENDLIMIT"
}
