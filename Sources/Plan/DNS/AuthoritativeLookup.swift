import DNSCodec
import MailferryConfig

/// What a zone's own name servers say about one name and type: the records with the TTLs
/// the zone publishes (not what is left of a cached copy), or that there are none.
public struct AuthoritativeAnswer: Sendable, Equatable {
    public var name: DNSName
    public var type: DNSRecordType
    /// The records of `type`, after any CNAME chain.
    public var records: [DNSResourceRecord]
    /// CNAME records on the way, whose TTLs count too.
    public var aliases: [DNSResourceRecord]
    public var responseCode: DNSResponseCode
    /// The server that answered with AA set.
    public var server: DNSServer
    /// The zone's SOA from a negative answer: its minimum is how long resolvers remember
    /// that the name or type does not exist (RFC 2308).
    public var negativeTTL: UInt32?

    /// The longest TTL among the records and aliases (0 when there are none).
    public var longestTTL: UInt32 { (records + aliases).map(\.ttl).max() ?? 0 }
}

/// Why no authoritative answer could be had.
public enum DNSLookupError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Every server asked at one step failed; the last failure.
    case unreachable(DNSName, [DNSClientError])
    /// A server answered neither authoritatively nor with a referral further down.
    case lame(DNSName, DNSServer, DNSResponseCode)
    /// More referrals (or CNAME links, or glueless NS lookups) than a sane zone needs.
    case tooDeep(DNSName)

    public var description: String {
        switch self {
        case .unreachable(let name, let errors): return "no name server answered for \(name): \(errors.map(\.description).joined(separator: "; "))"
        case .lame(let name, let server, let code): return "\(server) neither answered for \(name) nor referred further (\(code))"
        case .tooDeep(let name): return "too many referrals, aliases or glueless name servers for \(name)"
        }
    }
}

/// Follows the NS chain from the roots down to the servers authoritative for a name and asks
/// them without recursion (RD=0), as a resolver does, but keeping the zone's own TTLs.
/// `roots` and `port` are configurable so tests run the whole chain on loopback.
public struct AuthoritativeLookup: Sendable {
    public var transport: any DNSTransport
    public var roots: [DNSServer]
    /// The port of name servers found through NS records (53 outside tests).
    public var port: Int
    /// Referrals followed for one name before giving up (the root, a TLD, a zone, and slack).
    public var maxReferrals = 12

    public init(transport: any DNSTransport, roots: [DNSServer] = DNSServer.internetRoots, port: Int = 53) {
        self.transport = transport
        self.roots = roots
        self.port = port
    }

    public func query(_ name: DNSName, _ type: DNSRecordType) async throws(DNSLookupError) -> AuthoritativeAnswer {
        try await query(name, type, depth: 0)
    }

    /// The addresses (A and AAAA) of a host, each with its TTL.
    public func addresses(of host: DNSName) async throws(DNSLookupError) -> [DNSResourceRecord] {
        let v4 = try await query(host, .a)
        let v6 = try await query(host, .aaaa)
        return v4.records + v6.records
    }

    /// `depth` counts nested lookups (CNAME targets, glueless name servers) so that a zone
    /// pointing at itself ends in `tooDeep` instead of recursing forever.
    private func query(_ name: DNSName, _ type: DNSRecordType, depth: Int) async throws(DNSLookupError) -> AuthoritativeAnswer {
        guard depth < 6 else { throw .tooDeep(name) }
        var servers = roots
        var zone = DNSName.root
        let aliases: [DNSResourceRecord] = []
        let current = name
        for _ in 0..<maxReferrals {
            let (response, server) = try await ask(servers, current, type)
            if response.isAuthoritative {
                let records = response.answers(for: current, type: type)
                let chain = response.answers.filter { $0.type == .cname }
                if records.isEmpty, type != .cname, let target = Self.chainEnd(from: current, in: chain) {
                    // The CNAME leaves this answer: ask again for its target, from the roots.
                    var next = try await query(target, type, depth: depth + 1)
                    next.aliases = aliases + chain + next.aliases
                    next.name = name
                    return next
                }
                let negative = response.authority.compactMap { record -> UInt32? in
                    guard case .soa(let soa) = record.data else { return nil }
                    return min(soa.minimum, record.ttl)
                }.first
                return AuthoritativeAnswer(
                    name: name, type: type, records: records, aliases: aliases + chain, responseCode: response.responseCode,
                    server: server, negativeTTL: records.isEmpty ? negative : nil)
            }
            // A referral: NS records for a zone closer to the name than the current one.
            let referral = response.authority.filter { $0.type == .ns && current.isSubdomain(of: $0.name) && $0.name.labels.count > zone.labels.count }
            guard response.responseCode == .noError, let cut = referral.first?.name else {
                throw .lame(current, server, response.responseCode)
            }
            zone = cut
            var next: [DNSServer] = []
            var glueless: [DNSName] = []
            for target in referral.compactMap(\.data.target) {
                let glue = response.additional.filter { $0.name == target && ($0.type == .a || $0.type == .aaaa) }.compactMap(\.data.address)
                if glue.isEmpty { glueless.append(target) }
                next += glue.map { DNSServer(address: $0, port: port) }
            }
            if next.isEmpty {
                for target in glueless where next.isEmpty {
                    if let found = try? await query(target, .a, depth: depth + 1) {
                        next += found.records.compactMap(\.data.address).map { DNSServer(address: $0, port: port) }
                    }
                }
            }
            guard !next.isEmpty else { throw .lame(current, server, response.responseCode) }
            servers = next
        }
        throw .tooDeep(name)
    }

    /// Where a CNAME chain starting at `name` ends within `chain` (at most 8 links).
    static func chainEnd(from name: DNSName, in chain: [DNSResourceRecord]) -> DNSName? {
        var current = name
        for _ in 0..<8 {
            guard let next = chain.first(where: { $0.name == current })?.data.target else { return current == name ? nil : current }
            current = next
        }
        return nil
    }

    /// Asks the servers in turn until one answers.
    private func ask(_ servers: [DNSServer], _ name: DNSName, _ type: DNSRecordType) async throws(DNSLookupError) -> (DNSMessage, DNSServer) {
        var errors: [DNSClientError] = []
        var refusal: (DNSServer, DNSResponseCode)?
        for server in servers {
            do {
                let response = try await transport.exchange(.query(id: 0, name: name, type: type, recursionDesired: false), with: server)
                if response.responseCode == .serverFailure || response.responseCode == .refused {
                    refusal = (server, response.responseCode)
                    continue
                }
                return (response, server)
            } catch {
                errors.append(error)
            }
        }
        if let refusal { throw .lame(name, refusal.0, refusal.1) }
        throw .unreachable(name, errors)
    }
}
