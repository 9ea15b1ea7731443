import DNSCodec

/// After the switch: whether every one of the domain's authoritative servers (secondaries
/// lag behind the primary until their zone transfer) and every named resolver now answers
/// the MX hosts' addresses without an old one. Rounds repeat until they all do; then caches
/// elsewhere may still hold the old address for as long as its TTL. Read-only: it only asks.
public struct DNSWatch: Sendable {
    public var lookup: AuthoritativeLookup
    public var settings: DNSPlanSettings

    public init(lookup: AuthoritativeLookup, settings: DNSPlanSettings) {
        self.lookup = lookup
        self.settings = settings
    }

    /// What one server answered for one host's A and AAAA records.
    public struct View: Sendable, Equatable {
        /// `authoritative 192.0.2.53` or `resolver 192.0.2.53`.
        public var server: String
        public var host: String
        public var addresses: [IPAddress]
        /// The longest TTL of the answer: the zone's for an authoritative server, what is
        /// left of the cached copy for a resolver.
        public var ttl: UInt32
        public var leadsToOld: Bool
        public var error: String?
    }

    /// One round of questions.
    public struct Round: Sendable, Equatable {
        public var views: [View]
        /// Every server answered with an address, and none with an old one.
        public var done: Bool { !views.isEmpty && waiting.isEmpty }
        /// The answers still missing: an old address, no address (a name in flux), or no answer.
        public var waiting: [View] { views.filter { $0.leadsToOld || $0.error != nil || $0.addresses.isEmpty } }

        /// One line for the terminal.
        public var summary: String {
            let answered = views.filter { $0.error == nil }.count
            guard !done else { return "all \(views.count) answers lead to the new server" }
            let detail = waiting.prefix(4).map { view in
                view.error.map { "\(view.server) for \(view.host): \($0)" }
                    ?? (view.addresses.isEmpty ? "\(view.server) has no address for \(view.host)"
                        : "\(view.server) still answers \(view.host) \(view.addresses.map(\.description).joined(separator: " ")) (TTL \(view.ttl) s)")
            }
            return "\(views.count - waiting.count) of \(views.count) answers lead to the new server (\(answered) answered); waiting for "
                + detail.joined(separator: "; ") + (waiting.count > 4 ? "; and \(waiting.count - 4) more" : "")
        }
    }

    /// Asks every authoritative server of each domain and every resolver once.
    public func observe() async -> Round {
        var views: [View] = []
        for domain in settings.domains {
            var hosts = [domain]
            if let mx = try? await lookup.query(domain, .mx) {
                let exchanges = mx.records.compactMap { record -> DNSName? in
                    guard case .mx(_, let exchange) = record.data else { return nil }
                    return exchange
                }
                if !exchanges.isEmpty { hosts = exchanges }
            }
            let servers = await zoneServers(domain)
            for host in hosts {
                for server in servers {
                    views.append(await view(host, from: server, label: "authoritative \(server)", recursive: false))
                }
                for resolver in settings.resolvers {
                    views.append(await view(host, from: resolver, label: "resolver \(resolver)", recursive: true))
                }
            }
        }
        return Round(views: views)
    }

    /// Rounds `interval` apart on `clock` until one is done or `rounds` ran; each is handed to
    /// `report`. Returns the last round and the longest TTL an old answer carried, how long
    /// caches that fetched it may still serve it.
    public func watch<C: Clock>(clock: C, interval: Duration, rounds: Int, report: (Round) -> Void) async throws -> (last: Round, oldTTL: UInt32)
    where C.Duration == Duration {
        var oldTTL: UInt32 = 0
        var round = Round(views: [])
        for index in 0..<max(1, rounds) {
            if index > 0 { try await clock.sleep(for: interval) }
            round = await observe()
            oldTTL = max(oldTTL, round.views.filter(\.leadsToOld).map(\.ttl).max() ?? 0)
            report(round)
            if round.done { break }
        }
        return (round, oldTTL)
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
