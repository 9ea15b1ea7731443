import MailModel
import Migration
import SyncEngine

/// The plan's timed sample of the old server: on a few accounts (the largest read), one
/// incremental pass as the cutover's final delta makes it when nothing changed, then every
/// message body read over the sync's own IMAP session (`BODY.PEEK[]`: no flag changes), in
/// batches, until the time budget is spent. Read-only; one account at a time over one
/// connection, so the rate is one sync worker's and the production server barely notices.
public struct TimingSample: Sendable {
    /// How many accounts to sample.
    public var accounts: Int
    /// The whole sample's time budget: no batch starts after it, and the rate is scaled from
    /// what was read by then.
    public var budget: Duration
    /// Bodies asked for in one FETCH: the budget is checked between batches, so a batch bounds
    /// the overrun.
    public var batchMessages: Int
    public var batchBytes: Int

    public static let defaultAccounts = 3
    public static let defaultBudget = Duration.seconds(30)

    /// nil when `accounts` is 0 or less: the sample is off.
    public init?(accounts: Int = defaultAccounts, budget: Duration = defaultBudget, batchMessages: Int = 50, batchBytes: Int = 8_000_000) {
        guard accounts > 0 else { return nil }
        self.accounts = accounts
        self.budget = max(budget, .zero)
        self.batchMessages = max(1, batchMessages)
        self.batchBytes = max(1, batchBytes)
    }

    /// The accounts to sample: the largest by size on the old server among those read.
    public func chosen(_ plans: [AccountPlan]) -> [Int] {
        let read = plans.indices.filter { plans[$0].sourceError == nil && plans[$0].sourceBytes != nil }
        return Array(read.sorted { (plans[$0].sourceBytes ?? 0) > (plans[$1].sourceBytes ?? 0) }.prefix(accounts))
    }

    /// Samples the chosen accounts of `plans` (`jobs` in the same order), recording each one's
    /// figures in its plan's `sample`.
    public func run(jobs: [AccountJob], plans: inout [AccountPlan]) async {
        await run(jobs: jobs, plans: &plans, clock: ContinuousClock())
    }

    public func run<C: Clock>(jobs: [AccountJob], plans: inout [AccountPlan], clock: C) async where C.Duration == Duration {
        let deadline = clock.now.advanced(by: budget)
        var first = true
        for index in chosen(plans) where index < jobs.count {
            // An account begun is finished only as far as the budget allows; none begins after it.
            guard first || clock.now < deadline else { break }
            plans[index].sample = await sample(jobs[index], deadline: deadline, readFirstBatch: first, clock: clock)
            first = false
        }
    }

    func sample<C: Clock>(_ job: AccountJob, deadline: C.Instant, readFirstBatch: Bool, clock: C) async -> AccountSample
    where C.Duration == Duration {
        var result = AccountSample()
        let start = clock.now
        do {
            result = try await job.source.withSession { (reader: any MailboxReader) -> AccountSample in
                var sample = AccountSample()
                let folders = try await reader.listFolders().filter { $0.isSelectable && $0.nameError == nil }.map(\.name)
                for folder in folders {
                    let status = try await reader.open(folder)
                    guard status.messageCount > 0 else { continue }
                    _ = try await reader.summaries(Self.incremental(status))
                }
                sample.folders = folders.count
                sample.incrementalSeconds = Self.seconds(start.duration(to: clock.now))
                var mayRead = readFirstBatch
                let counter = Counter()
                for folder in folders {
                    let status = try await reader.open(folder)
                    guard status.messageCount > 0 else { continue }
                    for batch in batches(try await reader.summaries(.all)) {
                        if !mayRead && clock.now >= deadline { return sample }
                        mayRead = false
                        let began = clock.now
                        try await reader.fetchBodies(batch, into: counter)
                        sample.readSeconds += Self.seconds(began.duration(to: clock.now))
                        sample.messagesRead = counter.messages
                        sample.bytesRead = counter.bytes
                    }
                }
                sample.complete = true
                return sample
            }
        } catch {
            result.error = "\(error)"
        }
        return result
    }

    /// The listing the sync's re-run makes of an unchanged folder: what changed since the
    /// folder's mod-sequence with CONDSTORE, else every message's UID and flags.
    static func incremental(_ status: FolderStatus) -> SummaryRequest {
        if let modSeq = status.highestModSeq { return .changed(since: modSeq) }
        guard let next = UID(status.uidNext) else { return .all }
        return .flagsOnly(below: next)
    }

    /// The UIDs in FETCH batches of at most `batchMessages` messages and about `batchBytes`.
    func batches(_ summaries: [MessageSummary]) -> [[UID]] {
        var batches: [[UID]] = []
        var current: [UID] = []
        var bytes = 0
        for summary in summaries {
            if !current.isEmpty && (current.count >= batchMessages || bytes + summary.size > batchBytes) {
                batches.append(current)
                current = []
                bytes = 0
            }
            current.append(summary.uid)
            bytes += summary.size
        }
        if !current.isEmpty { batches.append(current) }
        return batches
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// Counts the bodies as the store streams them; the bytes are dropped.
    final class Counter: MessageBodySink {
        var messages = 0
        var bytes = 0
        func begin(uid: UID, size: Int) throws {}
        func append(_ bytes: UnsafeRawBufferPointer) throws { self.bytes += bytes.count }
        func end() throws { messages += 1 }
    }
}
