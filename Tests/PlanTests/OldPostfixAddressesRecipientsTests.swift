import Cutover
import Foundation
import Testing

@testable import Plan

/// The old Postfix's tables of valid recipients, one fixture main.cf per map type, read with
/// the real postconf (and postmap -s for a listable table). The SQL and LDAP servers, the
/// passwd database and nsswitch.conf are the fixture's: postmap -q and getent are answered
/// from tables.
private let virtualDomain = "mydestination = localhost\nvirtual_mailbox_domains = old.example\n"
private let localDomain = "mydestination = old.example, localhost\n"

@Suite struct OldPostfixAddressesRecipientsTests {
    final class FixtureHost: Cutover.Host, @unchecked Sendable {
        let name = "root@old.example"
        let local = LocalHost()
        let passwd: String
        let nsswitch: String?
        /// map -> key -> value, as the server behind the map answers postmap -q.
        let tables: [String: [String: String]]

        init(passwd: String, nsswitch: String?, tables: [String: [String: String]]) {
            self.passwd = passwd
            self.nsswitch = nsswitch
            self.tables = tables
        }

        func run(_ command: HostCommand) async throws -> CommandOutput {
            let argv = command.argv
            func output(_ status: Int32, _ text: String, _ error: String = "") -> CommandOutput {
                CommandOutput(command: command, status: status, standardOutput: text, standardError: error, duration: .zero)
            }
            if argv[0].hasSuffix("/postconf") || (argv[0].hasSuffix("/postmap") && argv.contains("-s")) { return try await local.run(command) }
            if argv == ["/bin/sh", "-c", "getent passwd | head -n 200000"] { return output(0, passwd) }
            if argv[0] == "/bin/sh", argv.last == "nsswitch.conf" {
                guard let nsswitch else { return output(0, "") }
                return output(0, "\(Data("nsswitch.conf".utf8).base64EncodedString())\n\(nsswitch.utf8.count)\n\(Data(nsswitch.utf8).base64EncodedString())\n")
            }
            if argv[0].hasSuffix("/postmap"), argv.contains("-q"), let map = argv.last {
                guard let table = tables[map] else { return output(2, "", "postmap: fatal: unsupported dictionary type: \(map.prefix { $0 != ":" })") }
                let keys = String(decoding: command.input ?? [], as: UTF8.self).split(separator: "\n").map(String.init)
                let found = keys.compactMap { key in table[key].map { "\(key)\t\($0)" } }
                return output(found.isEmpty ? 1 : 0, found.joined(separator: "\n") + (found.isEmpty ? "" : "\n"))
            }
            Issue.record("the plan ran \(argv) on the old host")
            return output(1, "")
        }

        func writeFile(_ path: String, _ bytes: [UInt8], permissions: Int) async throws { Issue.record("wrote \(path)") }
        func readFile(_ path: String) async throws -> [UInt8]? { Issue.record("read \(path) unbounded"); return nil }
        func removeFile(_ path: String) async throws { Issue.record("removed \(path)") }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        /// main.cf lines after the common ones; DIR is the fixture's directory.
        var mainCF: String
        var nsswitch: String? = nil
        var tables: [String: [String: String]] = [:]
        /// `map known/asked` of each table that cannot be listed (`-` when not asked).
        var unlisted: [String] = []
        /// A part of each one's why.
        var why: [String] = []
        var everyLocalPart: [String] = []
        var passwdUsers: [String] = []
        var newAddresses: [String] = []
        var testDescription: String { name }
    }

    static let passwd = "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1::/usr/sbin:/usr/sbin/nologin\nalice:x:1000:1000::/home/alice:/bin/bash\n"
        + "Bob:x:1001:1001::/home/bob:/bin/bash\nnobody:x:65534:65534::/nonexistent:/usr/sbin/nologin\n"

