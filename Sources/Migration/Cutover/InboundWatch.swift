import Cutover
import Foundation

/// Follows the old Postfix's mail log through the drain (``HostLogFollower``) into an
/// ``InboundTracker``: when mail for the domains last arrived from the network.
public actor InboundWatch {
    let domains: [String]
    let ignoredAddresses: [String]
    private var follower: HostLogFollower
    private var tracker: InboundTracker?

    public init(host: any Cutover.Host, path: String, domains: [String], ignoredAddresses: [String] = [], utcOffsetSeconds: Int64) {
        follower = HostLogFollower(host: host, path: path, name: "old postfix", utcOffsetSeconds: utcOffsetSeconds)
        self.domains = domains
        self.ignoredAddresses = ignoredAddresses
    }

    /// The last inbound for the domains at or after `since` (wall-clock seconds), read up to
    /// the log's end now.
    public func lastInbound(since: Double, now: Double) async throws -> InboundTracker.Inbound? {
        let start = LogInstant(microseconds: Int64((since.rounded(.down)) * 1_000_000))
        var tracker = self.tracker ?? InboundTracker(domains: domains, since: start, ignoredAddresses: ignoredAddresses)
        if tracker.since != start {
            tracker = InboundTracker(domains: domains, since: start, ignoredAddresses: ignoredAddresses)
        }
        var follower = self.follower
        let instant = LogInstant(microseconds: Int64(now * 1_000_000))
        let new = try await follower.readNew(now: instant)
        tracker.take(new.records)
        tracker.take(gaps: new.gaps, now: instant)
        self.follower = follower
        self.tracker = tracker
        return tracker.last
    }
}
