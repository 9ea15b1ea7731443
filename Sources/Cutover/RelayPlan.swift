import PostfixControl

/// The switch on the old server, in one reload: the domains are relayed to the new server
/// with a `[]` next hop (no MX lookup, so no loop through DNS), smtpd's HOLD and the hold
/// service go away, `soft_bounce` keeps any mistake in the queue instead of bouncing it,
/// and the mail held since the hold began is released and tried at once.
public struct RelayPlan: Hashable, Sendable {
    public var domains: CutoverDomains
    /// The new server's address or host name (written in `[]`).
    public var host: String
    public var port: Int
    public var softBounce: Bool

    public init(domains: CutoverDomains, host: String, port: Int = 25, softBounce: Bool = true) {
        self.domains = domains
        self.host = host
        self.port = port
        self.softBounce = softBounce
    }

    /// `relay:[host]` or `relay:[host]:port`.
    public var route: String { port == 25 ? "relay:[\(host)]" : "relay:[\(host)]:\(port)" }

    /// The plan, given the backup taken when the hold began.
    public func plan(backup: CutoverBackup) -> PostfixPlan {
        var changes: [PostfixChange] = [
            .writeMap(name: CutoverDomains.transportMap, type: "regexp", content: domains.transportMapContent(route: route)),
        ]
        changes += RestorePlan.restoreParameters(["smtpd_recipient_restrictions"], from: backup)
        if softBounce { changes.append(.setParameters([PostfixParameter("soft_bounce", "yes")])) }
        changes += [
            .removeService(name: CutoverDomains.holdService, type: "unix"),
            .reload,
            .removeMap(name: CutoverDomains.holdMap, type: "regexp"),
            .releaseHeld(domains: domains.domains),
            .deliverQueued(domains: domains.domains),
        ]
        return PostfixPlan(kind: .relay, domains: domains.domains, changes: changes)
    }
}
