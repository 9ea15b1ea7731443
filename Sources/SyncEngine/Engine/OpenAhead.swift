import MailModel
import StateStore

/// A worker that has the account to itself tells its sessions which folders it will open
/// next (``MailboxReader/openAhead(_:)``): on a re-run the folders come in one round trip per
/// side instead of one each. On Courier, where every folder's flags are read on every run
/// (no CONDSTORE), that is every SELECT, STATUS and flags FETCH of the account in one burst.
///
/// Announced in windows: at most ``maximumFolders`` folders and the flags of about
/// ``maximumMessages`` messages held ahead at once; when the worker reaches a folder it did not
/// announce, the next window starts with it. With other workers taking folders from the same
/// queue nothing is announced (``AccountMachine/upcomingForSoleWorker`` is empty): they would
/// take announced folders away.
struct OpenAhead {
    static let maximumFolders = 100
    static let maximumMessages = 20_000

    let account: String
    let stateStore: any SyncStateStore
    let options: SyncOptions
    let preservesSourceUIDs: Bool
    /// Source folders (bytes of their names) announced and not yet reached.
    private var announced: Set<[UInt8]> = []
    /// The state of the announced folders, read while the servers answer the announcement
    /// (when the source reads ahead at all), so that a re-run with nothing to copy does not
    /// read it folder by folder once the answers are in. Each entry is handed out once
    /// (``takeKnownState(of:)``), when its folder is reached. Bounded by the window, like the
    /// flags held ahead. Valid until then because the worker has the account to itself: only
    /// the folder's own sync writes its records, and a retried folder reads them afresh (new
    /// sessions, a new announcement).
    private var known: [[UInt8]: FolderSync.KnownState] = [:]
    /// Records read while these sessions logged in (``StateReadAhead``): used only when the
    /// first folder is prepared.
    private var readAhead: Handoff<StateReadAhead.Records>?

    init(
        account: String, stateStore: any SyncStateStore, options: SyncOptions, preservesSourceUIDs: Bool,
        readAhead: Handoff<StateReadAhead.Records>? = nil
    ) {
        self.account = account
        self.stateStore = stateStore
        self.options = options
        self.preservesSourceUIDs = preservesSourceUIDs
        self.readAhead = readAhead
    }

    /// Before `current` is synced: unless it was announced, announce it and `upcoming`, the
    /// folders the worker takes after it (empty when it shares the account). A failure is the
    /// sessions', with `current` in the worker's hands.
    mutating func prepare(
        _ current: FolderMapping, upcoming: [FolderMapping], source: any MailboxReader, destination: any MailboxWriter
    ) async throws {
        // Only before the first folder of these sessions: no folder of the account has been
        // synced yet, by this worker or (it has the account to itself) another.
        let readAhead = self.readAhead
        self.readAhead = nil
        guard announced.remove(Array(current.source.name.name.utf8)) == nil else { return }
        announced = []
        known = [:]
        guard !upcoming.isEmpty else { return }
        try await announce([current] + upcoming, readAhead: readAhead, source: source, destination: destination)
    }

    private mutating func announce(
        _ mappings: [FolderMapping], readAhead: Handoff<StateReadAhead.Records>?, source: any MailboxReader, destination: any MailboxWriter
    ) async throws {
        let pairs = Dictionary(
            try await stateStore.folderPairs(account: account).map { ($0.sourceFolder, $0) }, uniquingKeysWith: { first, _ in first })
        var window: [(mapping: FolderMapping, pair: FolderPairRecord?)] = []
        var messages = 0
        for mapping in mappings.prefix(Self.maximumFolders) {
            let pair = pairs[mapping.source.name.name]
            if let below = FolderSync.sourceOpenRequest(pair: pair, options: options)?.flagsOnlyBelow {
                messages += Int(below.rawValue) - 1
            }
            if !window.isEmpty, messages > Self.maximumMessages { break }
            window.append((mapping, pair))
        }
        guard window.count > 1 else { return }
        let sourceOpens = window.map {
            PlannedOpen(folder: $0.mapping.source.name, expecting: FolderSync.sourceOpenRequest(pair: $0.pair, options: options))
        }
        // The destination folders FolderSync opens together with their source folders.
        let destinationFolders = window.compactMap { mapping, pair in
            pair.flatMap { FolderSync.opensBothAtOnce(mapping, pair: $0, preservesSourceUIDs: preservesSourceUIDs) ? mapping.destination : nil }
        }
        // Each session is used by one task; all three are awaited before any error is thrown,
        // the source's first.
        async let destinationSide = Result { try await destination.openAhead(destinationFolders.map { PlannedOpen(folder: $0) }) }
        let readsState = source.readsAhead
        async let stateSide = Result { [account, stateStore] in
            var ready = try await readAhead?.take() ?? [:]
            var read: [[UInt8]: FolderSync.KnownState] = [:]
            for (mapping, pair) in window {
                let key = Array(mapping.source.name.name.utf8)
                if let known = ready.removeValue(forKey: key) {
                    read[key] = FolderSync.KnownState(pair: pair, records: known.records)
                } else if readsState {
                    let records = try await stateStore.messages(account: account, sourceFolder: mapping.source.name.name)
                    read[key] = FolderSync.KnownState(pair: pair, records: records)
                }
            }
            return read
        }
        let sourceSide = await Result { try await source.openAhead(sourceOpens) }
        let destinationResult = await destinationSide
        let stateResult = await stateSide
        try sourceSide.get()
        try destinationResult.get()
        known = try stateResult.get()
        announced = Set(window.dropFirst().map { Array($0.mapping.source.name.name.utf8) })
    }

    /// The state read ahead for `mapping`'s folder, once; nil when it was not announced.
    mutating func takeKnownState(of mapping: FolderMapping) -> FolderSync.KnownState? {
        known.removeValue(forKey: Array(mapping.source.name.name.utf8))
    }
}
