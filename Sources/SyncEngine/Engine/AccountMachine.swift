import MailModel

/// One account's sync as a state machine: the driver (``AccountSync``) feeds it what
/// happened (an event) and carries out what it returns (an action per worker), as the
/// codecs' state machines do. It does no I/O and reads no clock: events that need the time
/// bring it (`now`), and a backoff is an instant to wait for on the driver's clock. Every
/// decision of a run is here (who plans, when helpers open sessions, which failure retries
/// a folder, when the account stops, the one subscriptions step), and is tested with event
/// tables in `AccountMachineTests`, without sessions or time.
///
/// Workers are numbered from 0; worker 0 binds the state to the destination and plans, the
/// others wait for the plan holding no connection (a worker that waited while holding
/// connections could deadlock a fleet run sharing a connection limit).
struct AccountMachine<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    typealias Worker = Int

    enum Event: Sendable {
        /// The run begins (sent by worker 0).
        case started
        /// The state store now belongs to the destination; `previousDestination` is the one
        /// it belonged to before, if another.
        case bound(previousDestination: String?)
        /// The worker's source and destination sessions are open.
        case sessionsOpened(Worker)
        /// Both sides were listed and mapped; `listedSourceFolders` holds the bytes of the
        /// selectable source folders the listing showed.
        case planned(Worker, FolderPlan, listedSourceFolders: Set<[UInt8]>)
        /// The plan was counted against the state; `wantsHelp`: more session pairs pay off.
        case assessed(Worker, wantsHelp: Bool)
        /// The folder the worker was given is synced.
        case folderDone(Worker, FolderReport)
        /// The subscriptions step is done, `added` subscriptions made (or, dry, counted).
        case subscriptionsCopied(Worker, added: Int)
        /// What the worker was doing threw: the sessions did not open or were lost, a folder
        /// failed, a step failed.
        case failed(Worker, any Error, now: Instant)
        /// The worker's backoff deadline may have passed.
        case deadlinePassed(Worker, now: Instant)
    }

    enum Action: Sendable {
        /// Bind the state store to the destination (never in a dry run).
        case bindDestination
        /// Open a session pair; then the actions that need sessions follow on it.
        case openSessions
        /// List both sides and map the folders (on the open sessions).
        case plan
        /// Count what the plan has to copy against the state (``Event/assessed(_:wantsHelp:)``).
        case assess(FolderPlan)
        /// Sync this folder on the open sessions.
        case work(FolderMapping, listedSourceFolders: Set<[UInt8]>)
        /// Subscribe on the destination to the plan's subscribed folders: on the worker's
        /// open destination session, or (`onOpenSessions` false) on a new one.
        case copySubscriptions(FolderPlan, onOpenSessions: Bool)
        /// Close the sessions (if open) and wait until `until`; `retrying` is the folder that
        /// went back to the queue, for the progress display.
        case backOff(until: Instant, retrying: Retry?)
        /// Close the sessions (if open); the worker is done.
        case stop
        /// Close the sessions (if open); the worker was the last one and the account is done.
        case finish(Outcome)

        /// Whether the action is carried out on the worker's open sessions.
        var needsSessions: Bool {
            switch self {
            case .plan, .assess, .work: true
            case .copySubscriptions(_, let onOpenSessions): onOpenSessions
            case .bindDestination, .openSessions, .backOff, .stop, .finish: false
            }
        }
    }

    /// A folder put back in the queue after its sessions failed.
    struct Retry: Sendable, Equatable {
        var folder: String
        var attempt: Int
        var reason: String
    }

    /// What the account's report says, once every worker is done.
    struct Outcome: Sendable {
        var previousDestination: String?
        var problems: [String] = []
        var skippedFolders: [SkippedFolder] = []
        /// Synced, failed and refused folders, by source name.
        var folders: [FolderReport] = []
        var subscriptionsAdded = 0
        /// Why the account stopped early, if it did.
        var error: (any Error)?
    }

    /// The state directory could not be bound to the destination.
    struct BindFailure: Error, CustomStringConvertible {
        var underlying: any Error
        var description: String { "the state directory cannot be written: \(underlying)" }
    }

    enum WorkerState: Sendable {
        /// Waiting for the plan, or for anything to do; holds no connection.
        case waiting
        case binding
        case opening
        case planning
        case assessing
        /// Sessions open, between two actions.
        case open
        case working(FolderMapping)
        case copyingSubscriptions
        case backingOff(until: Instant)
        case stopped
    }

    enum Subscriptions: Sendable {
        case notYet
        case copying
        case done(Int)
    }

    let options: SyncOptions
    private(set) var workers: [WorkerState]
    private var recoveries: [WorkerRecovery]
    private(set) var queue: FolderQueue
    /// The plan, once made and split from the folders it refused.
    private(set) var plan: FolderPlan?
    private var listedSourceFolders: Set<[UInt8]> = []
    /// Set once the folders are in the queue; until then a failure of worker 0 ends the account.
    private(set) var published = false
    /// Set when helpers opened sessions of their own for the queue's folders.
    private var shared = false
    private(set) var subscriptions = Subscriptions.notYet
    private var outcome = Outcome()
    private(set) var finished = false

    /// `workers`: the session pairs the account may use at once (at least one).
    init(options: SyncOptions, workers: Int) {
        self.options = options
        self.workers = Array(repeating: .waiting, count: max(1, workers))
        recoveries = Array(repeating: WorkerRecovery(options: options), count: max(1, workers))
        queue = FolderQueue(maxAttempts: options.maxAttempts)
    }
}


