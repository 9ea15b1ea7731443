import MailModel
import StateStore

/// Syncs one account: maps its folders, then works through them with up to
/// ``SyncOptions/foldersInParallel`` session pairs, retrying a folder with backoff when a
/// connection drops (the state makes every retry a resume), and finally copies
/// subscriptions.
public struct AccountSync: Sendable {
    public let account: String
    public let source: any SourceStore
    public let destination: any DestinationStore
    public let store: any SyncStateStore
    public let rules: MappingRules
    public let options: SyncOptions
    public let observer: any SyncObserver
    public let rateLimiter: ByteRateLimiter?
    /// How a retry waits (injected so tests do not sleep).
    public let pause: @Sendable (Duration) async throws -> Void
    /// Where the folder workers run, one after another (empty: the default executor). The
    /// IMAP stores pass one per event loop: a worker whose connections live on the loop it
    /// runs on resumes without a thread switch per response.
    public let workerExecutors: [any TaskExecutor]

    public init(
        account: String, source: any SourceStore, destination: any DestinationStore, store: any SyncStateStore,
        rules: MappingRules = MappingRules(), options: SyncOptions = SyncOptions(), observer: any SyncObserver = SilentObserver(),
        rateLimiter: ByteRateLimiter? = nil, pause: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        workerExecutors: [any TaskExecutor] = []
    ) {
        self.account = account
        self.source = source
        self.destination = destination
        self.store = store
        self.rules = rules
        self.options = options
        self.observer = observer
        self.rateLimiter = rateLimiter
        self.pause = pause
        self.workerExecutors = workerExecutors
    }

    /// The executor of worker `index`, if any.
    private func executor(forWorker index: Int) -> (any TaskExecutor)? {
        workerExecutors.isEmpty ? nil : workerExecutors[index % workerExecutors.count]
    }

    /// Map the account's folders without syncing anything.
    public func plan(source: any MailboxReader, destination: any MailboxWriter) async throws -> FolderPlan {
        try await listedPlan(source: source, destination: destination).plan
    }

    /// The plan, and the names (as bytes) of every selectable source folder its listing
    /// showed (a hierarchy level left behind is no folder that still holds the messages).
    private func listedPlan(source: any MailboxReader, destination: any MailboxWriter) async throws -> (plan: FolderPlan, sourceFolders: Set<[UInt8]>) {
        // The two sides are asked at the same time (each session by one task); both answers
        // are awaited before either error is thrown, the source's first.
        async let destinationSide = Self.outcome { (try await destination.hierarchy(), try await destination.listFolders()) }
        let sourceSide = await Self.outcome { (try await source.hierarchy(), try await source.listFolders()) }
        let destinationResult = await destinationSide
        let (sourceHierarchy, listing) = try sourceSide.get()
        let (destinationHierarchy, destinationListing) = try destinationResult.get()
        let mapper = FolderMapper(sourceHierarchy: sourceHierarchy, destinationHierarchy: destinationHierarchy, rules: rules)
        let plan = mapper.plan(source: listing, destination: destinationListing)
        return (plan, Set(listing.filter(\.isSelectable).map { Array($0.name.name.utf8) }))
    }

    private static func outcome<Value>(_ body: () async throws -> Value) async -> Result<Value, any Error> {
        do {
            return .success(try await body())
        } catch {
            return .failure(error)
        }
    }

