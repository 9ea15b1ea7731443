import Cutover
import Foundation

/// Follows the new server's log (where Dovecot's logins and the forwarded submission
/// services' lines go) through the drain into a ``ForwardLoginTracker``: who still logs in
/// through the forwarder on the old host.
public struct ForwardLoginWatch: Sendable {
    private let watch: DrainLogWatch<ForwardLoginTracker>

    public init(host: any Cutover.Host, path: String, forwardedAddresses: [String], utcOffsetSeconds: Int64) {
        let follower = HostLogFollower(host: host, path: path, name: "new server's logins", utcOffsetSeconds: utcOffsetSeconds, keepsLogins: true)
        watch = DrainLogWatch(follower: follower) { ForwardLoginTracker(forwardedAddresses: forwardedAddresses, since: $0) }
    }

    /// The logins through the forwarder at or after `since` (wall-clock seconds), read up to
    /// the log's end now.
    public func logins(since: Double, now: Double) async throws -> ForwardLoginTracker {
        try await watch.read(since: since, now: now)
    }
}
