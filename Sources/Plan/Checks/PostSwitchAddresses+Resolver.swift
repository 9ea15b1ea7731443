import Cutover
import Foundation

extension PostSwitchAddresses {
    /// One pass through the staged configuration's rules, with its table answers cached.
    struct Resolver {
        var settings: Settings
        var tables: PostfixTables
        var domains: Set<String>
        /// Virtual alias expansion stops here, as Postfix's virtual_alias_recursion_limit
        /// does (much lower than its default: a plan reports a loop, it need not follow one).
        let depthLimit = 20
        private var domainClasses: [String: String] = [:]

        init(settings: Settings, tables: PostfixTables, domains: Set<String>) {
            self.settings = settings
            self.tables = tables
            self.domains = domains
        }

        /// The lookup keys Postfix tries for `address`, in its order.
        func keys(_ address: String, local: Bool) -> [String] {
            let (user, domain) = Self.split(address)
            var keys = [address]
            let base = strip(user)
            if base != user { keys.append("\(base)@\(domain)") }
            if local {
                keys.append(user)
                if base != user { keys.append(base) }
            }
            keys.append("@\(domain)")
            return keys
        }

        static func split(_ address: String) -> (user: String, domain: String) {
            guard let at = address.lastIndex(of: "@") else { return (address, "") }
            return (String(address[..<at]), String(address[address.index(after: at)...]))
        }

        /// The local part without its extension (from the first delimiter character on).
        func strip(_ user: String) -> String {
            let delimiters = settings.delimiters
            guard !delimiters.isEmpty, let index = user.firstIndex(where: delimiters.contains), index != user.startIndex else { return user }
            return String(user[..<index])
        }

        /// A map's answer for `address`; an extension the key did not carry is appended to
        /// the result when propagate_unmatched_extensions names `kind`.
        mutating func lookup(_ address: String, in parameter: String, kind: String) async throws -> [String]? {
            let maps = PostfixTables.maps(settings[parameter])
            guard !maps.isEmpty else { return nil }
            let (user, domain) = Self.split(address)
            let local = try await domainClass(domain) == "local"
            guard let found = try await tables.find(keys(address, local: local), in: maps, full: address) else { return nil }
            let (key, value) = found
            let base = strip(user)
            let ext = base == user ? "" : String(user.dropFirst(base.count))
            let propagate = !ext.isEmpty && !key.hasPrefix(user) && OldPostfixAddresses.list(settings["propagate_unmatched_extensions"]).contains(kind)
            return OldPostfixAddresses.list(value).map { target in
                let lowered = target.lowercased()
                guard propagate, target.first != "@" else { return lowered }
                let (targetUser, targetDomain) = Self.split(lowered)
                guard strip(targetUser) == targetUser else { return lowered }
                return targetDomain.isEmpty ? targetUser + ext : "\(targetUser)\(ext)@\(targetDomain)"
            }
        }

        /// The verdict for one address: canonical rewriting, virtual alias expansion, then
        /// the class of every result; with the addresses the expansion ended at.
        mutating func verdict(_ address: String) async throws -> (verdict: Verdict, finals: [String]) {
            let (current, finals, failure) = try await expansion(address)
            var relayed: [String] = []
            var accepted: [String] = []
            if let failure { return (.bounces(failure), finals) }
            for final in finals {
                switch try await deliver(final) {
                case .accepted(let how): accepted.append(how)
                case .relayed(let how): relayed.append(how)
                case .bounces(let why):
                    return (.bounces(final == address ? why : "\(address) becomes \(final): \(why)"), finals)
                }
            }
            if !relayed.isEmpty { return (.relayed(relayed.joined(separator: "; ")), finals) }
            let rewritten = current == address ? "" : "rewritten to \(current), "
            return (.accepted(rewritten + accepted.joined(separator: "; ")), finals)
        }

        /// Canonical rewriting, then virtual alias expansion: the address after rewriting, the
        /// addresses mail to it ends at, and the failure text of a loop.
        mutating func expansion(_ address: String) async throws -> (current: String, finals: [String], failure: String?) {
            var current = address
            for parameter in ["recipient_canonical_maps", "canonical_maps"] {
                if let rewritten = try await lookup(current, in: parameter, kind: "canonical")?.first {
                    current = rewritten.contains("@") ? rewritten : "\(rewritten)@\(Self.split(current).domain)"
                }
            }
            var finals: [String] = []
            let failure = try await expand(current, depth: 0, into: &finals)
            return (current, finals, failure)
        }

        /// virtual_alias_maps, recursively: the addresses mail to `address` ends at; a
        /// failure text for a loop.
        mutating func expand(_ address: String, depth: Int, into finals: inout [String]) async throws -> String? {
            guard depth < depthLimit else { return "virtual_alias_maps expand \(address) more than \(depthLimit) levels deep (a loop?)" }
            guard let targets = try await lookup(address, in: "virtual_alias_maps", kind: "virtual") else {
                finals.append(address)
                return nil
            }
            for target in targets {
                // An alias that names itself is delivered as it is, as Postfix does.
                if target == address {
                    finals.append(target)
                } else if let failure = try await expand(target.contains("@") ? target : "\(target)@\(Self.split(address).domain)", depth: depth + 1, into: &finals) {
                    return failure
                }
            }
            return nil
        }

