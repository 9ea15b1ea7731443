import Foundation
import Logging
@testable import MailferryConfig
import MailTestSupport
import Maildir
import SyncBackends
import Testing

@testable import Migration

/// `[system_accounts]`: a Courier host's shell accounts with a Maildir become the accounts.
@Suite struct SystemAccountsConfigTests {
    static let servers = "[source]\nurl = \"maildir:{home}/Maildir\"\n[destination]\nurl = \"maildir:/var/vmail/{user}/Maildir\"\n"

    @Test func aSystemAccountsTableIsEnoughAndHasDebiansDefaults() throws {
        let config = try MigrationConfig.parse(Self.servers + "[system_accounts]\n", origin: "t.toml")
        let selection = try #require(config.systemAccounts)
        #expect(selection.uidRange == 1000...59999)
        #expect(selection.maildirName == "Maildir")
        let custom = try MigrationConfig.parse(
            Self.servers + "[system_accounts]\nuid_min = 500\nuid_max = 600\nmaildir = \"mail/Maildir\"\nexclude = [\"backup\"]\n", origin: "t.toml")
        #expect(custom.systemAccounts == SystemAccountsConfig(uidMin: 500, uidMax: 600, maildir: "mail/Maildir", exclude: ["backup"]))
    }

    @Test(arguments: [
        ("uid_min = 2000\nuid_max = 1000", "uid_min 2000 is above uid_max 1000"),
        ("maildir = \"/var/mail\"", "must be a path inside the home directory"),
        ("maildir = \"../other/Maildir\"", "must be a path inside the home directory"),
        ("uid_min = -1", "system_accounts.uid_min -1 is not a uid"),
        ("uid_max = 5000000000", "system_accounts.uid_max 5000000000 is not a uid"),
        ("uid_min = \"1000\"", "system_accounts.uid_min"),
        ("uids = \"1000-2000\"", "unknown setting system_accounts.uids"),
    ])
    func badSelectionsGetAClearError(settings: String, expected: String) {
        #expect { _ = try MigrationConfig.parse(Self.servers + "[system_accounts]\n" + settings + "\n", origin: "t.toml") } throws: {
            "\($0)".contains(expected)
        }
    }

    @Test func onlyHomesWithTheMaildirAreTakenAndExcludedUsersNever() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("homes-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        for (user, hasMaildir) in [("alice", true), ("bob", false), ("backup", true)] {
            let path = root + "/" + user + (hasMaildir ? "/Maildir/cur" : "")
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        let candidates = ["alice", "bob", "backup", "gone"].enumerated().map { index, name in
            SystemAccount(name: name, uid: 1000 + UInt32(index), gid: 100, home: root + "/" + name, shell: "/bin/bash")
        }
        let selection = SystemAccountsConfig(exclude: ["backup"]).select(from: candidates)
        #expect(selection.found.map(\.name) == ["alice"])
        #expect(selection.without.map(\.name) == ["bob", "gone"])
    }

    @Test func theAccountsLeftOutAreNamed() {
        let accounts = (0..<25).map { SystemAccount(name: "u\($0)", uid: 1000 + UInt32($0), gid: 100, home: "/home/u\($0)", shell: "") }
        #expect(SystemAccountsConfig().leftOutMessage(Array(accounts.prefix(1)))
            == "[system_accounts]: 1 account with uid 1000–59999 has no ~/Maildir and is left out: u0")
        let many = SystemAccountsConfig().leftOutMessage(accounts)
        #expect(many.hasPrefix("[system_accounts]: 25 accounts with uid 1000–59999 have no ~/Maildir and are left out: u0, u1,"))
        #expect(many.hasSuffix("u19 and 5 more"))
    }

    @Test func aRangeWithoutAccountsIsAnErrorUnlessOthersAreListed() throws {
        let empty = "[system_accounts]\nuid_min = 4000000000\nuid_max = 4000000001\n"
        let alone = try MigrationConfig.parse(Self.servers + empty, origin: "t.toml")
        #expect { _ = try alone.allAccounts() } throws: { "\($0)".contains("found no system account with uid 4000000000–4000000001") }
        let listed = try MigrationConfig.parse(Self.servers + empty + "[[accounts]]\nuser = \"alice\"\n", origin: "t.toml")
        #expect(try listed.allAccounts().map(\.user) == ["alice"])
    }

    /// The testbed's Courier users are real shell accounts with `~/Maildir`: one made for this
    /// test is found by its uid, its Maildir read from its home, an explicit entry wins.
    @Test(.tags(.integration), .requiresTestbed) func aTestbedShellAccountIsFoundByUID() async throws {
        let testbed = try Testbed.require()
        let user = try await testbed.makeAccount(prefix: "sysacct")
        let account = try #require(SystemAccounts.lookup(name: user.name))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sysacct-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let config = directory + "/m.toml"
        let selection = "[system_accounts]\nuid_min = \(account.uid)\nuid_max = \(account.uid)\n[sync]\nstate = \"state\"\n"
        try (Self.servers + "owner = \"0:0\"\n" + selection).write(toFile: config, atomically: true, encoding: .utf8)
        var request = MigrationRequest()
        request.config = config
        let resolved = try MigrationSetup.resolve(request, logger: Logger(label: "test"))
        #expect(resolved.jobs.map(\.name) == [user.name])
        #expect((resolved.jobs.first?.source as? CourierMaildirStore)?.root == account.home + "/Maildir")
        #expect((resolved.jobs.first?.destination as? DovecotMaildirStore)?.root == "/var/vmail/\(user.name)/Maildir")

        let explicit = Self.servers + selection + "[[accounts]]\nuser = \"\(user.name)\"\ndestination_user = \"renamed\"\n"
        let both = try MigrationConfig.parse(explicit, origin: config).allAccounts()
        #expect(both == [AccountConfig(user: user.name, destinationUser: "renamed")])
    }
}
