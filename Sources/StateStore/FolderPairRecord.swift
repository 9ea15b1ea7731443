public import MailModel

/// What the store remembers of one source folder and the destination folder it maps to.
public struct FolderPairRecord: Hashable, Sendable {
    public var account: String
    /// The source folder's full decoded name, as the source lists it.
    public var sourceFolder: String
    /// The destination folder's full decoded name.
    public var destinationFolder: String
    public var sourceUIDValidity: UIDValidity
    public var destinationUIDValidity: UIDValidity?
    /// Every source UID below this one has been looked at (copied, matched or recorded as failed).
    public var sourceUIDNext: UInt32
    /// The source's HIGHESTMODSEQ when the folder was last synced completely (CONDSTORE servers).
    public var sourceHighestModSeq: ModSeq?
    /// The source's message count when the folder was last synced completely.
    public var sourceMessageCount: Int
    /// The destination folder's UIDNEXT and message count when this run left it. Both equal on
    /// the next run (same UIDVALIDITY) prove that nothing was added or removed there since:
    /// any APPEND or delivery raises UIDNEXT, and without one an unchanged count means no
    /// expunge. `nil` when unknown, which makes the next run list the destination's UIDs.
    public var destinationUIDNext: UInt32?
    public var destinationMessageCount: Int?
    /// Seconds since 1970 of the last complete sync of this folder.
    public var lastSyncedAt: Int64

    public init(
        account: String, sourceFolder: String, destinationFolder: String, sourceUIDValidity: UIDValidity,
        destinationUIDValidity: UIDValidity?, sourceUIDNext: UInt32, sourceHighestModSeq: ModSeq?,
        sourceMessageCount: Int, lastSyncedAt: Int64, destinationUIDNext: UInt32? = nil, destinationMessageCount: Int? = nil
    ) {
        self.account = account
        self.sourceFolder = sourceFolder
        self.destinationFolder = destinationFolder
        self.sourceUIDValidity = sourceUIDValidity
        self.destinationUIDValidity = destinationUIDValidity
        self.sourceUIDNext = sourceUIDNext
        self.sourceHighestModSeq = sourceHighestModSeq
        self.sourceMessageCount = sourceMessageCount
        self.lastSyncedAt = lastSyncedAt
        self.destinationUIDNext = destinationUIDNext
        self.destinationMessageCount = destinationMessageCount
    }
}