        /// What the new Postfix does with an address no alias rewrites further: its address
        /// class decides, unless transport_maps bounces or drops what the class accepts.
        mutating func deliver(_ address: String) async throws -> Verdict {
            let verdict = try await deliverByClass(address)
            if case .bounces = verdict { return verdict }
            return try await transportOverride(address) ?? verdict
        }

        /// transport_maps' answer for `address` when it sends mail nowhere: an `error`
        /// transport (the mail bounces) or `discard` (it is dropped). Keys in transport(5)'s
        /// order: the address, without its extension, the domain, its parent domains as
        /// `.parent` (and as `parent` when parent_domain_matches_subdomains names
        /// transport_maps, which Postfix's default does not), then `*`.
        mutating func transportOverride(_ address: String) async throws -> Verdict? {
            let maps = PostfixTables.maps(settings["transport_maps"])
            guard !maps.isEmpty else { return nil }
            let (user, domain) = Self.split(address)
            var keys = [address]
            if strip(user) != user { keys.append("\(strip(user))@\(domain)") }
            keys.append(domain)
            let bareParents = OldPostfixAddresses.list(settings["parent_domain_matches_subdomains"]).contains("transport_maps")
            var labels = domain.split(separator: ".").map(String.init)
            while labels.count > 1 {
                labels.removeFirst()
                let parent = labels.joined(separator: ".")
                keys += bareParents ? [".\(parent)", parent] : [".\(parent)"]
            }
            keys.append("*")
            guard let (key, value) = try await tables.find(keys, in: maps, full: address) else { return nil }
            let transport = value.trimmingCharacters(in: .whitespaces)
            if transport == "error" || transport.hasPrefix("error:") {
                return .bounces("transport_maps sends it to \(transport) (key \(key)): it bounces")
            }
            if transport == "discard" || transport.hasPrefix("discard:") {
                return .bounces("transport_maps sends it to \(transport) (key \(key)): it is dropped without a bounce")
            }
            return nil
        }

        /// What the address class of `address` (and its recipient tables) make of it.
        mutating func deliverByClass(_ address: String) async throws -> Verdict {
            let (user, domain) = Self.split(address)
            switch try await domainClass(domain) {
            case "local":
                if let error = Self.errorTransport(settings["local_transport"]) { return .bounces("local_transport is \(error)") }
                let maps = PostfixTables.maps(settings["local_recipient_maps"])
                if !maps.isEmpty, try await tables.find(keys(address, local: true), in: maps, full: address) == nil {
                    return .bounces("5.1.1 User unknown in local recipient table (\(domain) is in mydestination; \(user) is in no local_recipient_maps table)")
                }
                return .accepted("local delivery to \(strip(user))")
            case "virtual-alias":
                return .bounces("5.1.1 User unknown in virtual alias table (\(domain) is a virtual_alias_domains domain)")
            case "virtual-mailbox":
                if let error = Self.errorTransport(settings["virtual_transport"]) { return .bounces("virtual_transport is \(error)") }
                let maps = PostfixTables.maps(settings["virtual_mailbox_maps"])
                guard try await tables.find(keys(address, local: false), in: maps, full: address) != nil else {
                    return .bounces("5.1.1 User unknown in virtual mailbox table")
                }
                return .accepted("mailbox \(address)")
            case "relay":
                let maps = PostfixTables.maps(settings["relay_recipient_maps"])
                if !maps.isEmpty, try await tables.find(keys(address, local: false), in: maps, full: address) == nil {
                    return .bounces("5.1.1 User unknown in relay recipient table")
                }
                return .relayed("\(domain) is in relay_domains: relayed, not delivered here")
            default:
                guard domains.contains(domain) else { return .accepted("forwarded to \(address)") }
                return .bounces("5.7.1 Relay access denied: \(domain) is in none of mydestination, virtual_alias_domains, virtual_mailbox_domains, relay_domains")
            }
        }

        /// Postfix's address class of a domain, in its order of precedence.
        mutating func domainClass(_ domain: String) async throws -> String {
            if let known = domainClasses[domain] { return known }
            var result = "default"
            for (parameter, name) in [("mydestination", "local"), ("virtual_alias_domains", "virtual-alias"),
                                      ("virtual_mailbox_domains", "virtual-mailbox"), ("relay_domains", "relay")] {
                if try await matches(domain, settings[parameter]) {
                    result = name
                    break
                }
            }
            domainClasses[domain] = result
            return result
        }

        /// A Postfix domain list: names (`.name` for subdomains) and tables asked for the name.
        mutating func matches(_ domain: String, _ list: String) async throws -> Bool {
            for item in OldPostfixAddresses.list(list.lowercased()) {
                if item.contains(":") {
                    let map = item.hasPrefix("proxy:") ? String(item.dropFirst(6)) : item
                    if try await tables.find([domain], in: [map], full: domain) != nil { return true }
                } else if item == domain || (item.hasPrefix(".") && domain.hasSuffix(item)) {
                    return true
                }
            }
            return false
        }

        /// The text of an `error:` transport (mail to it bounces), else nil.
        static func errorTransport(_ transport: String) -> String? {
            transport.hasPrefix("error:") ? transport : nil
        }
    }
}
