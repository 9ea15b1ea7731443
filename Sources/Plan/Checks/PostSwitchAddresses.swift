import Foundation
import Cutover
import PostfixControl

/// What the new Postfix will do with an address after the switch, asked of its staged
/// post-switch configuration directory with Postfix's own tools (`postconf -x`, `postmap -q`)
/// and Postfix's order: recipient_canonical_maps, canonical_maps, virtual_alias_maps
/// (recursively), then the address class of each result (mydestination and
/// local_recipient_maps, virtual_alias_domains, virtual_mailbox_domains and
/// virtual_mailbox_maps, relay_domains and relay_recipient_maps) and its transport. Every
/// lookup tries the forms Postfix tries: `user+ext@domain`, `user@domain`, `user+ext` and
/// `user` in a local domain, then `@domain`, with recipient_delimiter; an extension a map did
/// not match is carried over (propagate_unmatched_extensions).
///
/// An address its class accepts is then looked up in transport_maps, whose `error:` bounces
/// and `discard:` drops its mail.
///
/// A running instance is not needed and not asked: `sendmail -bv` and an RCPT probe would both
/// answer from the configuration live now (during the mirror phase the domains are relayed
/// to the old host) through the running trivial-rewrite, not from the staged one.
public struct PostSwitchAddresses: Sendable {
    public var postfix: PostfixHost
    /// The domains whose addresses are judged; an alias that leads elsewhere is a forward.
    public var domains: [String]

    public init(postfix: PostfixHost, domains: [String]) {
        self.postfix = postfix
        self.domains = domains.map { $0.lowercased() }
    }

    public enum Verdict: Sendable, Equatable {
        /// Delivered (or forwarded) by the new server; how, in words.
        case accepted(String)
        /// Relayed elsewhere by the new server (relay_domains): not delivered there.
        case relayed(String)
        /// Refused at RCPT or bounced after it.
        case bounces(String)
    }

    /// The settings of the staged configuration that decide.
    struct Settings {
        var values: [String: String]
        subscript(_ name: String) -> String { values[name] ?? "" }
        var delimiters: Set<Character> { Set(self["recipient_delimiter"]) }
    }

    static let parameters = [
        "mydestination", "virtual_alias_domains", "virtual_mailbox_domains", "relay_domains", "local_recipient_maps",
        "virtual_mailbox_maps", "relay_recipient_maps", "virtual_alias_maps", "recipient_canonical_maps", "canonical_maps",
        "recipient_delimiter", "local_transport", "virtual_transport", "propagate_unmatched_extensions", "transport_maps",
        "parent_domain_matches_subdomains",
    ]

    /// The staged configuration's recipient_delimiter (one or more characters; empty: none).
    public func delimiter() async throws -> String { try await settings()["recipient_delimiter"] }

    func settings() async throws -> Settings {
        let output = try await postfix.host.check(["\(postfix.commandDirectory)/postconf", "-c", postfix.configDirectory, "-h", "-x"] + Self.parameters)
        let lines = output.standardOutput.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        var values: [String: String] = [:]
        for (index, name) in Self.parameters.enumerated() where index < lines.count { values[name] = lines[index] }
        return Settings(values: values)
    }

    /// Each address's verdict.
    public func resolve(_ addresses: [String]) async throws -> [String: Verdict] {
        try await resolveWithFinals(addresses).mapValues(\.verdict)
    }

    /// Each address's verdict and where its mail ends after canonical rewriting and virtual
    /// alias expansion (lowercased, before delivery): what a `.forward` is compared with.
    public func resolveWithFinals(_ addresses: [String]) async throws -> [String: (verdict: Verdict, finals: [String])] {
        let settings = try await settings()
        var tables = PostfixTables(postfix: postfix)
        var resolver = Resolver(settings: settings, tables: tables, domains: Set(domains))
        // One postmap call per address table for every starting address's forms.
        let starts = addresses.map { $0.lowercased() }
        for name in ["recipient_canonical_maps", "canonical_maps", "virtual_alias_maps"] {
            for map in PostfixTables.maps(settings[name]) {
                try await tables.fetch(starts.flatMap { resolver.keys($0, local: true) }, in: map)
            }
        }
        resolver.tables = tables
        var results: [String: (verdict: Verdict, finals: [String])] = [:]
        for address in addresses {
            let result = try await resolver.verdict(address.lowercased())
            results[address] = (result.verdict, result.finals.map { $0.lowercased() })
        }
        return results
    }
}
