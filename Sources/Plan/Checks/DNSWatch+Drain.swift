import DNSCodec
import MailferryConfig
import Migration

/// The cutover's drain asks through the same code as `mailferry dns watch`: one
/// ``observe()`` per drain check, the old answers handed over for the journal.
extension DNSWatch: DrainDNSWatch {
    public var questions: [String] {
        let domains = settings.domains.map(\.description).joined(separator: ", ")
        let roots = lookup.roots == DNSServer.internetRoots ? "the root servers" : lookup.roots.map(\.description).joined(separator: ", ")
        return [
            "the authoritative name servers of \(domains) (their NS records, followed from \(roots); port \(lookup.port)), without "
                + "recursion, for the MX, then the A and AAAA records of every MX host named",
            settings.resolvers.isEmpty ? "no resolver ([plan.dns] resolvers is empty)"
                : "the resolvers \(settings.resolvers.map(\.description).joined(separator: ", ")), the same questions",
            "an answer with \(settings.oldAddresses.map(\.description).joined(separator: " ")) (the old server), with no address, "
                + "or none at all holds the drain",
        ]
    }

    public func round() async -> DrainDNSRound {
        let round = await observe()
        return DrainDNSRound(done: round.done, summary: round.summary, oldAnswers: round.views.filter(\.leadsToOld).map {
            OldDNSAnswer(server: $0.server, host: $0.host, addresses: $0.addresses.map(\.description), ttl: Int($0.ttl))
        })
    }

    /// The watch the drain of `session` uses, for its `[cutover]` domains with the `[plan]`
    /// table's old addresses and name servers; nil when `[plan]` names no old address (the
    /// drain then does not watch DNS).
    public static func drain(for session: CutoverSession, transport: (any DNSTransport)? = nil) -> DNSWatch? {
        guard session.watchesDNS, let plan = session.plan else { return nil }
        // Loading validated the domain names, so none is dropped.
        return PlanRunner.dnsWatch(plan, domains: session.cutover.domains.compactMap { try? DNSName($0) }, transport: transport)
    }
}
