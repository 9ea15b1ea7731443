import MailModel
import StateStore

/// The steps the driver carries out for the account as a whole: the plan, the count of what
/// it has to copy, and the subscriptions.
extension AccountSync {
    /// Map the account's folders without syncing anything.
    public func plan(source: any MailboxReader, destination: any MailboxWriter) async throws -> FolderPlan {
        try await listedPlan(source: source, destination: destination).plan
    }

    /// The plan, and the names (as bytes) of every selectable source folder its listing
    /// showed (a hierarchy level left behind is no folder that still holds the messages).
    func listedPlan(source: any MailboxReader, destination: any MailboxWriter) async throws -> (plan: FolderPlan, sourceFolders: Set<[UInt8]>) {
        // The two sides are asked at the same time (each session by one task); both answers
        // are awaited before either error is thrown, the source's first.
        async let destinationSide = Result { (try await destination.hierarchy(), try await destination.listFolders()) }
        let sourceSide = await Result { (try await source.hierarchy(), try await source.listFolders()) }
        let destinationResult = await destinationSide
        let (sourceHierarchy, listing) = try sourceSide.get()
        let (destinationHierarchy, destinationListing) = try destinationResult.get()
        let mapper = FolderMapper(sourceHierarchy: sourceHierarchy, destinationHierarchy: destinationHierarchy, rules: rules)
        let plan = mapper.plan(source: listing, destination: destinationListing)
        return (plan, Set(listing.filter(\.isSelectable).map { Array($0.name.name.utf8) }))
    }

    /// Messages left to copy: the source's counts minus what the last complete sync saw.
    func estimate(_ plan: FolderPlan) async throws -> Int? {
        let counts = plan.mappings.map(\.source.messageCount)
        guard counts.allSatisfy({ $0 != nil }) else { return nil }
        let seen = Dictionary(
            try await stateStore.folderPairs(account: account).map { ($0.sourceFolder, $0.sourceMessageCount) },
            uniquingKeysWith: { first, _ in first })
        return plan.mappings.reduce(0) { total, mapping in
            total + max(0, (mapping.source.messageCount ?? 0) - (seen[mapping.source.name.name] ?? 0))
        }
    }

    /// More session pairs pay off when there is mail to copy. A re-run where the source
    /// listing shows nothing new, or (when the listing has no counts, as on Courier) where
    /// every folder was synced before, works on the planning pair alone: that is the delta
    /// of a cutover, where another pair's TLS and LOGIN cost more than the folders' few
    /// round trips.
    func worthParallelWork(_ plan: FolderPlan, toCopy: Int?) async throws -> Bool {
        if let toCopy { return toCopy > 0 }
        let synced = Set(try await stateStore.folderPairs(account: account).map(\.sourceFolder))
        return !plan.mappings.allSatisfy { synced.contains($0.source.name.name) }
    }

    /// Subscribe on the destination to every mapped folder subscribed on the source. The
    /// machine asks for this once per run, only when the plan's listing showed a subscribed
    /// source folder not subscribed on the destination, and on a worker's open destination
    /// session when one is.
    func copySubscriptions(_ plan: FolderPlan, session: any MailboxWriter) async throws -> Int {
        let wanted = plan.mappings.filter(\.source.isSubscribed).map(\.destination)
        guard !wanted.isEmpty else { return 0 }
        let existing = try await session.subscriptions()
        let missing = wanted.filter { !existing.contains($0) }
        if !options.dryRun {
            for name in missing { try await session.subscribe(name) }
        }
        return missing.count
    }
}