    @Test("each kind of recipient table: listed, or named with how many of the accounts it knows", arguments: [
        Case(name: "mysql", mainCF: virtualDomain + "virtual_mailbox_maps = mysql:/etc/postfix/mysql-mailboxes.cf",
             tables: ["mysql:/etc/postfix/mysql-mailboxes.cf": ["alice@old.example": "old.example/alice/"]],
             unlisted: ["mysql:/etc/postfix/mysql-mailboxes.cf 1/2"], why: ["an SQL table"]),
        Case(name: "pgsql behind proxy", mainCF: virtualDomain + "virtual_mailbox_maps = proxy:pgsql:/etc/postfix/pg.cf",
             tables: ["pgsql:/etc/postfix/pg.cf": ["alice@old.example": "a/", "carol@old.example": "c/"]],
             unlisted: ["proxy:pgsql:/etc/postfix/pg.cf 2/2"], why: ["an SQL table"]),
        Case(name: "sqlite, its server not answering", mainCF: virtualDomain + "virtual_mailbox_maps = sqlite:/etc/postfix/users.sqlite",
             unlisted: ["sqlite:/etc/postfix/users.sqlite -/0"], why: ["an SQL table; postmap -q failed on the old host"]),
        Case(name: "ldap domains and mailboxes", mainCF: "mydestination = localhost\nvirtual_mailbox_domains = ldap:/etc/postfix/ldap-domains.cf\n"
             + "virtual_mailbox_maps = ldap:/etc/postfix/ldap-users.cf",
             tables: ["ldap:/etc/postfix/ldap-domains.cf": ["old.example": "ok"], "ldap:/etc/postfix/ldap-users.cf": [:]],
             unlisted: ["ldap:/etc/postfix/ldap-users.cf 0/2"], why: ["an LDAP directory"]),
        Case(name: "unix:passwd with LDAP behind NSS", mainCF: localDomain + "local_recipient_maps = proxy:unix:passwd.byname",
             nsswitch: "# comment\npasswd:  files ldap [NOTFOUND=return]\ngroup: files\n",
             unlisted: ["proxy:unix:passwd.byname -/0"], why: ["through NSS from ldap too (nsswitch.conf: passwd: files ldap)"], passwdUsers: ["bob"]),
        Case(name: "unix:passwd from files", mainCF: localDomain + "local_recipient_maps = proxy:unix:passwd.byname", nsswitch: "passwd: files systemd\n",
             passwdUsers: ["bob"]),
        Case(name: "empty local_recipient_maps", mainCF: localDomain + "local_recipient_maps =", everyLocalPart: ["old.example"]),
        Case(name: "pcre local recipients", mainCF: localDomain + "local_recipient_maps = pcre:/etc/postfix/locals.pcre",
             unlisted: ["pcre:/etc/postfix/locals.pcre -/0"], why: ["a pattern table"]),
        Case(name: "texthash mailboxes, listed", mainCF: virtualDomain + "virtual_mailbox_maps = texthash:DIR/mailboxes",
             newAddresses: ["dave@old.example"]),
    ])
    func recipientTable(_ example: Case) async throws {
        let directory = NSTemporaryDirectory() + "mailferry-plan-maps-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let common = "alias_maps =\nvirtual_alias_maps =\nrecipient_canonical_maps =\ncanonical_maps =\nrecipient_delimiter = +\n"
        try (common + example.mainCF.replacingOccurrences(of: "DIR", with: directory) + "\n").write(toFile: directory + "/main.cf", atomically: true, encoding: .utf8)
        try "alice@old.example a/\ndave@old.example d/\n".write(toFile: directory + "/mailboxes", atomically: true, encoding: .utf8)
        let host = FixtureHost(passwd: Self.passwd, nsswitch: example.nsswitch, tables: example.tables)
        let accounts = example.mainCF.hasPrefix(localDomain) ? ["alice", "carol"] : ["alice@old.example", "carol@old.example"]
        let found = try await OldPostfixAddresses(postfix: PostfixHost(host: host, configDirectory: directory)).addresses(for: ["old.example"], accounts: accounts)
        #expect(found.unlisted.map { "\($0.map) \($0.known.map(String.init) ?? "-")/\($0.asked)" } == example.unlisted, "\(found.unlisted)")
        for (table, why) in zip(found.unlisted, example.why) { #expect(table.why.contains(why), "\(table.why)") }
        #expect(found.everyLocalPart == example.everyLocalPart)
        #expect(found.passwdUsers == example.passwdUsers)
        #expect(found.addresses.filter { $0.map != "accounts" }.map(\.address) == example.newAddresses)
    }

    @Test("tables that cannot be listed are warnings with what to check by hand, and the summary never claims every address")
    func findings() async throws {
        var found = OldPostfixAddresses.Found()
        found.unlisted = [OldPostfixAddresses.Unlisted(parameter: "virtual_mailbox_maps", map: "mysql:/etc/postfix/m.cf", why: "an SQL table",
                                                       byHand: "run the query", asked: 2, known: 1)]
        found.everyLocalPart = ["old.example"]
        found.passwdUsers = (0..<25).map { "user\($0)" }
        let findings = AddressCheck.unlistedFindings(found)
        #expect(findings.count == 3 && findings.allSatisfy { $0.severity == .warning && $0.area == "addresses" })
        #expect(findings[0].message == "virtual_mailbox_maps = mysql:/etc/postfix/m.cf cannot be listed (an SQL table), so the addresses only in it are not checked; of the config's 2 account addresses in its domains, it knows 1 (postmap -q)")
        #expect(findings[0].action == "Check it by hand: run the query.")
        #expect(findings[1].subject == "@old.example")
        #expect(findings[2].message.hasSuffix("user18, user19 and 5 more"))
        #expect(AddressCheck.notChecked(found) == "; not checked: the addresses only in the 1 table that cannot be listed; the local parts of old.example, which the old Postfix accepts without a list; the old host's 25 regular users that are no account")
        #expect(AddressCheck.notChecked(OldPostfixAddresses.Found()) == "")
    }
}