extension AccountMachine {
    /// Takes one event and returns the actions it leads to, each for one worker: the sender's
    /// next action, and actions for waiting workers the event releases. A worker given no
    /// action waits for one. The last worker to stop is given ``Action/finish(_:)``.
    mutating func handle(_ event: Event) -> [(worker: Worker, action: Action)] {
        var actions = react(to: event)
        for (worker, action) in actions { record(action, for: worker) }
        if !finished, workers.allSatisfy({ if case .stopped = $0 { true } else { false } }),
            let last = actions.lastIndex(where: { if case .stop = $0.action { true } else { false } })
        {
            finished = true
            actions[last].action = .finish(finalOutcome)
        }
        return actions
    }

    private mutating func react(to event: Event) -> [(worker: Worker, action: Action)] {
        switch event {
        case .started:
            return [(0, options.dryRun ? .openSessions : .bindDestination)]
        case .bound(let previous):
            outcome.previousDestination = previous
            return [(0, .openSessions)]
        case .sessionsOpened(let worker):
            if !published { return [(worker, .plan)] }
            return [(worker, nextStep(for: worker, sessionsOpen: true))]
        case .planned(let worker, let listedPlan, let listed):
            let split = listedPlan.refusingFolders()
            plan = split.plan
            outcome.problems = split.problems.map(\.description)
            outcome.skippedFolders = split.plan.skipped.map { SkippedFolder(folder: $0.folder, reason: $0.reason) }
            outcome.folders = split.refused
            listedSourceFolders = listed
            guard split.problems.isEmpty else { return stopWaiting(besides: worker) }
            return [(worker, .assess(split.plan))]
        case .assessed(let worker, let wantsHelp):
            return publish(by: worker, wantsHelp: wantsHelp)
        case .folderDone(let worker, let report):
            queue.finished(report)
            workers[worker] = .open
            return [(worker, nextStep(for: worker, sessionsOpen: true))]
        case .subscriptionsCopied(let worker, let added):
            subscriptions = .done(added)
            outcome.subscriptionsAdded = added
            return [(worker, .stop)]
        case .failed(let worker, let error, let now):
            return failed(worker, error, now: now)
        case .deadlinePassed(let worker, let now):
            if case .backingOff(let until) = workers[worker], now < until { return [(worker, .backOff(until: until, retrying: nil))] }
            return [(worker, nextStep(for: worker, sessionsOpen: false))]
        }
    }

    /// The folders are known: worker 0 takes the first, and waiting workers open sessions
    /// for the rest when the plan wants help (one per folder left at most).
    private mutating func publish(by worker: Worker, wantsHelp: Bool) -> [(worker: Worker, action: Action)] {
        queue.publish(plan?.mappings ?? [])
        published = true
        var actions = [(worker: worker, action: nextStep(for: worker, sessionsOpen: true))]
        var helpers = wantsHelp ? queue.pendingCount : 0
        for helper in workers.indices where helper != worker {
            guard case .waiting = workers[helper] else { continue }
            actions.append((helper, helpers > 0 ? .openSessions : .stop))
            if helpers > 0 { shared = true }
            helpers -= 1
        }
        return actions
    }

    /// The folders a worker that has the account to itself will take after the one in hand,
    /// for ``OpenAhead``; none while helpers share the queue (they would take announced
    /// folders away).
    var upcomingForSoleWorker: [FolderMapping] { shared ? [] : queue.upcoming }

