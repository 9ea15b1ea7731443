import MailModel
import StateStore

/// Syncs one account: maps its folders, then works through them with up to
/// ``SyncOptions/foldersInParallel`` session pairs, retrying a folder with backoff when a
/// connection drops (the state makes every retry a resume), and finally copies
/// subscriptions.
///
/// Every decision is ``AccountMachine``'s; this is its driver: a loop per worker that
/// carries out the machine's actions on sessions, the state store and the clock, and feeds
/// back what happened.
public struct AccountSync: Sendable {
    public let account: String
    public let source: any SourceStore
    public let destination: any DestinationStore
    /// The sync state: what earlier runs copied, and which destination it belongs to.
    public let stateStore: any SyncStateStore
    public let rules: MappingRules
    public let options: SyncOptions
    public let observer: any SyncObserver
    public let rateLimiter: ByteRateLimiter?
    /// The time of backoffs and of the report (injected so tests do not sleep).
    public let clock: any Clock<Duration>
    /// Where the folder workers run, one after another (empty: the default executor). The
    /// IMAP stores pass one per event loop: a worker whose connections live on the loop it
    /// runs on resumes without a thread switch per response.
    public let workerExecutors: [any TaskExecutor]

    public init(
        account: String, source: any SourceStore, destination: any DestinationStore, stateStore: any SyncStateStore,
        rules: MappingRules = MappingRules(), options: SyncOptions = SyncOptions(), observer: any SyncObserver = SilentObserver(),
        rateLimiter: ByteRateLimiter? = nil, clock: any Clock<Duration> = ContinuousClock(), workerExecutors: [any TaskExecutor] = []
    ) {
        self.account = account
        self.source = source
        self.destination = destination
        self.stateStore = stateStore
        self.rules = rules
        self.options = options
        self.observer = observer
        self.rateLimiter = rateLimiter
        self.clock = clock
        self.workerExecutors = workerExecutors
    }

    /// Run the account to the end; errors become part of the report, never thrown.
    public func run() async -> AccountReport {
        await run(on: clock)
    }

    private func run<C: Clock<Duration>>(on clock: C) async -> AccountReport {
        let started = clock.now
        let workers = max(1, options.foldersInParallel)
        let machine = SharedAccountMachine(AccountMachine<C.Instant>(options: options, workers: workers))
        let outcome = await withTaskGroup(of: AccountMachine<C.Instant>.Outcome?.self) { group in
            for worker in 0..<workers {
                group.addTask(executorPreference: workerExecutors.preferred(for: worker)) {
                    let first = worker == 0 ? await machine.send(.started, from: worker) : await machine.next(for: worker)
                    return await self.work(worker, from: first, machine: machine, clock: clock)
                }
            }
            var outcome: AccountMachine<C.Instant>.Outcome?
            for await result in group { if let result { outcome = result } }
            return outcome ?? AccountMachine<C.Instant>.Outcome()
        }
        var report = AccountReport(account: account, source: source.displayName, destination: destination.displayName)
        report.dryRun = options.dryRun
        report.previousDestination = outcome.previousDestination
        report.problems = outcome.problems
        report.skippedFolders = outcome.skippedFolders
        report.folders = outcome.folders
        report.subscriptionsAdded = outcome.subscriptionsAdded
        if let storeError = outcome.error as? StoreError {
            report.error = storeError.message
            report.errorKind = storeError.kind
        } else if let failure = outcome.error {
            report.error = String(describing: failure)
        }
        report.seconds = started.duration(to: clock.now).seconds
        observer.handle(.accountFinished(report: report))
        return report
    }

