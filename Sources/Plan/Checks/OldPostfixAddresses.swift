import Cutover
import Foundation
import PostfixControl

/// The addresses the old Postfix accepts for the migrated domains, read from its own maps
/// with its own tools (`postconf -x`, `postmap -s`) on the old host, locally or over ssh as
/// the cutover reaches it: the local aliases of a domain in mydestination, the virtual
/// aliases, and the aliases no other server can run (pipes, files, `:include:` lists).
public struct OldPostfixAddresses: Sendable {
    public var postfix: PostfixHost

    public init(postfix: PostfixHost) {
        self.postfix = postfix
    }

    /// The old Postfix on this host.
    public init(configDirectory: String) {
        self.init(postfix: PostfixHost(host: LocalHost(name: "old (local)"), configDirectory: configDirectory))
    }

    /// One address and where it comes from.
    public struct Entry: Sendable, Equatable {
        public var address: String
        /// The map it is listed in (`hash:/etc/aliases`).
        public var map: String
        public var target: String
    }

    public struct Found: Sendable, Equatable {
        public var addresses: [Entry] = []
        /// Aliases to a program (`|...`), a file (`/...`) or an `:include:` list.
        public var local: [Entry] = []
        /// `@domain` keys of virtual_alias_maps: everything of the domain is accepted.
        public var catchAll: [Entry] = []
        /// Tables that could not be listed (regexp, pcre, SQL, LDAP, NSS...), with why: the
        /// addresses only in them are not checked.
        public var unlisted: [Unlisted] = []
        /// Local domains whose every local part the old Postfix accepts (an empty
        /// local_recipient_maps, or a static: one): it refuses no one at RCPT.
        public var everyLocalPart: [String] = []
        /// Regular users of the old host's passwd database (local_recipient_maps'
        /// unix:passwd.byname) that are no account: addresses of every local domain.
        public var passwdUsers: [String] = []
        /// The local domains (of those asked about) whose addresses ``passwdUsers`` are.
        public var passwdDomains: [String] = []
        /// The old Postfix's recipient_delimiter: with one, it accepts `user+tag` for every
        /// address it accepts.
        public var delimiter = ""
    }

    /// The addresses of `domains` the old Postfix lists: its aliases, virtual aliases and
    /// canonical maps' keys, and `accounts` (local users, `user` or `user@domain`) in each
    /// domain it delivers locally; then its tables of valid recipients
    /// (local_recipient_maps, virtual_mailbox_maps), with those that cannot be listed noted.
    public func addresses(for domains: [String], accounts: [String] = []) async throws -> Found {
        let local = Set(Self.list(try await expandedValue("mydestination")).map { $0.lowercased() })
        let wanted = domains.map { $0.lowercased() }
        var found = Found()
        found.delimiter = try await expandedValue("recipient_delimiter")
        for account in accounts.map({ $0.lowercased() }) {
            if let at = account.lastIndex(of: "@") {
                if wanted.contains(String(account[account.index(after: at)...])) {
                    found.addresses.append(Entry(address: account, map: "accounts", target: "mailbox"))
                }
            } else {
                for domain in wanted where local.contains(domain) {
                    found.addresses.append(Entry(address: "\(account)@\(domain)", map: "accounts", target: "mailbox"))
                }
            }
        }
        for parameter in ["recipient_canonical_maps", "canonical_maps"] {
            for map in Self.list(try await expandedValue(parameter)) {
                guard let entries = await listed(map, parameter: parameter, into: &found) else { continue }
                for (key, value) in entries {
                    let lowered = key.lowercased()
                    if let at = lowered.lastIndex(of: "@") {
                        guard at != lowered.startIndex, wanted.contains(String(lowered[lowered.index(after: at)...])) else { continue }
                        found.addresses.append(Entry(address: lowered, map: map, target: value))
                    } else {
                        for domain in wanted where local.contains(domain) {
                            found.addresses.append(Entry(address: "\(lowered)@\(domain)", map: map, target: value))
                        }
                    }
                }
            }
        }
        for map in Self.list(try await expandedValue("alias_maps")) {
            guard let entries = await listed(map, parameter: "alias_maps", into: &found) else { continue }
            for (key, value) in entries where !Self.isBookkeeping(key) {
                for domain in wanted where local.contains(domain) {
                    let entry = Entry(address: "\(key.lowercased())@\(domain)", map: map, target: value)
                    found.addresses.append(entry)
                    if Self.runsLocally(value) { found.local.append(entry) }
                }
            }
        }
        for map in Self.list(try await expandedValue("virtual_alias_maps")) {
            guard let entries = await listed(map, parameter: "virtual_alias_maps", into: &found) else { continue }
            for (key, value) in entries {
                let lowered = key.lowercased()
                guard let at = lowered.lastIndex(of: "@"), wanted.contains(String(lowered[lowered.index(after: at)...])) else { continue }
                let entry = Entry(address: lowered, map: map, target: value)
                if at == lowered.startIndex { found.catchAll.append(entry) } else { found.addresses.append(entry) }
            }
        }
        try await recipientTables(into: &found, local: local, wanted: wanted)
        return found
    }

    /// `postconf -h -x NAME`: the value with `$parameter`s expanded, as Postfix reads it.
    func expandedValue(_ name: String) async throws -> String {
        try await postfix.host.check(["\(postfix.commandDirectory)/postconf", "-c", postfix.configDirectory, "-h", "-x", name])
            .standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `postmap -s MAP`: every entry of an indexed map; nil (and the map noted) for a table
    /// that cannot be listed (regexp, pcre, SQL, LDAP), named by `parameter`.
    func listed(_ map: String, parameter: String, into found: inout Found) async -> [(key: String, value: String)]? {
        if let unlisted = Self.unlistable(map, parameter: parameter) {
            found.unlisted.append(unlisted)
            return nil
        }
        let byHand = "list it on the old host and check each address on the new server"
        do {
            let output = try await postfix.host.run(HostCommand(["\(postfix.commandDirectory)/postmap", "-c", postfix.configDirectory, "-s", map]))
            guard output.status == 0 else {
                found.unlisted.append(Unlisted(parameter: parameter, map: map, why: "postmap -s failed: \(output.firstLine)", byHand: byHand))
                return nil
            }
            return PostfixInstance.parseEntries(output.standardOutput)
        } catch {
            found.unlisted.append(Unlisted(parameter: parameter, map: map, why: "\(error)", byHand: byHand))
            return nil
        }
    }

    /// The entries postalias(1) adds to every alias database for Sendmail and NIS (`@`,
    /// `YP_LAST_MODIFIED`, `YP_MASTER_NAME`): not addresses anyone can send to.
    static func isBookkeeping(_ key: String) -> Bool {
        key.contains("@") || key.hasPrefix("YP_")
    }

    /// Whether an alias value delivers to something only the old host has.
    static func runsLocally(_ value: String) -> Bool {
        value.split(separator: ",").contains { part in
            let target = part.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            return target.hasPrefix("|") || target.hasPrefix("/") || target.lowercased().hasPrefix(":include:")
        }
    }

    /// A Postfix list value: separated by commas and white space.
    static func list(_ value: String) -> [String] {
        value.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init)
    }
}
