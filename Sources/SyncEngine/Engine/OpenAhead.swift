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
/// queue nothing is announced: they would take announced folders away.
struct OpenAhead {
    static let maximumFolders = 100
    static let maximumMessages = 20_000

    let account: String
    let store: any SyncStateStore
    let options: SyncOptions
    let preservesSourceUIDs: Bool
    /// Source folders (bytes of their names) announced and not yet reached.
    private var announced: Set<[UInt8]> = []

    init(account: String, store: any SyncStateStore, options: SyncOptions, preservesSourceUIDs: Bool) {
        self.account = account
        self.store = store
        self.options = options
        self.preservesSourceUIDs = preservesSourceUIDs
    }

    /// Before `current` (just taken from `queue`) is synced: unless it was announced, announce
    /// it and the folders after it. A failure is the session's, with `current` in progress.
    mutating func prepare(
        _ current: FolderMapping, queue: FolderQueue, source: any MailboxReader, destination: any MailboxWriter
    ) async throws {
        guard announced.remove(Array(current.source.name.name.utf8)) == nil else { return }
        announced = []
        if options.foldersInParallel > 1, await queue.wantsHelp { return }
        do {
            try await announce([current] + (await queue.upcoming), source: source, destination: destination)
        } catch {
            throw WorkerFailure(mapping: current, error: error)
        }
    }

    private mutating func announce(_ mappings: [FolderMapping], source: any MailboxReader, destination: any MailboxWriter) async throws {
        let pairs = Dictionary(
            try await store.folderPairs(account: account).map { ($0.sourceFolder, $0) }, uniquingKeysWith: { first, _ in first })
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
        // Each session is used by one task; both are awaited before either error is thrown,
        // the source's first.
        async let destinationSide = FolderSync.outcome { try await destination.openAhead(destinationFolders.map { PlannedOpen(folder: $0) }) }
        let sourceSide = await FolderSync.outcome { try await source.openAhead(sourceOpens) }
        let destinationResult = await destinationSide
        try sourceSide.get()
        try destinationResult.get()
        announced = Set(window.dropFirst().map { Array($0.mapping.source.name.name.utf8) })
    }
}
