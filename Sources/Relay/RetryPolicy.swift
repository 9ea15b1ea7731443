/// When to try again, and when to give up (Postfix: minimal_backoff_time,
/// maximal_backoff_time, maximal_queue_lifetime).
public struct RetryPolicy: Hashable, Sendable {
    /// Delay after the first failed attempt; doubles with each attempt.
    public var minimalBackoff: Duration = .seconds(60)
    /// Cap on the delay.
    public var maximalBackoff: Duration = .seconds(3600)
    /// Give up (recipient failed, "message expired") this long after arrival.
    public var maximalLifetime: Duration = .seconds(5 * 86_400)

    public init() {}

    /// Delay before attempt `attempts + 1`, after `attempts` failed ones (>= 1).
    public func backoff(afterAttempts attempts: Int) -> Duration {
        var delay = minimalBackoff
        for _ in 1..<max(1, attempts) {
            delay = delay * 2
            if delay >= maximalBackoff { return maximalBackoff }
        }
        return min(delay, maximalBackoff)
    }

    /// True if a message received at `receivedAt` (Unix time) must no longer be retried at `now`.
    public func isExpired(receivedAt: Double, now: Double) -> Bool {
        now - receivedAt >= maximalLifetime.inSeconds
    }
}
