import Testing

@testable import MailferryConfig

@Suite struct PlanConfigTests {
    static let base = "[source]\nurl = \"imap://a\"\n[destination]\nurl = \"imap://b\"\n[[accounts]]\nuser = \"a\"\n"

    @Test func thePlanTableLoads() throws {
        let config = try MigrationConfig.parse(Self.base + """
            [plan]
            domains = ["example.com"]
            old_addresses = ["192.0.2.10", "2001:db8::10"]
            new_addresses = ["198.51.100.20"]
            margin = "12h"
            switch_at = "2026-12-20T18:00:00Z"
            new_dovecot_config = "/etc/dovecot/dovecot.conf"
            new_postfix = "/etc/postfix"
            old_host = "root@old.example.com"
            old_ssh_options = ["-p", "2222"]
            [plan.dns]
            roots = ["127.0.0.1:5353"]
            port = 5353
            resolvers = ["[::1]:53"]
            timeout = "2s"
            attempts = 3
            """, origin: "t.toml")
        #expect(config.plan == PlanConfig(
            domains: ["example.com"], oldAddresses: ["192.0.2.10", "2001:db8::10"], newAddresses: ["198.51.100.20"], margin: "12h",
            switchAt: "2026-12-20T18:00:00Z",
            dns: PlanDNSConfig(roots: ["127.0.0.1:5353"], port: 5353, resolvers: ["[::1]:53"], timeout: "2s", attempts: 3),
            newDovecotConfig: "/etc/dovecot/dovecot.conf", newPostfix: "/etc/postfix", oldHost: "root@old.example.com", oldSSHOptions: ["-p", "2222"]))
        #expect(PlanConfig.parseServer("[::1]:53")?.port == 53)
        #expect(PlanConfig.parseServer("127.0.0.1:5353")?.port == 5353)
    }

    @Test("the plan's paths on this host are relative to the config file, as its other paths; old_postfix on an ssh host is left as written")
    func relativePaths() throws {
        let table = "[plan]\ndomains = [\"example.com\"]\nnew_addresses = [\"198.51.100.20\"]\nnew_dovecot_config = \"dovecot/dovecot.conf\"\n"
            + "new_postfix = \"../new/postfix\"\nnew_store = \"mail\"\nold_postfix = \"old/postfix\"\n"
        let local = try #require(try MigrationConfig.parse(Self.base + table + "old_host = \"local\"\n", origin: "/srv/demo/examples/t.toml").plan)
        #expect(local.newDovecotConfig == "/srv/demo/examples/dovecot/dovecot.conf")
        #expect(local.newPostfix == "/srv/demo/new/postfix")
        #expect(local.newStore == "/srv/demo/examples/mail")
        #expect(local.oldPostfix == "/srv/demo/examples/old/postfix")
        let remote = try #require(try MigrationConfig.parse(Self.base + table + "old_host = \"root@old.example.com\"\n", origin: "/srv/demo/examples/t.toml").plan)
        #expect(remote.oldPostfix == "old/postfix" && remote.newPostfix == "/srv/demo/new/postfix")
    }

    @Test(arguments: [
        ("[plan]\ndomains = []\nnew_addresses = [\"198.51.100.20\"]", "at least one domain"),
        ("[plan]\ndomains = [\"a..b\"]\nnew_addresses = [\"198.51.100.20\"]", "not a domain name"),
        ("[plan]\ndomains = [\"example.com\"]", "new_addresses must list"),
        ("[plan]\ndomains = [\"example.com\"]\nnew_addresses = [\"198.51.100.300\"]", "not an IPv4 or IPv6 address"),
        ("[plan]\ndomains = [\"example.com\"]\nnew_addresses = [\"198.51.100.20\"]\nmargin = \"soon\"", "plan.margin"),
        ("[plan]\ndomains = [\"example.com\"]\nnew_addresses = [\"198.51.100.20\"]\nswitch_at = \"friday\"", "ISO 8601"),
        ("[plan]\ndomains = [\"example.com\"]\nnew_addresses = [\"198.51.100.20\"]\n[plan.dns]\nport = 0", "plan.dns.port"),
        ("[plan]\ndomains = [\"example.com\"]\nnew_addresses = [\"198.51.100.20\"]\n[plan.dns]\nroots = [\"ns.example.com\"]", "plan.dns.roots"),
        ("[plan]\ndomains = [\"example.com\"]\nnew_addresses = [\"198.51.100.20\"]\n[plan.dns]\nrooots = []", "rooots"),
        ("[plan]\ndomains = [\"example.com\"]\nnew_addresses = [\"198.51.100.20\"]\nnew_smtp = \"new.example.com:25\"", "needs plan.old_postfix"),
        ("[plan]\ndomains = [\"example.com\"]\nnew_addresses = [\"198.51.100.20\"]\nold_host = \"-oProxyCommand=x\"", "plan.old_host"),
        ("[plan]\ndomains = [\"example.com\"]\nnew_addresses = [\"198.51.100.20\"]\nold_ssh_options = [\"-p\", \"2\"]", "needs an ssh destination"),
        ("[plan]\ndomains = [\"example.com\"]\nnew_addresses = [\"198.51.100.20\"]\nold_postfix = \"/etc/postfix\"\nnew_smtp = \"new\"", "plan.new_smtp"),
    ])
    func badPlanTablesGetAClearError(text: String, expected: String) {
        do {
            _ = try MigrationConfig.parse(Self.base + text, origin: "t.toml")
            Issue.record("expected an error containing \(expected)")
        } catch {
            #expect(error.description.contains(expected), "\(error.description)")
        }
    }
}