    /// One worker: carries out its actions until the machine stops it. Returns the outcome
    /// if it was the last worker.
    private func work<C: Clock<Duration>>(
        _ worker: Int, from first: AccountMachine<C.Instant>.Action, machine: SharedAccountMachine<C.Instant>, clock: C
    ) async -> AccountMachine<C.Instant>.Outcome? {
        var action = first
        // The state is read ahead on the account's first sessions only: later ones (a retry,
        // a helper) come after folders were synced, and read what they need themselves.
        var firstSessions = worker == 0
        while true {
            switch action {
            case .finish(let outcome):
                return outcome
            case .stop:
                return nil
            case .bindDestination:
                do {
                    let previous = try await stateStore.bindDestination(account: account, identity: destination.displayName)
                    action = await machine.send(.bound(previousDestination: previous), from: worker)
                } catch {
                    action = await machine.send(.failed(worker, error, now: clock.now), from: worker)
                }
            case .openSessions:
                do {
                    // Actions on the sessions are carried out inside their scope; the first
                    // that needs none closes them.
                    let readsAhead = firstSessions
                    firstSessions = false
                    action = try await StateReadAhead.during(account: account, stateStore: stateStore, enabled: readsAhead) { records in
                        try await SessionPair.open(source: source, destination: destination) { sourceSession, destinationSession in
                            await useSessions(
                                sourceSession, destinationSession, readAhead: records, by: worker, machine: machine, clock: clock)
                        }
                    }
                } catch {
                    action = await machine.send(.failed(worker, error, now: clock.now), from: worker)
                }
            case .backOff(let until, let retry):
                if let retry {
                    observer.handle(.retrying(account: account, folder: retry.folder, attempt: retry.attempt, reason: retry.reason))
                }
                do {
                    try await clock.sleep(until: until, tolerance: nil)
                    action = await machine.send(.deadlinePassed(worker, now: clock.now), from: worker)
                } catch {
                    action = await machine.send(.failed(worker, error, now: clock.now), from: worker)
                }
            case .copySubscriptions(let plan, _):
                do {
                    let added = try await destination.withSession { (session: any MailboxWriter) in
                        try await self.copySubscriptions(plan, session: session)
                    }
                    action = await machine.send(.subscriptionsCopied(worker, added: added), from: worker)
                } catch {
                    action = await machine.send(.failed(worker, error, now: clock.now), from: worker)
                }
            case .plan, .assess, .work:
                preconditionFailure("\(action) needs open sessions")
            }
        }
    }

    /// Carries out the machine's actions on a worker's open sessions until one needs none,
    /// which is returned (the sessions are then closed).
    private func useSessions<C: Clock<Duration>>(
        _ sourceSession: any MailboxReader, _ destinationSession: any MailboxWriter, readAhead: Handoff<StateReadAhead.Records>?,
        by worker: Int, machine: SharedAccountMachine<C.Instant>, clock: C
    ) async -> AccountMachine<C.Instant>.Action {
        var next = await machine.send(.sessionsOpened(worker), from: worker)
        // What these sessions were told to open ahead; new sessions start afresh.
        var ahead = OpenAhead(
            account: account, stateStore: stateStore, options: options, preservesSourceUIDs: destination.preservesSourceUIDs,
            readAhead: readAhead)
        while next.needsSessions {
            var known: FolderSync.KnownState?
            if case .work(let mapping, _) = next {
                do {
                    try await ahead.prepare(
                        mapping, upcoming: machine.upcomingForSoleWorker, source: sourceSession, destination: destinationSession)
                } catch {
                    next = await machine.send(.failed(worker, error, now: clock.now), from: worker)
                    continue
                }
                known = ahead.takeKnownState(of: mapping)
            }
            let event = await perform(next, by: worker, source: sourceSession, destination: destinationSession, known: known, clock: clock)
            next = await machine.send(event, from: worker)
        }
        return next
    }

    /// Carries out an action on the worker's open sessions; what happened is the next event.
    private func perform<C: Clock<Duration>>(
        _ action: AccountMachine<C.Instant>.Action, by worker: Int, source sourceSession: any MailboxReader,
        destination destinationSession: any MailboxWriter, known: FolderSync.KnownState?, clock: C
    ) async -> AccountMachine<C.Instant>.Event {
        do {
            switch action {
            case .plan:
                let listed = try await listedPlan(source: sourceSession, destination: destinationSession)
                return .planned(worker, listed.plan, listedSourceFolders: listed.sourceFolders)
            case .assess(let plan):
                let toCopy = try await estimate(plan)
                observer.handle(.accountPlanned(account: account, folders: plan.mappings.count, messagesToCopy: toCopy))
                return .assessed(worker, wantsHelp: try await worthParallelWork(plan, toCopy: toCopy))
            case .work(let mapping, let listed):
                let folder = FolderSync(
                    account: account, mapping: mapping, source: sourceSession, destination: destinationSession, stateStore: stateStore,
                    options: options, observer: observer, preservesSourceUIDs: destination.preservesSourceUIDs, rateLimiter: rateLimiter,
                    listedSourceFolders: listed, known: known)
                let report = try await folder.run()
                observer.handle(.folderFinished(account: account, report: report))
                return .folderDone(worker, report)
            case .copySubscriptions(let plan, _):
                return .subscriptionsCopied(worker, added: try await copySubscriptions(plan, session: destinationSession))
            case .bindDestination, .openSessions, .backOff, .stop, .finish:
                preconditionFailure("\(action) is not carried out on open sessions")
            }
        } catch {
            return .failed(worker, error, now: clock.now)
        }
    }
}
