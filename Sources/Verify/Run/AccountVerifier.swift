import MailModel
import StateStore
import SyncEngine

/// Verifies one account: maps its folders exactly as sync does, reads a manifest of every
/// folder pair on both sides at once (bodies streamed through SHA-256), compares them and
/// checks subscriptions. Read-only: it opens folders but never changes a message or a flag.
public struct AccountVerifier: Sendable {
    public let account: String
    public let source: any SourceStore
    public let destination: any DestinationStore
    /// The sync state, if there is one: fingerprints of unchanged messages are reused from it.
    public let store: (any SyncStateStore)?
    public let rules: MappingRules
    public let options: VerifyOptions
    /// Where each side's session and its reading run: the source's first, the destination's
    /// second (empty: the default executor). The IMAP stores pass one per event loop: a
    /// connection is made on the loop its task runs on, and a task reading a body stream on
    /// its connection's loop hashes each chunk where it arrived, instead of a thread of the
    /// concurrency pool being woken for every chunk of both sides.
    public let executors: [any TaskExecutor]

    public init(
        account: String, source: any SourceStore, destination: any DestinationStore, store: (any SyncStateStore)?,
        rules: MappingRules = MappingRules(), options: VerifyOptions = VerifyOptions(), executors: [any TaskExecutor] = []
    ) {
        self.account = account
        self.source = source
        self.destination = destination
        self.store = store
        self.rules = rules
        self.options = options
        self.executors = executors
    }

    private var sourceExecutor: (any TaskExecutor)? { executors.preferred(for: 0) }
    private var destinationExecutor: (any TaskExecutor)? { executors.preferred(for: 1) }

    public func run() async -> AccountVerification {
        let started = ContinuousClock.now
        var result = AccountVerification(account: account, source: source.displayName, destination: destination.displayName)
        // A dropped connection is retried (from the start: verify keeps nothing half-done).
        for attempt in 1...options.maxAttempts {
            result = AccountVerification(account: account, source: source.displayName, destination: destination.displayName)
            do {
                try await withTaskExecutorPreference(sourceExecutor) {
                    try await source.withSession { sourceSession in
                        try await withTaskExecutorPreference(destinationExecutor) {
                            try await destination.withSession { destinationSession in
                                try await verify(sourceSession, destinationSession, into: &result)
                            }
                        }
                    }
                }
                break
            } catch let error as StoreError {
                result.error = error.message
                result.errorKind = error.kind
                guard error.isRetryable, attempt < options.maxAttempts else { break }
                try? await Task.sleep(for: options.retryPause * attempt)
            } catch {
                result.error = String(describing: error)
                break
            }
        }
        let elapsed = ContinuousClock.now - started
        result.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return result
    }

    private func verify(_ sourceSession: any MailboxReader, _ destinationSession: any MailboxWriter, into result: inout AccountVerification) async throws {
        let mapper = FolderMapper(
            sourceHierarchy: try await sourceSession.hierarchy(), destinationHierarchy: try await destinationSession.hierarchy(),
            rules: rules)
        let destinationListing = try await destinationSession.listFolders()
        let plan = mapper.plan(source: try await sourceSession.listFolders(), destination: destinationListing)
        for problem in plan.problems {
            result.accountDiscrepancies.append(Discrepancy(kind: .folderMissing, source: nil, destination: nil, detail: problem.description))
        }
        var opened: [String: FolderStatus] = [:]
        for mapping in plan.mappings {
            result.folders.append(try await verifyFolder(mapping, sourceSession, destinationSession, opened: &opened))
        }
        if options.markDestinationFolders {
            // Verify only reads, so a folder's status from its comparison is still current.
            result.destinationMarks = try await FolderMark.marks(destinationSession, listing: destinationListing, opened: opened)
        }
        if options.checkSubscriptions {
            let subscribed = try await destinationSession.subscriptions()
            for mapping in plan.mappings where mapping.destinationExists {
                let onDestination = subscribed.contains(mapping.destination)
                guard mapping.source.isSubscribed != onDestination else { continue }
                result.accountDiscrepancies.append(Discrepancy(
                    kind: .subscriptionDiffers, source: .init(folder: mapping.source.name.name, entry: nil),
                    destination: .init(folder: mapping.destination.name, entry: nil),
                    detail: mapping.source.isSubscribed ? "subscribed on the source only" : "subscribed on the destination only"))
            }
        }
    }

