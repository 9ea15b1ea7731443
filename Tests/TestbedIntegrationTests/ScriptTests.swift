import Foundation
@testable import MailTestSupport
@testable import TestbedClient
import Testing

/// scripts/testbed's commands that suites rely on besides "up": status, adduser's guard
/// rails, reset of one account.
@Suite(.tags(.integration), .requiresTestbed)
struct ScriptTests {
    @Test func statusSaysEveryServerRuns() async throws {
        let testbed = try Testbed.require()
        let result = try await Testbed.run(testbed.script, ["status"], environment: ["MAILFERRY_TESTBED_DIR": testbed.stateDir])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        for service in ["authdaemond", "courier-imapd", "courier-pop3d", "postfix-old", "dovecot", "postfix-new"] {
            let words = lines.map { $0.split(separator: " ") }.first { $0.first.map(String.init) == service }
            #expect(words?.dropFirst().first == "running", "\(result.stdout)")
        }
    }

    @Test(arguments: ["root", "tbvmail", "tbmigrator", "tb", "tbUpper", "tb;rm", "postfix"])
    func adduserRefusesNamesItMustNotTouch(name: String) async throws {
        let testbed = try Testbed.require()
        // Other suites add accounts meanwhile, so compare only this name's entry.
        let entry = { try String(contentsOfFile: "/etc/passwd", encoding: .utf8).split(separator: "\n").filter { $0.hasPrefix(name + ":") } }
        let before = try entry()
        // This repository's script; it refuses before it writes anything, so the state dir
        // it is pointed at stays untouched.
        let result = try await Testbed.run(Self.thisScript, ["adduser", name], environment: ["MAILFERRY_TESTBED_DIR": testbed.stateDir])
        #expect(result.status != 0)
        #expect(try entry() == before)
    }

    /// Quotas that Dovecot would misread or that mean nothing are refused before anything
    /// is created.
    @Test(arguments: ["200", "0K", "1.5M", "200k", "2T", "-5K", ""])
    func adduserRefusesABadQuota(quota: String) async throws {
        let testbed = try Testbed.require()
        let name = "tbbadquota\(UInt32.random(in: 0...UInt32.max))"
        let result = try await Testbed.run(Self.thisScript, ["adduser", name, "--quota", quota], environment: ["MAILFERRY_TESTBED_DIR": testbed.stateDir])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--quota"), "\(result.stderr)")
        let passwd = try String(contentsOfFile: "/etc/passwd", encoding: .utf8)
        #expect(!passwd.contains(name + ":"))
    }

    /// A quota set by adduser is in the passwd-file line Dovecot reads and in testbed.json,
    /// and survives "up" (which rewrites every account).
    @Test func adduserRecordsTheQuota() async throws {
        let testbed = try Testbed.require()
        let user = try await testbed.makeAccount(prefix: "quotarec", quota: .mebibytes(3))
        let users = try String(contentsOfFile: testbed.stateDir + "/new/dovecot/users", encoding: .utf8)
        let line = users.split(separator: "\n").first { $0.hasPrefix(user.name + ":") }
        #expect(line?.hasSuffix(":userdb_quota_rule=*:storage=3M") == true, "\(line ?? "no line")")
        #expect(user.quota?.bytes == 3 << 20)
    }

    /// This repository's script (a reused testbed may run an older one).
    static let thisScript = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/testbed").path

    @Test func resetEmptiesOnlyTheNamedAccount() async throws {
        let testbed = try Testbed.require()
        let target = try await testbed.makeAccount(prefix: "reset")
        let bystander = try await testbed.makeAccount(prefix: "keep")
        for user in [target, bystander] {
            try await DeliveryTests.send(through: testbed.old.smtp, to: user.oldAddress, token: UUID().uuidString)
            try await DeliveryTests.send(through: testbed.new.smtp, to: user.newAddress, token: UUID().uuidString)
        }
        for user in [target, bystander] {
            _ = try await Poll.until("both deliveries to \(user.name)") { try await Self.counts(user, testbed) == [1, 1] ? true : nil }
        }
        let result = try await Testbed.run(testbed.script, ["reset", target.name], environment: ["MAILFERRY_TESTBED_DIR": testbed.stateDir])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try await Self.counts(target, testbed) == [0, 0])
        #expect(try await Self.counts(bystander, testbed) == [1, 1])
    }

    /// INBOX message counts on the old and the new server, over IMAP.
    static func counts(_ user: TestbedUser, _ testbed: Testbed) async throws -> [Int] {
        var counts: [Int] = []
        for endpoint in [testbed.old.imap, testbed.new.imap] {
            let imap = try await IMAPTestSession(endpoint)
            try #require(try await imap.login(user.name, try user.password()).isOK)
            let select = try await imap.command("EXAMINE INBOX")
            try #require(select.isOK, "\(select.text)")
            let exists = select.untagged.first { $0.hasSuffix(" EXISTS") }
            counts.append(Int(exists?.split(separator: " ")[1] ?? "") ?? -1)
        }
        return counts
    }
}
