import DNSCodec
import Foundation

/// After the switch: whether every one of the domain's authoritative servers (secondaries
/// lag behind the primary until their zone transfer) and every named resolver now answers
/// the MX and the MX hosts' addresses without an old one. Rounds repeat until they all do;
/// then caches elsewhere may still hold the old address for as long as its TTL. Read-only:
/// it only asks.
///
/// `mailferry dns watch` runs ``watch(clock:interval:for:now:report:)``; a caller that
/// schedules its own rechecks (the cutover's drain, every minute) calls ``observe()`` once
/// per check and keeps the latest old answer's time and TTL itself.
public struct DNSWatch: Sendable {
    public var lookup: AuthoritativeLookup
    public var settings: DNSPlanSettings

    public init(lookup: AuthoritativeLookup, settings: DNSPlanSettings) {
        self.lookup = lookup
        self.settings = settings
    }

    /// Asks every authoritative server of each domain and every resolver once: each for the
    /// domain's MX, then for the A and AAAA records of every MX host any of them named (a
    /// secondary still serving an old MX name keeps that name's addresses in the round).
    public func observe() async -> Round {
        var views: [View] = []
        var allHosts: [String] = []
        for domain in settings.domains {
            let servers = await zoneServers(domain)
            let askers = servers.map { ($0, "authoritative \($0)", false) } + settings.resolvers.map { ($0, "resolver \($0)", true) }
            var hosts: [DNSName] = []
            for (server, _, recursive) in askers {
                for host in await exchanges(domain, from: server, recursive: recursive) where !hosts.contains(host) { hosts.append(host) }
            }
            if hosts.isEmpty { hosts = [domain] }
            allHosts += hosts.map(\.description)
            for host in hosts {
                for (server, label, recursive) in askers {
                    // The domain's own servers are asked only for names of their zone; an MX
                    // host elsewhere is seen through the resolvers.
                    if !recursive && !host.isSubdomain(of: domain) { continue }
                    views.append(await view(host, from: server, label: label, recursive: recursive))
                }
            }
        }
        return Round(views: views, hosts: allHosts)
    }

    /// Rounds `interval` apart on `clock`, the first at once, until one is done or the next
    /// would start after `limit`; each is handed to `report` with the outcome so far.
    public func watch<C: Clock>(clock: C, interval: Duration, for limit: Duration, now: () -> Date = Date.init,
                                report: (Outcome) -> Void) async throws -> Outcome where C.Duration == Duration {
        let deadline = clock.now.advanced(by: limit)
        var outcome = Outcome(last: Round(views: []), rounds: 0, oldTTL: 0)
        while true {
            if outcome.rounds > 0 { try await clock.sleep(for: interval) }
            let round = await observe()
            outcome.last = round
            outcome.rounds += 1
            let old = round.views.filter(\.leadsToOld)
            if !old.isEmpty {
                outcome.lastOldSeen = now()
                outcome.oldTTL = max(outcome.oldTTL, old.map(\.ttl).max() ?? 0)
            }
            report(outcome)
            if round.done || clock.now.advanced(by: interval) > deadline { return outcome }
        }
    }

    /// The addresses of the domain's NS records, asked of the zone itself.
    func zoneServers(_ domain: DNSName) async -> [DNSServer] {
        guard let ns = try? await lookup.query(domain, .ns) else { return [] }
        var servers: [DNSServer] = []
        for name in ns.records.compactMap(\.data.target) {
            for address in (try? await lookup.addresses(of: name))?.compactMap(\.data.address) ?? [] {
                let server = DNSServer(address: address, port: lookup.port)
                if !servers.contains(server) { servers.append(server) }
            }
        }
        return servers.isEmpty ? [ns.server] : servers
    }

    /// The MX hosts `server` names for `domain`; none when it does not answer.
    func exchanges(_ domain: DNSName, from server: DNSServer, recursive: Bool) async -> [DNSName] {
        guard let response = try? await lookup.transport.exchange(.query(id: 0, name: domain, type: .mx, recursionDesired: recursive), with: server)
        else { return [] }
        return response.answers(for: domain, type: .mx).compactMap { record in
            guard case .mx(_, let exchange) = record.data else { return nil }
            return exchange
        }
    }

    func view(_ host: DNSName, from server: DNSServer, label: String, recursive: Bool) async -> View {
        var records: [DNSResourceRecord] = []
        for type in [DNSRecordType.a, .aaaa] {
            do {
                let response = try await lookup.transport.exchange(.query(id: 0, name: host, type: type, recursionDesired: recursive), with: server)
                records += response.answers(for: host, type: type)
            } catch {
                return View(server: label, host: host.description, addresses: [], ttl: 0, leadsToOld: false, error: "\(error)")
            }
        }
        let addresses = records.compactMap(\.data.address)
        return View(server: label, host: host.description, addresses: addresses, ttl: records.map(\.ttl).max() ?? 0,
                    leadsToOld: addresses.contains(where: settings.oldAddresses.contains))
    }
}
