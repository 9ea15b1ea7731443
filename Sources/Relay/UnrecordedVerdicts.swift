import MailSpool
import Synchronization

/// Delivery verdicts the spool could not record (the disk was full even after its reserve
/// was used, or the journal failed otherwise), kept in memory until it can.
///
/// Without them a failed record would leave the entry as it was on disk, and its next
/// attempt would send again to recipients the next hop had already accepted. With them:
/// an attempt applies the unrecorded verdicts first (`apply`), so only recipients still
/// pending are sent; a finished entry is never scheduled for delivery again, only its
/// completion is retried (by the queue manager's timer) until it is recorded. A crash
/// before that loses these verdicts, and the copies they describe may be sent again (at
/// least once, never lost); recovery still skips an entry whose `finished.jsonl` line was
/// written.
final class UnrecordedVerdicts: Sendable {
    struct Completion: Sendable {
        var entry: SpoolEntry
        var retryAt: Double
    }

    struct State: Sendable {
        var records: [QueueID: [SpoolStatusRecord]] = [:]
        var completions: [QueueID: Completion] = [:]
    }

    private let state = Mutex(State())

    /// The journal records not yet on disk for `id`, oldest first.
    func records(for id: QueueID) -> [SpoolStatusRecord] {
        state.withLock { $0.records[id] ?? [] }
    }

    /// `entry` as read from the spool, with the verdicts the spool could not record.
    func apply(to entry: SpoolEntry) -> SpoolEntry {
        var updated = entry
        for record in records(for: entry.id) { updated.apply(record) }
        return updated
    }

    /// An attempt's record that could not be written.
    func keep(_ record: SpoolStatusRecord, for id: QueueID) {
        state.withLock { $0.records[id, default: []].append(record) }
    }

    /// A finished entry whose completion could not be recorded: try again at `retryAt`.
    func keepCompletion(_ entry: SpoolEntry, retryAt: Double) {
        state.withLock {
            $0.records[entry.id] = nil
            $0.completions[entry.id] = Completion(entry: entry, retryAt: retryAt)
        }
    }

    /// Everything about `id` is on disk now.
    func recorded(_ id: QueueID) {
        state.withLock {
            $0.records[id] = nil
            $0.completions[id] = nil
        }
    }

    /// Completions due at `now`, oldest entry first.
    func dueCompletions(now: Double) -> [SpoolEntry] {
        state.withLock { $0.completions.values.filter { $0.retryAt <= now }.map(\.entry).sorted { $0.id < $1.id } }
    }

    /// When the next completion is due.
    var nextCompletion: Double? {
        state.withLock { $0.completions.values.map(\.retryAt).min() }
    }

    /// Entries whose completion waits in memory.
    var pendingCompletions: Int {
        state.withLock { $0.completions.count }
    }
}
