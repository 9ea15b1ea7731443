import Foundation

/// The ticket logic of a group commit, shared by ``DirectorySyncGroup`` (renames into the
/// queue directory) and ``SegmentLog`` (records appended to a segment).
///
/// A write is durable once a sync that *started after the write* has completed. So a caller
/// that has just written either starts a sync itself or, if one is already running (it may
/// have started before the write), waits for the next one, which covers every write made
/// while the previous one ran. Syncs run one at a time, in order; a failed sync fails every
/// caller it would have covered. Every method is called with `condition` held.
struct GroupSyncRounds {
    /// Syncs started so far; sync number n covers every write made before it started.
    private var started = 0
    /// The number of the last sync that completed.
    private var completed = 0
    private var running = false
    /// The most recent failed sync, and why.
    private var lastFailure: (number: Int, error: any Error)?
    /// Callers waiting for a running sync to end.
    private var waiting = 0
    /// Told the number of waiting callers each time one starts to wait (with the lock held):
    /// lets a test hold a sync until the callers it means to cover are queued behind it.
    var waitingChanged: (@Sendable (Int) -> Void)?

    /// Returns once a sync that started after this call has completed: the error of a failed
    /// sync that could be the one covering the caller, else nil. When no sync runs, this
    /// caller runs one: `prepare` with the lock held, `perform` with it released (the I/O),
    /// `finish` with it held again and the sync's error.
    mutating func awaitCoverage<Batch>(
        _ condition: NSCondition, prepare: () -> Batch, perform: (Batch) -> (any Error)?, finish: (Batch, (any Error)?) -> Void
    ) -> (any Error)? {
        let ticket = started
        while completed <= ticket {
            if running {
                waiting += 1
                waitingChanged?(waiting)
                condition.wait()
                waiting -= 1
                continue
            }
            running = true
            started += 1
            let number = started
            let batch = prepare()
            condition.unlock()
            let failure = perform(batch)
            condition.lock()
            running = false
            completed = number
            if let failure { lastFailure = (number, failure) }
            finish(batch, failure)
            condition.broadcast()
        }
        guard let lastFailure, lastFailure.number > ticket else { return nil }
        return lastFailure.error
    }
}
