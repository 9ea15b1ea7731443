import BlockingIO
import IMAPClient
import StateStore
import SyncEngine
import Verify

extension MigrationSetup {
    /// Descriptors a sync keeps for everything but the source files its batches hold.
    static let descriptorsBesidesFiles = 256

    /// Both servers' connection limits, shared by every account of one run: `--max-connections-per-server`
    /// counts across accounts, not per account.
    private func limitedJobs() -> [AccountJob] {
        let sourceLimiter = ConnectionLimiter(limit: connectionsPerServer)
        let destinationLimiter = ConnectionLimiter(limit: connectionsPerServer)
        return jobs.map { job in
            AccountJob(
                name: job.name, source: LimitedSourceStore(job.source, limiter: sourceLimiter),
                destination: LimitedDestinationStore(job.destination, limiter: destinationLimiter))
        }
    }

    /// Syncs every account, `parallelAccounts` at a time, each on its own share of the event
    /// loops. Progress goes to `observer` as values; the reports come back in the accounts' order.
    public func sync(
        store: any SyncStateStore, rules: MappingRules, options: SyncOptions, observer: any SyncObserver, rateLimiter: ByteRateLimiter?
    ) async -> [AccountReport] {
        let executors = EventLoopTaskExecutor.forEachLoop()
        // Each account's share of the descriptors, after what the run needs besides the files
        // it holds (connections, the state database, logs, the event loops').
        let descriptors = DescriptorLimit.raiseToHardLimit()
        let budget = max(16, (descriptors - Self.descriptorsBesidesFiles) / max(1, parallelAccounts))
        return await AccountRunner(parallel: parallelAccounts).run(limitedJobs()) { index, job in
            await AccountSync(
                account: job.name, source: job.source, destination: job.destination, stateStore: store, rules: rules,
                options: job.syncOptions(options, descriptorBudget: budget), observer: observer, rateLimiter: rateLimiter,
                workerExecutors: WorkerExecutors.forAccount(index, of: executors, workersPerAccount: options.foldersInParallel)
            ).run()
        }
    }

    /// Verifies every account, `parallelAccounts` at a time, each account's two sessions on
    /// event loops of their own where there are two; `finished` hears of each account as it
    /// ends (for progress), the results come back in the accounts' order.
    public func verify(
        store: (any SyncStateStore)?, rules: MappingRules, options: VerifyOptions,
        finished: @escaping @Sendable (AccountVerification) -> Void = { _ in }
    ) async -> [AccountVerification] {
        let executors = EventLoopTaskExecutor.forEachLoop()
        return await AccountRunner(parallel: parallelAccounts).run(limitedJobs()) { index, job in
            let result = await AccountVerifier(
                account: job.name, source: job.source, destination: job.destination, store: store, rules: rules, options: options,
                executors: WorkerExecutors.forAccount(index, of: executors, workersPerAccount: 2)
            ).run()
            finished(result)
            return result
        }
    }
}
