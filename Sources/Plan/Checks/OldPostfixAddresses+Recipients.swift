import Cutover
import Foundation

extension OldPostfixAddresses {
    /// A table whose addresses the plan cannot list entry by entry (SQL, LDAP, a pattern
    /// table, users that come through NSS), so the addresses only in it are not checked:
    /// the report names it and says how to list it by hand.
    public struct Unlisted: Sendable, Equatable, CustomStringConvertible {
        /// The Postfix parameter that names it (`virtual_mailbox_maps`).
        public var parameter: String
        public var map: String
        public var why: String
        /// How the admin lists it by hand.
        public var byHand: String
        /// Of the accounts' addresses asked of it with `postmap -q`: how many were asked and
        /// how many it knows (nil: it was not asked).
        public var asked = 0
        public var known: Int?

        public var description: String { "\(map) (\(parameter)): \(why)" }
    }

    /// Regular users (uid 1000 and up, not nobody) are people; the system users below are
    /// daemons whose mail the aliases send to root.
    static let firstRegularUID = 1000
    /// At most this many passwd entries are read.
    static let maximumPasswdLines = 200_000
    /// NSS sources whose users `getent passwd` lists in full.
    static let enumerableSources: Set<String> = ["files", "compat", "systemd", "altfiles", "extrausers"]

    /// What kind of table `map` is (`proxy:` looked through): nil when `postmap -s` lists it.
    static func unlistable(_ map: String, parameter: String) -> Unlisted? {
        let inner = map.hasPrefix("proxy:") ? String(map.dropFirst(6)) : map
        let type = inner.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
        let file = inner.split(separator: ":", maxSplits: 1).last.map(String.init) ?? ""
        switch type {
        case "mysql", "pgsql", "sqlite":
            return Unlisted(parameter: parameter, map: map, why: "an SQL table",
                            byHand: "run the query of \(file) without its WHERE clause on the database to list the keys, and check each on the new server")
        case "ldap":
            return Unlisted(parameter: parameter, map: map, why: "an LDAP directory",
                            byHand: "list the entries with ldapsearch, using the search_base and query_filter (with %s as *) of \(file), and check each on the new server")
        case "regexp", "pcre":
            return Unlisted(parameter: parameter, map: map, why: "a pattern table: it matches addresses it does not list",
                            byHand: "read the patterns in \(file) and give the new server the same ones (or the addresses they are meant to match)")
        case "memcache", "socketmap", "tcp", "nis", "nisplus", "netinfo":
            return Unlisted(parameter: parameter, map: map, why: "a \(type) service, which cannot be listed",
                            byHand: "list its keys where the service keeps them, and check each on the new server")
        default:
            return nil
        }
    }

    /// The tables of valid recipients: local_recipient_maps for the domains in mydestination,
    /// virtual_mailbox_maps for the domains in virtual_mailbox_domains. Listable tables add
    /// their addresses; the others are noted, and asked about the accounts' addresses.
    func recipientTables(into found: inout Found, local: Set<String>, wanted: [String]) async throws {
        var tables = PostfixTables(postfix: postfix)
        let localWanted = wanted.filter(local.contains)
        if !localWanted.isEmpty {
            let maps = Self.list(try await expandedValue("local_recipient_maps"))
            if maps.isEmpty { found.everyLocalPart = localWanted }
            for map in maps {
                if map.hasPrefix("static:") {
                    found.everyLocalPart = localWanted
                } else if map.hasSuffix("unix:passwd.byname") {
                    try await passwd(map, into: &found)
                    found.passwdDomains = localWanted
                } else {
                    try await table(map, parameter: "local_recipient_maps", domains: localWanted, local: true, tables: &tables, into: &found)
                }
            }
        }
        guard wanted.contains(where: { !local.contains($0) }) else { return }
        var mailboxDomains: [String] = []
        let listed = Self.list(try await expandedValue("virtual_mailbox_domains").lowercased())
        for domain in wanted where !local.contains(domain) {
            for item in listed {
                var matches = item == domain
                if !matches, item.contains(":") {
                    do {
                        matches = try await tables.find([domain], in: PostfixTables.maps(item), full: domain) != nil
                    } catch {
                        found.unlisted.append(Unlisted(parameter: "virtual_mailbox_domains", map: item, why: "postmap -q failed on the old host: \(error)",
                                                       byHand: "check whether \(domain) is one of its domains, and if so its mailboxes"))
                    }
                }
                if matches {
                    mailboxDomains.append(domain)
                    break
                }
            }
        }
        guard !mailboxDomains.isEmpty else { return }
        for map in Self.list(try await expandedValue("virtual_mailbox_maps")) {
            try await table(map, parameter: "virtual_mailbox_maps", domains: mailboxDomains, local: false, tables: &tables, into: &found)
        }
    }

