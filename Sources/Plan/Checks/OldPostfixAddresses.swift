import Foundation
import PostfixControl

/// The addresses the old Postfix accepts for the migrated domains, read from its own maps
/// with its own tools (`postconf -x`, `postmap -s`): the local aliases of a domain in
/// mydestination, the virtual aliases, and the aliases no other server can run (pipes,
/// files, `:include:` lists).
public struct OldPostfixAddresses: Sendable {
    public var instance: PostfixInstance

    public init(configDirectory: String) {
        instance = PostfixInstance(configDirectory: configDirectory)
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
        /// Maps that could not be listed (regexp, pcre, SQL, LDAP...), with why.
        public var unlisted: [String] = []
    }

    public func addresses(for domains: [String]) throws -> Found {
        let local = Set(Self.list(try instance.expandedValue("mydestination")).map { $0.lowercased() })
        let wanted = domains.map { $0.lowercased() }
        var found = Found()
        for map in Self.list(try instance.expandedValue("alias_maps")) {
            guard let entries = listed(map, into: &found) else { continue }
            for (key, value) in entries where !Self.isBookkeeping(key) {
                for domain in wanted where local.contains(domain) {
                    let entry = Entry(address: "\(key.lowercased())@\(domain)", map: map, target: value)
                    found.addresses.append(entry)
                    if Self.runsLocally(value) { found.local.append(entry) }
                }
            }
        }
        for map in Self.list(try instance.expandedValue("virtual_alias_maps")) {
            guard let entries = listed(map, into: &found) else { continue }
            for (key, value) in entries {
                let lowered = key.lowercased()
                guard let at = lowered.lastIndex(of: "@"), wanted.contains(String(lowered[lowered.index(after: at)...])) else { continue }
                let entry = Entry(address: lowered, map: map, target: value)
                if at == lowered.startIndex { found.catchAll.append(entry) } else { found.addresses.append(entry) }
            }
        }
        return found
    }

    private func listed(_ map: String, into found: inout Found) -> [(key: String, value: String)]? {
        do {
            return try instance.entries(of: map)
        } catch {
            found.unlisted.append("\(map): \(error)")
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