    /// What a worker with nothing in hand does next: the next folder (on its sessions, or
    /// after opening new ones), else the subscriptions step if the work is complete and the
    /// step not taken yet, else stop.
    private mutating func nextStep(for worker: Worker, sessionsOpen: Bool) -> Action {
        guard published, outcome.error == nil else { return .stop }
        if queue.hasPending {
            guard sessionsOpen, let mapping = queue.next() else { return .openSessions }
            return .work(mapping, listedSourceFolders: listedSourceFolders)
        }
        guard case .notYet = subscriptions, workComplete, let plan else { return .stop }
        // Nothing to ask when the listing showed every subscribed folder subscribed already.
        guard plan.mappings.contains(where: { $0.source.isSubscribed && !$0.destinationSubscribed }) else {
            subscriptions = .done(0)
            return .stop
        }
        subscriptions = .copying
        return .copySubscriptions(plan, onOpenSessions: sessionsOpen)
    }

    /// Every folder is synced or failed: none waits and none is in a worker's hands.
    var workComplete: Bool {
        !queue.hasPending && !workers.contains { if case .working = $0 { true } else { false } }
    }

    private mutating func failed(_ worker: Worker, _ error: any Error, now: Instant) -> [(worker: Worker, action: Action)] {
        switch workers[worker] {
        case .binding:
            return fail(worker, BindFailure(underlying: error))
        case .planning, .assessing, .copyingSubscriptions:
            return fail(worker, error)
        case .opening where !published:
            return fail(worker, error)
        case .working(let mapping) where Self.isFolderFailure(error):
            queue.failed(mapping, error: error)
            workers[worker] = .open
            return [(worker, nextStep(for: worker, sessionsOpen: true))]
        case .working(let mapping):
            return recover(worker, recoveries[worker].sessionsFailed(error, folder: mapping), now: now)
        case .opening, .open:
            return recover(worker, recoveries[worker].sessionsFailed(error, folder: nil), now: now)
        case .backingOff:
            // The wait itself failed: the run is being cancelled.
            return abort(worker, error)
        case .waiting, .stopped:
            return [(worker, nextStep(for: worker, sessionsOpen: false))]
        }
    }

    /// A failure of one folder, not of the sessions: the folder is reported failed and the
    /// worker goes on with the next one on the same sessions.
    static func isFolderFailure(_ error: any Error) -> Bool {
        if let error = error as? StoreError { return error.kind == .folder || error.kind == .other }
        return error is StagingError
    }

    private mutating func recover(_ worker: Worker, _ decision: WorkerRecovery.Action, now: Instant) -> [(worker: Worker, action: Action)] {
        switch decision {
        case .abort(let error):
            return abort(worker, error)
        case .retryFolder(let mapping, let error, let backoff):
            // A folder out of attempts is reported failed; the next one starts at once.
            guard let attempt = queue.retry(mapping, error: error) else {
                workers[worker] = .waiting
                return [(worker, nextStep(for: worker, sessionsOpen: false))]
            }
            let retry = Retry(folder: mapping.source.name.name, attempt: attempt, reason: error.message)
            return [(worker, .backOff(until: now.advanced(by: backoff), retrying: retry))]
        case .reconnect(let backoff):
            return [(worker, .backOff(until: now.advanced(by: backoff), retrying: nil))]
        }
    }

    /// The account stops with `error`: the worker stops at once; the others stop when they
    /// next ask (a folder in progress elsewhere finishes first).
    private mutating func abort(_ worker: Worker, _ error: any Error) -> [(worker: Worker, action: Action)] {
        if outcome.error == nil { outcome.error = error }
        return [(worker, .stop)]
    }

    /// The account cannot go on (before the folders were published, or a step of the whole
    /// account failed): the worker stops, and so does every worker waiting for the plan.
    private mutating func fail(_ worker: Worker, _ error: any Error) -> [(worker: Worker, action: Action)] {
        if outcome.error == nil { outcome.error = error }
        return stopWaiting(besides: worker)
    }

    /// `worker` and every worker waiting for something to do stop; a busy worker stops when
    /// it next asks.
    private func stopWaiting(besides worker: Worker) -> [(worker: Worker, action: Action)] {
        [(worker, .stop)]
            + workers.indices.compactMap { other in
                guard other != worker, case .waiting = workers[other] else { return nil }
                return (other, .stop)
            }
    }

    /// The worker's state once it carries out `action`.
    private mutating func record(_ action: Action, for worker: Worker) {
        switch action {
        case .bindDestination: workers[worker] = .binding
        case .openSessions: workers[worker] = .opening
        case .plan: workers[worker] = .planning
        case .assess: workers[worker] = .assessing
        case .work(let mapping, _): workers[worker] = .working(mapping)
        case .copySubscriptions: workers[worker] = .copyingSubscriptions
        case .backOff(let until, _): workers[worker] = .backingOff(until: until)
        case .stop, .finish: workers[worker] = .stopped
        }
    }

    private var finalOutcome: Outcome {
        var result = outcome
        result.folders = (queue.reports + outcome.folders).sorted { $0.sourceFolder < $1.sourceFolder }
        return result
    }
}
