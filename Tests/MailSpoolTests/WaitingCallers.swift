import Foundation

/// Counts the callers a group commit has queued behind a running sync (its `waitingChanged`
/// events), so that a test's first sync can hold until everyone it means to cover is queued,
/// on the event rather than on a guess of how long that takes.
final class WaitingCallers: @unchecked Sendable {  // `count` is behind `condition`
    private let condition = NSCondition()
    private var count = 0

    /// The group's observer: records the current number of waiting callers.
    var observer: @Sendable (Int) -> Void {
        { [self] waiting in
            condition.lock()
            count = waiting
            condition.broadcast()
            condition.unlock()
        }
    }

    /// Blocks until `expected` callers wait, at most `timeout` seconds (a bound for a broken
    /// group commit, not a delay): false if they never did.
    func waitUntilQueued(_ expected: Int, timeout: TimeInterval = 30) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while count < expected {
            if !condition.wait(until: deadline) { return count >= expected }
        }
        return true
    }
}
