import Cutover
import Foundation

/// A tracker the drain feeds from a followed log: ``InboundTracker`` (the old Postfix's
/// inbound mail), ``ForwardLoginTracker`` (logins through the forwarder).
public protocol DrainLogTracker: Sendable {
    var since: LogInstant { get }
    mutating func take(_ records: some Sequence<MailLogRecord>)
    /// `now` places gaps that carry no time.
    mutating func take(gaps: some Sequence<LogGap>, now: LogInstant)
}

extension InboundTracker: DrainLogTracker {
    public mutating func take(gaps: some Sequence<LogGap>, now: LogInstant) { take(gaps: gaps, now: Optional(now)) }
}

extension ForwardLoginTracker: DrainLogTracker {}

/// Follows one log through the drain (``HostLogFollower``) into a tracker made by `make`
/// for a start time; a check with another start time starts a new tracker.
actor DrainLogWatch<Tracker: DrainLogTracker> {
    private var follower: HostLogFollower
    private var tracker: Tracker?
    private let make: @Sendable (LogInstant) -> Tracker

    init(follower: HostLogFollower, make: @escaping @Sendable (LogInstant) -> Tracker) {
        self.follower = follower
        self.make = make
    }

    /// The tracker after everything the log holds now, from `since` (wall-clock seconds).
    func read(since: Double, now: Double) async throws -> Tracker {
        let start = LogInstant(microseconds: Int64(since.rounded(.down) * 1_000_000))
        var tracker = self.tracker.flatMap { $0.since == start ? $0 : nil } ?? make(start)
        var follower = self.follower
        let instant = LogInstant(microseconds: Int64(now * 1_000_000))
        let new = try await follower.readNew(now: instant)
        tracker.take(new.records)
        tracker.take(gaps: new.gaps, now: instant)
        self.follower = follower
        self.tracker = tracker
        return tracker
    }
}
