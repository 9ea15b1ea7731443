public import MailModel

/// One source message and what became of it on the destination.
///
/// A record is written in state ``State/pending`` before its APPEND is sent (the journal),
/// and moves to ``State/copied`` only once the destination confirmed it. After a crash, a
/// pending record is reconciled against the destination (APPENDUID, or a fingerprint search
/// above ``destinationUIDNextBefore``), so that nothing is copied twice or skipped.
public struct MessageRecord: Hashable, Sendable {
    public enum State: String, Hashable, Sendable {
        /// Journaled: the APPEND may or may not have reached the destination.
        case pending
        /// The destination confirmed the message; ``destinationUID`` is known when it has UIDPLUS.
        case copied
        /// The message was already on the destination (same bytes) when first seen: not
        /// created by mailferry, so never deleted by it.
        case matched
        /// The destination refused it (quota, size, bad flag…); retried on every run.
        case rejected
        /// The copy was deleted on the destination and `--keep-destination-deletions` asked
        /// to leave it so. A run without that option copies it again.
        case keptDeleted = "kept-deleted"
    }

    public var account: String
    public var sourceFolder: String
    public var sourceUIDValidity: UIDValidity
    public var sourceUID: UID
    public var destinationFolder: String
    public var destinationUIDValidity: UIDValidity?
    public var destinationUID: UID?
    public var fingerprint: MessageFingerprint
    public var size: Int
    public var internalDate: InternalDate?
    /// The flags (system flags and keywords) both sides agreed on after the last sync: the
    /// base of the three-way flag merge.
    public var syncedFlags: Set<Flag>
    public var state: State
    /// The destination's UIDNEXT just before the APPEND was sent: a crashed APPEND can only
    /// have produced a UID at or above it.
    public var destinationUIDNextBefore: UInt32?
    /// The destination's reply when it refused the message.
    public var failure: String?

    public init(
        account: String, sourceFolder: String, sourceUIDValidity: UIDValidity, sourceUID: UID,
        destinationFolder: String, destinationUIDValidity: UIDValidity? = nil, destinationUID: UID? = nil,
        fingerprint: MessageFingerprint, size: Int, internalDate: InternalDate?, syncedFlags: Set<Flag>,
        state: State, destinationUIDNextBefore: UInt32? = nil, failure: String? = nil
    ) {
        self.account = account
        self.sourceFolder = sourceFolder
        self.sourceUIDValidity = sourceUIDValidity
        self.sourceUID = sourceUID
        self.destinationFolder = destinationFolder
        self.destinationUIDValidity = destinationUIDValidity
        self.destinationUID = destinationUID
        self.fingerprint = fingerprint
        self.size = size
        self.internalDate = internalDate
        self.syncedFlags = syncedFlags
        self.state = state
        self.destinationUIDNextBefore = destinationUIDNextBefore
        self.failure = failure
    }

    /// True if mailferry created the destination copy (and so may delete it when asked): the
    /// origin of a destination message is its state. `.copied` is set only from the
    /// destination's answer to mailferry's own APPEND (or, after a crash, a journaled APPEND
    /// found above the UIDNEXT noted before it, in the same destination UIDVALIDITY);
    /// anything found otherwise is `.matched`.
    public var createdByMailferry: Bool { state == .copied || state == .pending }

    /// True if the record stands for a message on the destination that should be there.
    public var holdsCopy: Bool { state == .copied || state == .matched }
}
