/// What happened to one folder pair in one run.
public struct FolderReport: Hashable, Sendable, Codable {
    public var sourceFolder: String
    public var destinationFolder: String
    /// Why this destination folder was chosen (same name, a role, a rule).
    public var mappingReason = ""
    /// Messages on the source when the folder was opened.
    public var sourceMessages: Int = 0
    /// Copied in this run (or, in a dry run, that would be copied).
    public var copied: Int = 0
    public var bytesCopied: Int = 0
    /// Found already on the destination with the same bytes (not copied again).
    public var matched: Int = 0
    /// Already copied by an earlier run.
    public var unchanged: Int = 0
    /// Journaled APPENDs of a crashed run that were found on the destination.
    public var recovered: Int = 0
    /// Copies an earlier run made or found that are no longer on the destination (deleted
    /// there, or the folder wiped or re-created): copied again in this run.
    public var restored: Int = 0
    /// Like ``restored``, but left deleted because of `--keep-destination-deletions`.
    public var keptDeletions: Int = 0
    /// Messages whose flags were updated on the destination.
    public var flagsUpdated: Int = 0
    /// Copies removed from the destination with `--delete-extraneous`.
    public var deleted: Int = 0
    public var failures: [MessageFailure] = []
    /// Source messages left for a later run (delivered within the settle window of a Courier
    /// Maildir source, `--settle`): not copied, not counted in ``sourceMessages``.
    public var deferred = 0
    /// The destination folder held only the mirror's verified copies under its own
    /// UIDVALIDITY and took the source's: how many copies it kept (numbered above the
    /// source's UIDs until `mirror purge`). `nil`: not such a folder.
    public var adoptedMirrorCopies: Int?
    public var refusedKeywords: [RefusedKeyword] = []
    /// True if the destination folder was created in this run.
    public var created = false
    /// A folder-level failure (the folder could not be synced at all).
    public var error: String?
    /// The kind of ``error`` when a store reported it: a connection lost, or a server
    /// breaking the protocol, on every attempt makes the whole account's outcome a
    /// connection failure rather than a folder's problem (see ``AccountReport/outcome``).
    public var errorKind: StoreError.Kind?
    public var seconds: Double = 0

    public init(sourceFolder: String, destinationFolder: String) {
        self.sourceFolder = sourceFolder
        self.destinationFolder = destinationFolder
    }

    /// True if every source message that was copied or refused is accounted for; a folder
    /// with ``deferred`` messages is complete for this run but not on the destination yet
    /// (see ``AccountReport/Outcome/deferred``).
    public var isComplete: Bool { error == nil && failures.isEmpty }
}
