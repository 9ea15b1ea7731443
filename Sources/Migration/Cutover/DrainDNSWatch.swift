/// The drain's DNS watch: each drain check asks the domains' authoritative name servers and
/// the resolvers once whether they still name the old server. `mailferry dns watch`'s code
/// (Plan's `DNSWatch`) is the one the front end wires in, since Migration does not import
/// Plan; tests script the rounds.
public protocol DrainDNSWatch: Sendable {
    /// What a round asks, for `cutover plan`: one line per kind of question.
    var questions: [String] { get }
    /// One round of questions. A server that does not answer is in the round's summary and
    /// keeps it from being done; it never throws.
    func round() async -> DrainDNSRound
}

/// What one round saw.
public struct DrainDNSRound: Hashable, Sendable {
    /// Every server answered with an address, and none with an old one.
    public var done: Bool
    /// One line: how many answers lead to the new server, and which still do not.
    public var summary: String
    /// The answers that still named an address of the old server.
    public var oldAnswers: [OldDNSAnswer]

    public init(done: Bool, summary: String, oldAnswers: [OldDNSAnswer]) {
        self.done = done
        self.summary = summary
        self.oldAnswers = oldAnswers
    }
}

/// An answer that still named the old server, as the journal keeps it: a cache that fetched
/// it may serve it for its whole TTL after the moment it was seen.
public struct OldDNSAnswer: Hashable, Sendable, Codable, CustomStringConvertible {
    /// `authoritative 192.0.2.53` or `resolver 192.0.2.53`.
    public var server: String
    public var host: String
    public var addresses: [String]
    /// Seconds: the zone's TTL from an authoritative server, what is left of the cached copy
    /// from a resolver.
    public var ttl: Int

    public init(server: String, host: String, addresses: [String], ttl: Int) {
        self.server = server
        self.host = host
        self.addresses = addresses
        self.ttl = ttl
    }

    public var description: String { "\(server) answered \(host) \(addresses.joined(separator: " ")) (TTL \(ttl) s)" }
}
