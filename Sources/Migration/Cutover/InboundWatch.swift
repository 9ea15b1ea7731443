import Cutover
import Foundation

/// Follows the old Postfix's mail log through the drain into an ``InboundTracker``: when
/// mail for the domains last arrived from the network.
public struct InboundWatch: Sendable {
    private let watch: DrainLogWatch<InboundTracker>

    public init(host: any Cutover.Host, path: String, domains: [String], ignoredAddresses: [String] = [], utcOffsetSeconds: Int64) {
        watch = DrainLogWatch(follower: HostLogFollower(host: host, path: path, name: "old postfix", utcOffsetSeconds: utcOffsetSeconds)) {
            InboundTracker(domains: domains, since: $0, ignoredAddresses: ignoredAddresses)
        }
    }

    /// The last inbound for the domains at or after `since` (wall-clock seconds), read up to
    /// the log's end now.
    public func lastInbound(since: Double, now: Double) async throws -> InboundTracker.Inbound? {
        try await watch.read(since: since, now: now).last
    }
}