    private func verifyFolder(
        _ mapping: FolderMapping, _ sourceSession: any MailboxReader, _ destinationSession: any MailboxWriter,
        opened: inout [String: FolderStatus]
    ) async throws -> FolderVerification {
        var folder = FolderVerification(sourceFolder: mapping.source.name.name, destinationFolder: mapping.destination.name)
        do {
            // Both folders are opened and the state read at once: one round trip per folder
            // instead of two, which on a distant server is most of a small folder's time.
            // Each side's outcome is awaited before any error is thrown (the source's first),
            // so no session is left in the middle of a command for the next folder.
            async let destinationOpened = mapping.destinationExists
                ? Result { try await destinationSession.open(mapping.destination) } : nil
            async let recordsRead = Result { [account, store] in
                try await store?.messages(account: account, sourceFolder: mapping.source.name.name) ?? []
            }
            let sourceOpened = await withTaskExecutorPreference(sourceExecutor) {
                await Result { try await sourceSession.open(mapping.source.name) }
            }
            let destinationResult = await destinationOpened
            let records = await recordsRead
            let sourceStatus = try sourceOpened.get()
            folder.sourceMessages = sourceStatus.messageCount
            guard let destinationResult else {
                folder.discrepancies.append(Discrepancy(
                    kind: .folderMissing, source: .init(folder: mapping.source.name.name, entry: nil),
                    destination: .init(folder: mapping.destination.name, entry: nil),
                    detail: "the destination has no folder \"\(mapping.destination.name)\" (\(sourceStatus.messageCount) messages on the source)"))
                return folder
            }
            let destinationStatus = try destinationResult.get()
            opened[mapping.destination.name] = destinationStatus
            let known = Self.known(
                in: try records.get(), mapping, sourceValidity: sourceStatus.uidValidity, destinationValidity: destinationStatus.uidValidity)
            let sourceBuilder = ManifestBuilder(reader: sourceSession)
            let destinationBuilder = ManifestBuilder(reader: destinationSession)
            async let sourceManifest = withTaskExecutorPreference(sourceExecutor) {
                try await sourceBuilder.build(folder: mapping.source.name.name, status: sourceStatus, known: known.source, deep: options.deep)
            }
            var destinationManifest = try await destinationBuilder.build(
                folder: mapping.destination.name, status: destinationStatus, known: known.destination, deep: options.deep)
            var sourceSide = try await sourceManifest
            folder.destinationMessages = destinationManifest.entries.count
            folder.fingerprintsFromState = sourceSide.fromState + destinationManifest.fromState

            var comparison = FolderComparator(expectSameUIDs: options.expectSameUIDs)
                .compare(source: sourceSide, destination: destinationManifest, recordedCopies: known.copies)
            // Name what differs: entries from the state carry no Message-ID or Subject yet.
            let unnamedSource = Self.unnamed(comparison.discrepancies.compactMap { $0.source?.uid }, in: sourceSide)
            let unnamedDestination = Self.unnamed(comparison.discrepancies.compactMap { $0.destination?.uid }, in: destinationManifest)
            if !unnamedSource.isEmpty || !unnamedDestination.isEmpty {
                try await sourceBuilder.describe(unnamedSource.compactMap(UID.init), in: &sourceSide)
                try await destinationBuilder.describe(unnamedDestination.compactMap(UID.init), in: &destinationManifest)
                comparison = FolderComparator(expectSameUIDs: options.expectSameUIDs)
                    .compare(source: sourceSide, destination: destinationManifest, recordedCopies: known.copies)
            }
            folder.matched = comparison.matched
            folder.discrepancies = comparison.discrepancies
        } catch let error as StoreError where error.kind == .folder {
            folder.error = error.message
        }
        return folder
    }

    /// UIDs among `uids` whose entries have neither Message-ID nor Subject yet.
    private static func unnamed(_ uids: [UInt32], in manifest: FolderManifest) -> [UInt32] {
        let bare = Set(manifest.entries.filter { $0.messageID == nil && $0.subject == nil }.map(\.uid))
        return uids.filter { bare.contains($0) }
    }

    private struct Known {
        var source: [UID: KnownMessage] = [:]
        var destination: [UID: KnownMessage] = [:]
        var copies: [UInt32: UInt32] = [:]
    }

    /// The fingerprints the sync state knows for the folder pair, from its `records`.
    private static func known(in records: [MessageRecord], _ mapping: FolderMapping, sourceValidity: UIDValidity, destinationValidity: UIDValidity) -> Known {
        var known = Known()
        for record in records where record.state == .copied || record.state == .matched {
            let message = KnownMessage(fingerprint: record.fingerprint, size: record.size)
            let sourceCurrent = record.sourceUIDValidity == sourceValidity
            if sourceCurrent { known.source[record.sourceUID] = message }
            if record.destinationFolder == mapping.destination.name, record.destinationUIDValidity == destinationValidity,
                let destinationUID = record.destinationUID
            {
                known.destination[destinationUID] = message
                if sourceCurrent { known.copies[record.sourceUID.rawValue] = destinationUID.rawValue }
            }
        }
        return known
    }
}
