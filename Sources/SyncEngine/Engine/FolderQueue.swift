import MailModel

/// The folders of one account waiting for a worker, with attempt counts for retries and
/// the reports of the finished ones. A value: ``AccountMachine`` holds it and is the only
/// one that changes it.
struct FolderQueue: Sendable {
    /// Taken from the end: the reverse of ``workOrder(_:)``.
    private var pending: [FolderMapping] = []
    private var attempts: [MailboxName: Int] = [:]
    private let maxAttempts: Int
    private(set) var reports: [FolderReport] = []

    init(maxAttempts: Int) {
        self.maxAttempts = maxAttempts
    }

    /// The plan is known: these folders are the work, taken in ``workOrder(_:)``.
    mutating func publish(_ mappings: [FolderMapping]) {
        pending = Self.workOrder(mappings).reversed()
    }

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

    var hasPending: Bool { !pending.isEmpty }
    var pendingCount: Int { pending.count }
    /// The folders still waiting, in the order ``next()`` gives them.
    var upcoming: [FolderMapping] { pending.reversed() }

    /// The next folder to sync, or `nil` when there is none.
    mutating func next() -> FolderMapping? {
        pending.popLast()
    }

    mutating func finished(_ report: FolderReport) {
        reports.append(report)
    }

    /// The connection failed while syncing `mapping`: put it back unless it has had all its
    /// attempts (then it is reported failed). Returns the attempt number if it was put back.
    mutating func retry(_ mapping: FolderMapping, error: any Error) -> Int? {
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

    mutating func failed(_ mapping: FolderMapping, error: any Error) {
        var report = FolderReport(sourceFolder: mapping.source.name.name, destinationFolder: mapping.destination.name)
        report.error = String(describing: error)
        report.errorKind = (error as? StoreError)?.kind
        reports.append(report)
    }
}