    /// Run the account to the end; errors become part of the report, never thrown.
    ///
    /// No worker ever waits for another while it holds connections: with a connection limit
    /// shared by many accounts, that would deadlock. The first worker plans, publishes the
    /// folders and works; the others wait for the plan without a connection, then open their
    /// own sessions.
    public func run() async -> AccountReport {
        let started = ContinuousClock.now
        var report = AccountReport(account: account, source: source.displayName, destination: destination.displayName)
        report.dryRun = options.dryRun
        // The records belong to one destination: pointed at another one, they are dropped
        // (and the summary says so) rather than taken as proof of copies that are not there.
        if !options.dryRun {
            do {
                report.previousDestination = try await store.bindDestination(account: account, identity: destination.displayName)
            } catch {
                report.error = "the state directory cannot be written: \(error)"
                report.seconds = (ContinuousClock.now - started).seconds
                observer.handle(.accountFinished(report: report))
                return report
            }
        }
        let queue = FolderQueue(maxAttempts: options.maxAttempts)
        let extraWorkers = max(1, options.foldersInParallel) - 1
        let outcome = await withTaskGroup(of: PlanOutcome?.self) { group in
            for worker in 0..<extraWorkers {
                group.addTask(executorPreference: executor(forWorker: worker + 1)) {
                    guard await queue.waitForPlan(), await queue.wantsHelp, await queue.hasPending else { return nil }
                    await self.work(queue, sessions: nil)
                    return nil
                }
            }
            group.addTask(executorPreference: executor(forWorker: 0)) {
                await self.planAndWork(queue, copySubscriptionsInline: extraWorkers == 0)
            }
            var outcome = PlanOutcome()
            for await result in group { if let result { outcome = result } }
            return outcome
        }
        report.problems = outcome.problems
        report.skippedFolders = outcome.plan?.skipped.map { SkippedFolder(folder: $0.folder, reason: $0.reason) } ?? []
        report.folders = (await queue.reports + outcome.refusedFolders).sorted { $0.sourceFolder < $1.sourceFolder }
        var failure = outcome.error
        if failure == nil, let abortError = await queue.abortError { failure = abortError }
        if failure == nil, outcome.problems.isEmpty, let plan = outcome.plan {
            do {
                if let added = outcome.subscriptionsAdded {
                    report.subscriptionsAdded = added
                } else {
                    report.subscriptionsAdded = try await copySubscriptions(plan, session: nil)
                }
            } catch {
                failure = error
            }
        }
        if let storeError = failure as? StoreError {
            report.error = storeError.message
            report.errorKind = storeError.kind
        } else if let failure {
            report.error = String(describing: failure)
        }
        report.seconds = (ContinuousClock.now - started).seconds
        observer.handle(.accountFinished(report: report))
        return report
    }

    /// What the planning worker found.
    private struct PlanOutcome: Sendable {
        var plan: FolderPlan?
        var problems: [String] = []
        var error: (any Error)?
        /// Set when subscriptions were already copied on the planning session.
        var subscriptionsAdded: Int?
        /// Folders the plan refused one by one (a collision, a name the destination cannot hold).
        var refusedFolders: [FolderReport] = []
    }

    /// Splits the plan's problems: a problem of one or a few folders refuses those folders
    /// (reported as failed, with the reason) and the rest of the account goes on; a problem
    /// of the whole plan (a malformed rule) refuses the account.
    static func refuseFolders(of plan: FolderPlan) -> (plan: FolderPlan, refused: [FolderReport], problems: [MappingProblem]) {
        var refused: [FolderReport] = []
        var accountProblems: [MappingProblem] = []
        var refusedSources: Set<[UInt8]> = []  // bytes: NFC and NFD spellings are two folders
        for problem in plan.problems {
            switch problem {
            case .collision(let sources, let destination):
                for source in sources where !refusedSources.contains(Array(source.utf8)) {
                    refusedSources.insert(Array(source.utf8))
                    var report = FolderReport(sourceFolder: source, destinationFolder: destination)
                    report.error = problem.description
                    refused.append(report)
                }
            case .unrepresentable(let source, _):
                refusedSources.insert(Array(source.utf8))
                var report = FolderReport(sourceFolder: source, destinationFolder: "")
                report.error = problem.description
                refused.append(report)
            case .invalidRule:
                accountProblems.append(problem)
            }
        }
        var kept = plan
        kept.mappings.removeAll { refusedSources.contains(Array($0.source.name.name.utf8)) }
        kept.problems = accountProblems
        return (kept, refused, accountProblems)
    }

    /// The first worker: open sessions, map the folders, publish them, work through them.
    private func planAndWork(_ queue: FolderQueue, copySubscriptionsInline: Bool) async -> PlanOutcome {
        var outcome = PlanOutcome()
        do {
            try await SessionPair.open(source: source, destination: destination) { sourceSession, destinationSession in
                let listed = try await self.listedPlan(source: sourceSession, destination: destinationSession)
                let split = Self.refuseFolders(of: listed.plan)
                let plan = split.plan
                outcome.plan = plan
                outcome.problems = split.problems.map(\.description)
                outcome.refusedFolders = split.refused
                guard plan.problems.isEmpty else {
                    await queue.cancelPlan()
                    return
                }
                let toCopy = try await estimate(plan)
                observer.handle(.accountPlanned(account: account, folders: plan.mappings.count, messagesToCopy: toCopy))
                await queue.publish(
                    plan.mappings, wantsHelp: try await worthParallelWork(plan, toCopy: toCopy), listedSourceFolders: listed.sourceFolders)
                let finished = await self.work(queue, sessions: (sourceSession, destinationSession))
                if copySubscriptionsInline, finished, await queue.abortError == nil {
                    outcome.subscriptionsAdded = try await copySubscriptions(plan, session: destinationSession)
                }
            }
        } catch {
            outcome.error = error
        }
        await queue.cancelPlan()  // no effect once published; releases waiting workers otherwise
        if outcome.plan == nil, outcome.error != nil { await queue.abort(outcome.error!) }
        return outcome
    }

