import Cutover
import Foundation

/// Follows the new server's log (where Dovecot's logins and the forwarded submission
/// services' lines go) through the drain (``HostLogFollower``) into a
/// ``ForwardLoginTracker``: who still logs in through the forwarder on the old host.
public actor ForwardLoginWatch {
    let forwardedAddresses: [String]
    private var follower: HostLogFollower
    private var tracker: ForwardLoginTracker?

    public init(host: any Cutover.Host, path: String, forwardedAddresses: [String], utcOffsetSeconds: Int64) {
        follower = HostLogFollower(host: host, path: path, name: "new server's logins", utcOffsetSeconds: utcOffsetSeconds, keepsLogins: true)
        self.forwardedAddresses = forwardedAddresses
    }

    /// The logins through the forwarder at or after `since` (wall-clock seconds), read up to
    /// the log's end now.
    public func logins(since: Double, now: Double) async throws -> ForwardLoginTracker {
        let start = LogInstant(microseconds: Int64(since.rounded(.down) * 1_000_000))
        var tracker = self.tracker ?? ForwardLoginTracker(forwardedAddresses: forwardedAddresses, since: start)
        if tracker.since != start { tracker = ForwardLoginTracker(forwardedAddresses: forwardedAddresses, since: start) }
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
