import MailModel

/// The folders of one account waiting for a worker, with attempt counts for retries and
/// the reports of the finished ones.
///
/// The first worker plans the account and ``publish(_:)``es the folders; the other workers
/// wait for that (holding no connection) and then take folders like the first one.
actor FolderQueue {
    private var pending: [FolderMapping] = []
    private var attempts: [MailboxName: Int] = [:]
    private let maxAttempts: Int
    private(set) var reports: [FolderReport] = []
    /// Set when the account must stop (authentication failed, the state store failed).
    private(set) var abortError: (any Error)?
    private var planned: Bool?
    private var planWaiters: [CheckedContinuation<Bool, Never>] = []

    init(maxAttempts: Int) {
        self.maxAttempts = maxAttempts
    }

    /// Whether more workers than the planning one are worth their connections.
    private(set) var wantsHelp = true
    /// The source folders the plan's listing showed, as the bytes of their names: a folder
    /// listed there is not gone, and finding that out needs no SELECT.
    private(set) var listedSourceFolders: Set<[UInt8]> = []

    /// The plan is known: these folders are the work, taken in ``workOrder(_:)``. With
    /// `wantsHelp` false (a re-run with nothing new to copy) the planning worker does it alone:
    /// a connection pair costs more than one round trip per folder.
    func publish(_ mappings: [FolderMapping], wantsHelp: Bool = true, listedSourceFolders: Set<[UInt8]> = []) {
        pending = Self.workOrder(mappings).reversed()
        self.wantsHelp = wantsHelp
        self.listedSourceFolders = listedSourceFolders
        settlePlan(true)
    }

    /// There will be no work (the plan was refused or could not be made).
    func cancelPlan() { settlePlan(false) }

    /// Largest folder first: a run lasts at least as long as its largest folder (a folder is
    /// copied in order on one session pair), so starting it last leaves the other workers idle
    /// while it finishes. Folders whose size the listing does not tell (Courier has no
    /// LIST-STATUS) keep the plan's order behind INBOX, which is the largest in most accounts.
    static func workOrder(_ mappings: [FolderMapping]) -> [FolderMapping] {
        let weight = { (mapping: FolderMapping) -> Int in
            mapping.source.messageCount ?? (mapping.source.name.isInbox ? Int.max : -1)
        }
        return mappings.enumerated().sorted { left, right in
            let (a, b) = (weight(left.element), weight(right.element))
            return a != b ? a > b : left.offset < right.offset
        }.map(\.element)
    }

    /// Wait until the plan is known; `false` if there is no work.
    func waitForPlan() async -> Bool {
        if let planned { return planned }
        return await withCheckedContinuation { planWaiters.append($0) }
    }

    private func settlePlan(_ value: Bool) {
        planned = value
        for waiter in planWaiters { waiter.resume(returning: value) }
        planWaiters.removeAll()
    }

    var hasPending: Bool { abortError == nil && !pending.isEmpty }

    /// The folders still waiting, in the order ``next()`` gives them.
    var upcoming: [FolderMapping] { abortError == nil ? pending.reversed() : [] }

    /// The next folder to sync, or `nil` when there is none or the account stopped.
    func next() -> FolderMapping? {
        guard abortError == nil else { return nil }
        return pending.popLast()
    }

    func finished(_ report: FolderReport) {
        reports.append(report)
    }

    /// The connection failed while syncing `mapping`: put it back unless it has had all its
    /// attempts. Returns the attempt number if it was put back.
    func retry(_ mapping: FolderMapping, error: any Error) -> Int? {
        let key = mapping.source.name
        let attempt = attempts[key, default: 1]
        guard attempt < maxAttempts else {
            failed(mapping, error: error)
            return nil
        }
        attempts[key] = attempt + 1
        pending.append(mapping)
        return attempt + 1
    }

    func failed(_ mapping: FolderMapping, error: any Error) {
        var report = FolderReport(sourceFolder: mapping.source.name.name, destinationFolder: mapping.destination.name)
        report.error = String(describing: error)
        report.errorKind = (error as? StoreError)?.kind
        reports.append(report)
    }

    func abort(_ error: any Error) {
        if abortError == nil { abortError = error }
    }
}