    /// One recipient table: its keys in `domains` when it can be listed, else a note with
    /// how many of the accounts' addresses it knows.
    private func table(_ map: String, parameter: String, domains: [String], local: Bool, tables: inout PostfixTables, into found: inout Found) async throws {
        if var unlisted = Self.unlistable(map, parameter: parameter) {
            let accounts = found.addresses.filter { $0.map == "accounts" && domains.contains(PostSwitchAddresses.Resolver.split($0.address).domain) }.map(\.address)
            if !accounts.isEmpty, !PostfixTables.isPattern(PostfixTables.maps(map).first ?? map) {
                let keys = accounts.map { address in local ? [address, PostSwitchAddresses.Resolver.split(address).user] : [address] }
                var known = 0
                do {
                    try await tables.fetch(keys.flatMap { $0 }, in: PostfixTables.maps(map).first ?? map)
                    for key in keys {
                        if try await tables.find(key, in: PostfixTables.maps(map), full: key[0]) != nil { known += 1 }
                    }
                    unlisted.asked = accounts.count
                    unlisted.known = known
                } catch {
                    unlisted.why += "; postmap -q failed on the old host: \(error)"
                }
            }
            found.unlisted.append(unlisted)
            return
        }
        guard let entries = await listed(map, parameter: parameter, into: &found) else { return }
        let known = Set(found.addresses.map(\.address))
        for (key, _) in entries where key != "@" && !key.hasPrefix("YP_") {
            let lowered = key.lowercased()
            var addresses: [String] = []
            if let at = lowered.lastIndex(of: "@") {
                if at == lowered.startIndex {
                    if domains.contains(String(lowered.dropFirst())) { found.catchAll.append(Entry(address: lowered, map: map, target: "every address")) }
                    continue
                }
                if domains.contains(String(lowered[lowered.index(after: at)...])) { addresses = [lowered] }
            } else if local {
                addresses = domains.map { "\(lowered)@\($0)" }
            }
            for address in addresses where !known.contains(address) {
                found.addresses.append(Entry(address: address, map: map, target: local ? "local recipient" : "mailbox"))
            }
        }
    }

    /// local(8)'s `unix:passwd.byname`: every user of the old host's passwd database is an
    /// address of the domains in mydestination. The regular ones that are no account are
    /// listed; users from a directory (LDAP, SSSD, NIS) are noted, since getent may not list
    /// them all.
    private func passwd(_ map: String, into found: inout Found) async throws {
        let nss = try await OldHostFiles.read(["nsswitch.conf"], in: "/etc", on: postfix.host, limit: 64 * 1024)?.first
        let sources = Self.passwdSources(nss.map { String(decoding: $0.bytes, as: UTF8.self) })
        let others = sources.filter { !Self.enumerableSources.contains($0) }
        if !others.isEmpty {
            found.unlisted.append(Unlisted(parameter: "local_recipient_maps", map: map,
                                           why: "the old host's users come through NSS from \(others.joined(separator: ", ")) too (nsswitch.conf: passwd: \(sources.joined(separator: " "))), and getent passwd may not list them all",
                                           byHand: "list the users of \(others.joined(separator: ", ")) in that directory itself, and check that each one that gets mail has an account or an alias on the new server"))
        }
        // A directory behind NSS may enumerate millions of users: the list is bounded.
        let output = try await postfix.host.check(["/bin/sh", "-c", "getent passwd | head -n \(Self.maximumPasswdLines)"], timeout: .seconds(120))
        let lines = output.standardOutput.split(separator: "\n")
        if lines.count >= Self.maximumPasswdLines {
            found.unlisted.append(Unlisted(parameter: "local_recipient_maps", map: map,
                                           why: "getent passwd lists more than \(Self.maximumPasswdLines) users; only the first \(Self.maximumPasswdLines) were compared with the accounts",
                                           byHand: "compare the old host's users with the accounts and the new server's users with a script of your own"))
        }
        let accounts = Set(found.addresses.filter { $0.map == "accounts" }.map { PostSwitchAddresses.Resolver.split($0.address).user })
        var users: Set<String> = []
        for line in lines {
            let fields = line.split(separator: ":", omittingEmptySubsequences: false)
            guard fields.count >= 3, let uid = Int(fields[2]), uid >= Self.firstRegularUID, uid != 65534 else { continue }
            let name = fields[0].lowercased()
            if !accounts.contains(name) { users.insert(name) }
        }
        found.passwdUsers = users.sorted()
    }

    /// The sources of nsswitch.conf's `passwd:` line (glibc's default, `files`, without one).
    static func passwdSources(_ text: String?) -> [String] {
        for line in (text ?? "").split(separator: "\n") {
            let content = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let fields = content.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard let first = fields.first, first == "passwd:" else { continue }
            // `[NOTFOUND=return]` is an action, not a source.
            return fields.dropFirst().filter { !$0.hasPrefix("[") }.map { String($0) }
        }
        return ["files"]
    }
}