    /// One worker: takes folders from the queue until it is empty. Starts with the given
    /// sessions if any; after a connection failure it pauses, opens new ones and goes on.
    /// Returns true if it ended on the sessions it was given (they are still usable).
    @discardableResult
    private func work(_ queue: FolderQueue, sessions: (any MailboxReader, any MailboxWriter)?) async -> Bool {
        var sessions = sessions
        var recovery = WorkerRecovery(options: options)
        while await queue.hasPending {
            do {
                if let (sourceSession, destinationSession) = sessions {
                    try await drain(queue, source: sourceSession, destination: destinationSession)
                    return true
                }
                try await SessionPair.open(source: source, destination: destination) { sourceSession, destinationSession in
                    try await drain(queue, source: sourceSession, destination: destinationSession)
                }
                return false
            } catch {
                sessions = nil
                switch recovery.sessionsFailed(error) {
                case .abort(let error):
                    await queue.abort(error)
                    return false
                case .retryFolder(let mapping, let error, let backoff):
                    // A folder out of attempts is reported failed; the next one starts at once.
                    guard let attempt = await queue.retry(mapping, error: error) else { continue }
                    observer.handle(.retrying(account: account, folder: mapping.source.name.name, attempt: attempt, reason: error.message))
                    try? await pause(backoff)
                case .reconnect(let backoff):
                    try? await pause(backoff)
                }
            }
        }
        return sessions != nil
    }

    /// Sync folders on one session pair until the queue is empty. A folder-level failure is
    /// recorded and the next folder taken; a session-level failure is thrown as
    /// ``WorkerFailure`` naming the folder in progress.
    private func drain(_ queue: FolderQueue, source sourceSession: any MailboxReader, destination destinationSession: any MailboxWriter) async throws {
        let listed = await queue.listedSourceFolders
        var ahead = OpenAhead(account: account, store: store, options: options, preservesSourceUIDs: destination.preservesSourceUIDs)
        while let current = await queue.next() {
            try await ahead.prepare(current, queue: queue, source: sourceSession, destination: destinationSession)
            let folder = FolderSync(
                account: account, mapping: current, source: sourceSession, destination: destinationSession, store: store,
                options: options, observer: observer, preservesSourceUIDs: destination.preservesSourceUIDs, rateLimiter: rateLimiter,
                listedSourceFolders: listed)
            do {
                let report = try await folder.run()
                observer.handle(.folderFinished(account: account, report: report))
                await queue.finished(report)
            } catch let error as StoreError where error.kind == .folder || error.kind == .other {
                await queue.failed(current, error: error)
            } catch let error as StagingError {
                await queue.failed(current, error: error)
            } catch {
                throw WorkerFailure(mapping: current, error: error)
            }
        }
    }

    /// Messages left to copy: the source's counts minus what the last complete sync saw.
    private func estimate(_ plan: FolderPlan) async throws -> Int? {
        let counts = plan.mappings.map(\.source.messageCount)
        guard counts.allSatisfy({ $0 != nil }) else { return nil }
        let seen = Dictionary(
            try await store.folderPairs(account: account).map { ($0.sourceFolder, $0.sourceMessageCount) },
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
    private func worthParallelWork(_ plan: FolderPlan, toCopy: Int?) async throws -> Bool {
        if let toCopy { return toCopy > 0 }
        let synced = Set(try await store.folderPairs(account: account).map(\.sourceFolder))
        return !plan.mappings.allSatisfy { synced.contains($0.source.name.name) }
    }

    /// Subscribe on the destination to every mapped folder subscribed on the source: the one
    /// path for subscriptions, on the planning worker's destination session when it is still
    /// open (`session`), else on a new one. When the plan's listing showed every such folder
    /// subscribed already, nothing is asked and no session opened.
    private func copySubscriptions(_ plan: FolderPlan, session: (any MailboxWriter)?) async throws -> Int {
        guard plan.mappings.contains(where: { $0.source.isSubscribed && !$0.destinationSubscribed }) else { return 0 }
        guard let session else {
            return try await destination.withSession { (session: any MailboxWriter) in try await self.copySubscriptions(plan, session: session) }
        }
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

/// A session failed while a folder was in progress.
struct WorkerFailure: Error {
    var mapping: FolderMapping
    var error: any Error
}
