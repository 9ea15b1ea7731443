import DNSCodec
import Foundation
import MailferryConfig

/// What the DNS checks need to know: the domains, the two servers' addresses, where to
/// start the NS chain, and which resolvers to compare against.
public struct DNSPlanSettings: Sendable {
    public var domains: [DNSName]
    /// The old server's public addresses: records that lead here must change at the switch.
    public var oldAddresses: [IPAddress]
    /// The new server's public addresses.
    public var newAddresses: [IPAddress]
    /// Recursive resolvers whose current answers are shown next to the authoritative ones.
    public var resolvers: [DNSServer]
    /// Seconds added to the longest TTL for the decommission date.
    public var marginSeconds: Int
    public var switchAt: Date?

    public init(domains: [DNSName], oldAddresses: [IPAddress], newAddresses: [IPAddress], resolvers: [DNSServer] = [],
                marginSeconds: Int = 86_400, switchAt: Date? = nil) {
        self.domains = domains
        self.oldAddresses = oldAddresses
        self.newAddresses = newAddresses
        self.resolvers = resolvers
        self.marginSeconds = marginSeconds
        self.switchAt = switchAt
    }
}
