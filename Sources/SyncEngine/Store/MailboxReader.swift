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
    /// ``open(_:)``, telling the store that ``summaries(_:)`` with `request` comes next: a
    /// store may read some of it in the same round trip (see the default).
    func open(_ folder: MailboxName, expecting request: SummaryRequest) async throws -> FolderStatus
    /// The folders this session will open next, in this order, each as it will be opened: a
    /// store may read them ahead at once (IMAP: every folder's SELECT, and the flags it will be
    /// asked for, in one round trip). A folder read ahead is still opened with ``open(_:)``
    /// or ``open(_:expecting:)``, which then answers from what was read; one never opened
    /// costs only its reading. Errors of single folders are left for their opens to report.
    func openAhead(_ folders: [PlannedOpen]) async throws
    /// True when ``openAhead(_:)`` really reads ahead (a round trip to wait for): the engine
    /// then reads the announced folders' state meanwhile instead of one folder at a time.
    var readsAhead: Bool { get }
    /// The open folder's messages, as `request` asks: the one listing call.
    func summaries(_ request: SummaryRequest) async throws -> [MessageSummary]
    /// Stream the exact bytes of the given messages of the open folder into `sink`, in any
    /// order. A UID that no longer exists is skipped (it was expunged meanwhile).
    func fetchBodies(_ uids: [UID], into sink: any MessageBodySink) async throws
}

extension MailboxReader {
    /// Nothing is read ahead: each folder is opened when asked.
    public func openAhead(_ folders: [PlannedOpen]) async throws {}

    public var readsAhead: Bool { false }

    /// Opens only: the listing is read when asked for.
    public func open(_ folder: MailboxName, expecting request: SummaryRequest) async throws -> FolderStatus {
        try await open(folder)
    }
}
