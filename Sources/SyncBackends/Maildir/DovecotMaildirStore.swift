public import Logging
public import Maildir
public import SyncEngine

/// A Dovecot Maildir written directly, as the destination that keeps each message's source
/// UID and each folder's UIDVALIDITY and next UID (and POP3 UIDLs from a Courier source), so
/// that mail clients keep their caches. It can be read too: the engine reads it back after a
/// crash, verify compares it, and it can be a source.
///
/// Every message is written to `tmp/`; at the end of each batch the file system is flushed,
/// then, under Dovecot's `dovecot-uidlist.lock`, `dovecot-keywords` and `dovecot-uidlist`
/// are replaced and the files renamed into `cur/`: a receipt is returned only after that, so
/// the engine's journal never confirms what a crash could lose. Dovecot's index files of a
/// changed folder are removed so that Dovecot rebuilds them from these files.
public struct DovecotMaildirStore: DestinationStore, SourceStore {
    public struct Options: Hashable, Sendable {
        /// Replace a destination folder's UIDVALIDITY (and so every UID it had) with the
        /// source's instead of refusing the folder; clients then re-download that folder.
        public var overwriteUIDValidity: Bool
        /// When files are flushed: one `syncfs` per batch, or one `fsync` per file.
        public var durability: MaildirDurability
        public var lock: DovecotUIDListLock.Options

        public init(overwriteUIDValidity: Bool = false, durability: MaildirDurability = .syncFileSystemAtCommit, lock: DovecotUIDListLock.Options = .init()) {
            self.overwriteUIDValidity = overwriteUIDValidity
            self.durability = durability
            self.lock = lock
        }
    }

    public var root: String
    public var layout: DovecotLayout
    /// Who owns what is written; `nil`: the Maildir's owner, or its home's when it does not
    /// exist yet (as Dovecot derives permissions from the mailbox root).
    public var owner: MaildirOwnership?
    public var options: Options
    /// POP3 identities of the source's INBOX messages (a Courier Maildir source), if any.
    public var pop3Board: POP3IdentityBoard?
    /// While the mirror delivers copies to this Maildir: how they are kept out of the
    /// source's UID space; `nil` when there is no mirror.
    public var mirrorCopies: MirrorCopies?
    public var logger: Logger

    public init(
        root: String, layout: DovecotLayout = DovecotLayout(), owner: MaildirOwnership? = nil, options: Options = .init(),
        pop3Board: POP3IdentityBoard? = nil, mirrorCopies: MirrorCopies? = nil, logger: Logger
    ) {
        self.root = root
        self.layout = layout
        self.owner = owner
        self.options = options
        self.pop3Board = pop3Board
        self.mirrorCopies = mirrorCopies
        self.logger = logger
    }

    /// What a run should do for this destination:
    /// - keep messages up to 32 MiB in memory between reading and writing
    ///   (``SyncOptions/memoryThreshold``): a local disk is fast enough that staging a large
    ///   message in a temporary file would write it to disk twice (the batch's `syncfs` flushes
    ///   the staged files of the next batch too), nearly doubling the disk work of a mailbox
    ///   whose bytes are mostly in large messages; larger messages are still staged in a file;
    /// - from a local source's files (``SourceFile``), batches of 100 messages or 8 MiB: they
    ///   cost an open descriptor each, not memory (the run bounds them by its descriptor limit,
    ///   see `AccountJob.syncOptions`), and the byte bound keeps the work a crash repeats small;
    /// - from those files, three folders at once when the run does not say: a folder's worker
    ///   alternates between CPU (reading, hashing, writing) and waiting for the batch's flush,
    ///   so a third folder keeps two cores busy while the others wait.
    public static let profile = WriteProfile(
        memoryThreshold: 32 * 1024 * 1024, batchFromFilesMessages: 100, batchFromFilesBytes: 8 * 1024 * 1024, foldersFromFiles: 3)

    public var displayName: String { "maildir:" + root + "?format=dovecot" }

    public var preservesSourceUIDs: Bool { true }

    public var writeProfile: WriteProfile { Self.profile }

    public func withSession<T: Sendable>(_ body: (any MailboxWriter) async throws -> T) async throws -> T {
        try await body(DovecotMaildirSession(store: self))
    }

    public func withSession<T: Sendable>(_ body: (any MailboxReader) async throws -> T) async throws -> T {
        try await body(DovecotMaildirSession(store: self))
    }
}
