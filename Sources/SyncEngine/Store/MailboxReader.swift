public import MailModel

/// Reading one account's folders: what both sides of a sync can do.
///
/// A session is used by one task at a time; a store opens several sessions to work on
/// folders in parallel.
public protocol MailboxReader: Sendable {
    /// The personal namespace's prefix and separator.
    func hierarchy() async throws -> StoreHierarchy
    /// Every folder of the personal namespace, with subscription state.
    func listFolders() async throws -> [FolderListing]
    /// Open a folder for the calls below (IMAP SELECT: never EXAMINE, because Courier answers
    /// EXAMINE of a folder without a UID database with a throw-away UIDVALIDITY).
    func open(_ folder: MailboxName) async throws -> FolderStatus
    /// ``open(_:)``, telling the store that ``summaries(flagsOnlyBelow:)`` with `below` comes
    /// next: a store may read those flags in the same round trip (see the default).
    func open(_ folder: MailboxName, prefetchingFlagsBelow below: UID) async throws -> FolderStatus
    /// Summaries of the open folder's messages with UID ≥ `from` (all when `nil`), or only of
    /// those changed since `changedSince` when the store supports CONDSTORE.
    func summaries(from: UID?, changedSince: ModSeq?) async throws -> [MessageSummary]
    /// All summaries, where those below `below` may carry only UID and flags (see the
    /// default implementation).
    func summaries(flagsOnlyBelow below: UID) async throws -> [MessageSummary]
    /// All summaries, where sizes may be 0 (see the default implementation).
    func summariesWithoutSizes() async throws -> [MessageSummary]
    /// Stream the exact bytes of the given messages of the open folder into `sink`, in any
    /// order. A UID that no longer exists is skipped (it was expunged meanwhile).
    func fetchBodies(_ uids: [UID], into sink: any MessageBodySink) async throws
    /// Every message's body into `sink`, with the summaries (see the default implementation).
    func readAll(into sink: any MessageBodySink) async throws -> [MessageSummary]
}

extension MailboxReader {
    /// Opens only: the flags are read when asked for.
    public func open(_ folder: MailboxName, prefetchingFlagsBelow below: UID) async throws -> FolderStatus {
        try await open(folder)
    }
}
