/// Enter the hold on the old server, in one reload:
/// - smtpd: `check_recipient_access` returns HOLD for the domains, so mail is accepted with
///   250 and parked in the hold queue, which no flush touches;
/// - every other path (local submission through pickup, mail already queued, sessions that
///   began before the reload): the domains route to the `mailferry-hold` pipe service, which
///   defers every attempt, flushes included;
/// - the mirror's bcc off, and queued mirror copies routed to `discard:` and tried at once.
public struct HoldPlan: Hashable, Sendable {
    public var domains: CutoverDomains

    public init(domains: CutoverDomains) {
        self.domains = domains
    }

    /// The plan for an instance whose explicit settings are `current` (`postconf -n`).
    public func plan(current: [String: String], mailferryDirectory directory: String) -> PostfixPlan {
        let holdSpec = domains.spec(CutoverDomains.holdMap, type: "regexp", in: directory)
        let transportSpec = domains.spec(CutoverDomains.transportMap, type: "regexp", in: directory)
        var changes: [PostfixChange] = [
            .writeMap(name: CutoverDomains.holdMap, type: "regexp", content: domains.holdMapContent),
            .writeMap(name: CutoverDomains.transportMap, type: "regexp",
                      content: domains.transportMapContent(route: "\(CutoverDomains.holdService):")),
            .setService(name: CutoverDomains.holdService, type: "unix", entry: CutoverDomains.holdServiceEntry),
            .setParameters([
                PostfixParameter("smtpd_recipient_restrictions",
                                 CutoverDomains.prepend("check_recipient_access \(holdSpec)", to: current["smtpd_recipient_restrictions"])),
                PostfixParameter("transport_maps", CutoverDomains.prepend(transportSpec, to: current["transport_maps"])),
            ]),
        ]
        if let bcc = current["recipient_bcc_maps"], bcc == Self.mirrorBccSpec(directory) {
            changes.append(.removeParameters(["recipient_bcc_maps"]))
        }
        changes += [.reload, .deliverQueued(domains: domains.shadowDomains)]
        return PostfixPlan(kind: .hold, domains: domains.domains, changes: changes)
    }

    /// The bcc map `postfix mirror` installs; the hold turns only this one off.
    static func mirrorBccSpec(_ directory: String) -> String { "regexp:\(directory)/recipient_bcc.regexp" }
}
