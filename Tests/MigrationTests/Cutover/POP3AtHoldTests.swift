import Cutover
import Foundation
import MailTestSupport
import Synchronization
import Testing

@testable import Migration

/// A POP3 client connected to the old Courier when the hold begins, having marked a message
/// for deletion, cannot delete it after the final delta: stop-old-imap waits until the
/// session (`courierpop3d`, Debian's name for it) has ended, and a POP3 session that ends
/// without QUIT never enters RFC 1939's UPDATE state. The client sees its connection closed.
@Suite(.tags(.integration), .requiresTestbed)
struct POP3AtHoldTests {
    /// The testbed has no systemd and is shared: `systemctl stop` stands for what stopping
    /// courier-pop.service does to a session forked before (it ends, a moment later: here
    /// only once stop-old-imap has seen it), and pgrep sees only this test's account.
    final class TestbedOldHost: Cutover.Host {
        let name = "old (testbed)"
        let user: String
        let local = LocalHost(name: "old (testbed)")
        let stopped = Mutex(false)
        let seen = Mutex<[String]>([])

        init(user: String) { self.user = user }

        func run(_ command: HostCommand) async throws -> CommandOutput {
            var argv = command.argv
            if argv.first == "systemctl" {
                stopped.withLock { $0 = true }
                return CommandOutput(command: command, status: 0, standardOutput: "", standardError: "", duration: .zero)
            }
            if argv.first == "pgrep" { argv.insert(contentsOf: ["-u", user], at: 1) }
            let output = try await local.run(HostCommand(argv, input: command.input, timeout: command.timeout))
            if command.argv.first == "pgrep", stopped.withLock({ $0 }), output.status == 0 {
                // The session ends as systemd's stop would end it: SIGTERM, by its pid.
                for line in output.standardOutput.split(separator: "\n") {
                    seen.withLock { $0.append(String(line)) }
                    if let pid = line.split(separator: " ").first.flatMap({ Int32($0) }) { kill(pid, SIGTERM) }
                }
            }
            return output
        }

        func writeFile(_ path: String, _ bytes: [UInt8], permissions: Int) async throws { try await local.writeFile(path, bytes, permissions: permissions) }
        func readFile(_ path: String) async throws -> [UInt8]? { try await local.readFile(path) }
        func removeFile(_ path: String) async throws { try await local.removeFile(path) }
    }

    static func files(_ maildir: String) -> [String] {
        ["new", "cur"].flatMap { sub in (try? FileManager.default.contentsOfDirectory(atPath: "\(maildir)/\(sub)")) ?? [] }
    }

    @Test func aPOP3SessionOpenAtTheHoldCannotDeleteAfterIt() async throws {
        let testbed = try Testbed.require()
        let user = try await testbed.makeAccount(prefix: "cutbackpop")
        let password = try String(contentsOfFile: user.passwordFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let imap = try await IMAPTestSession(testbed.old.imap)
        #expect(try await imap.login(user.name, password).isOK)
        for subject in ["one", "two"] {
            #expect(try await imap.append(to: "INBOX", Array("Subject: \(subject)\r\n\r\n\(subject)\r\n".utf8)).isOK)
        }
        try await imap.command("LOGOUT")
        #expect(Self.files(user.oldMaildir).count == 2)

        let pop = try await POP3TestSession(try #require(testbed.old.pop3))
        #expect(try await pop.login(user.name, password).isOK)
        #expect(try await pop.list().count == 2)
        #expect(try await pop.command("DELE 1").isOK)

        // The hold begins: stop-old-imap as the cutover runs it.
        let old = TestbedOldHost(user: user.name)
        let effects = HostCutoverEffects(
            config: HostCutoverEffectsTests.config,
            hosts: CutoverHosts(old: old, new: LocalHost(), oldPostfix: "/etc/postfix", newPostfix: "/etc/postfix",
                                domains: CutoverDomains(["example.com"])),
            mailboxes: HostCutoverEffectsTests.NoMailboxes(), journal: ModelJournal(), prover: nil, reportDirectory: "/tmp",
            now: { Date().timeIntervalSince1970 })
        let outcome = try await effects.perform(.stopOldIMAP, token: nil)
        guard case .done = outcome else { Issue.record("\(outcome)"); return }
        #expect(old.seen.withLock { $0 }.contains { $0.contains("courierpop3d") }, "the wait saw the POP3 session: \(old.seen.withLock { $0 })")
        let left = try await LocalHost().run(HostCommand(["pgrep", "-u", user.name, "-a", "-x", HostCutoverEffects.sessionProcesses]))
        #expect(left.status == 1, "no session of the account left: \(left.standardOutput)")

        // The client, still believing in its session, says QUIT to commit its DELE: its
        // connection is gone (an error, or an empty read), never +OK.
        let quit: Result<POP3TestResponse, any Error>
        do {
            quit = .success(try await pop.command("QUIT"))
        } catch {
            quit = .failure(error)
        }
        if case .success(let answer) = quit { #expect(!answer.isOK, "QUIT answered +OK after the hold") }
        // Both messages are still in the old store, as the final delta copied them.
        #expect(Self.files(user.oldMaildir).count == 2)
    }
}
