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

    public init(
        account: String, source: any SourceStore, destination: any DestinationStore, store: any SyncStateStore,
        rules: MappingRules = MappingRules(), options: SyncOptions = SyncOptions(), observer: any SyncObserver = SilentObserver(),
        rateLimiter: ByteRateLimiter? = nil, pause: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
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
    }

    /// Map the account's folders without syncing anything.
    public func plan(source: any MailboxReader, destination: any MailboxWriter) async throws -> FolderPlan {
        let mapper = FolderMapper(
            sourceHierarchy: try await source.hierarchy(), destinationHierarchy: try await destination.hierarchy(), rules: rules)
        return mapper.plan(source: try await source.listFolders(), destination: try await destination.listFolders())
    }

    /// Run the account to the end; errors become part of the report, never thrown.
    public func run() async -> AccountReport {
        let started = ContinuousClock.now
        var report = AccountReport(account: account, source: source.displayName, destination: destination.displayName)
        report.dryRun = options.dryRun
        do {
            try await source.withSession { sourceSession in
                try await destination.withSession { destinationSession in
                    let plan = try await self.plan(source: sourceSession, destination: destinationSession)
                    report.problems = plan.problems.map(\.description)
                    guard plan.problems.isEmpty else { return }
                    observer.handle(.accountPlanned(
                        account: account, folders: plan.mappings.count, messagesToCopy: try await estimate(plan)))
                    let queue = FolderQueue(plan.mappings, maxAttempts: options.maxAttempts)
                    await withTaskGroup(of: Void.self) { group in
                        for _ in 1..<max(1, options.foldersInParallel) {
                            group.addTask { await self.work(queue, sessions: nil) }
                        }
                        await self.work(queue, sessions: (sourceSession, destinationSession))
                    }
                    report.folders = await queue.reports.sorted { $0.sourceFolder < $1.sourceFolder }
                    if let abortError = await queue.abortError { throw abortError }
                    report.subscriptionsAdded = try await copySubscriptions(plan, preferred: destinationSession)
                }
            }
        } catch let error as StoreError {
            report.error = error.message
            report.errorKind = error.kind
        } catch {
            report.error = String(describing: error)
        }
        report.seconds = (ContinuousClock.now - started).seconds
        observer.handle(.accountFinished(report: report))
        return report
    }

    /// One worker: takes folders from the queue until it is empty. Starts with the given
    /// sessions if any; after a connection failure it pauses, opens new ones and goes on.
    private func work(_ queue: FolderQueue, sessions: (any MailboxReader, any MailboxWriter)?) async {
        var sessions = sessions
        var failures = 0
        var job = await queue.next()
        while let current = job {
            do {
                if let (sourceSession, destinationSession) = sessions {
                    job = try await drain(queue, from: current, source: sourceSession, destination: destinationSession)
                } else {
                    job = try await source.withSession { sourceSession in
                        try await destination.withSession { destinationSession in
                            try await drain(queue, from: current, source: sourceSession, destination: destinationSession)
                        }
                    }
                }
            } catch let failure as WorkerFailure {
                sessions = nil
                let error = failure.error
                if let storeError = error as? StoreError, storeError.isRetryable {
                    failures += 1
                    if let attempt = await queue.retry(failure.mapping, error: error) {
                        observer.handle(.retrying(account: account, folder: failure.mapping.source.name.name, attempt: attempt, reason: storeError.message))
                        let backoff = min(options.initialBackoff * (1 << min(failures - 1, 16)), options.maxBackoff)
                        try? await pause(backoff)
                    }
                } else {
                    await queue.abort(error)
                }
                job = await queue.next()
            } catch {
                // Opening a session failed before any folder was taken on.
                sessions = nil
                if let storeError = error as? StoreError, storeError.isRetryable, let attempt = await queue.retry(current, error: error) {
                    failures += 1
                    observer.handle(.retrying(account: account, folder: current.source.name.name, attempt: attempt, reason: storeError.message))
                    try? await pause(min(options.initialBackoff * (1 << min(failures - 1, 16)), options.maxBackoff))
                } else if !((error as? StoreError)?.isRetryable ?? false) {
                    await queue.abort(error)
                }
                job = await queue.next()
            }
        }
    }

    /// Sync folders on one session pair, starting with `first`, until the queue is empty
    /// (returns `nil`). A folder-level failure is recorded and the next folder taken; a
    /// session-level failure is thrown as ``WorkerFailure`` naming the folder in progress.
    private func drain(
        _ queue: FolderQueue, from first: FolderMapping, source sourceSession: any MailboxReader,
        destination destinationSession: any MailboxWriter
    ) async throws -> FolderMapping? {
        var job: FolderMapping? = first
        while let current = job {
            let folder = FolderSync(
                account: account, mapping: current, source: sourceSession, destination: destinationSession, store: store,
                options: options, observer: observer, preservesSourceUIDs: destination.preservesSourceUIDs, rateLimiter: rateLimiter)
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
            job = await queue.next()
        }
        return nil
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

    /// Subscribe on the destination to every mapped folder subscribed on the source.
    private func copySubscriptions(_ plan: FolderPlan, preferred: any MailboxWriter) async throws -> Int {
        let wanted = plan.mappings.filter(\.source.isSubscribed).map(\.destination)
        guard !wanted.isEmpty else { return 0 }
        func apply(_ session: any MailboxWriter) async throws -> Int {
            let existing = try await session.subscriptions()
            let missing = wanted.filter { !existing.contains($0) }
            if !options.dryRun {
                for name in missing { try await session.subscribe(name) }
            }
            return missing.count
        }
        do {
            return try await apply(preferred)
        } catch let error as StoreError where error.isRetryable {
            return try await destination.withSession { try await apply($0) }
        }
    }
}

/// A session failed while a folder was in progress.
struct WorkerFailure: Error {
    var mapping: FolderMapping
    var error: any Error
}
