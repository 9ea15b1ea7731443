import CorpusGenerator
import Foundation
import MailTestSupport
import Testing

/// The `mailferry sync` and `verify` executables on the real servers: the dry-run plan, the
/// JSON summary, and the documented exit codes.
@Suite(.tags(.integration), .requiresTestbed, .serialized)
struct SyncCommandIntegrationTests {
    @Test func dryRunPrintsThePlanAndWritesNothing() async throws {
        let (stores, _) = try await TestbedStores.make(prefix: "plan", messages: 40)
        let state = temporaryStateDirectory("plan")
        defer { try? FileManager.default.removeItem(atPath: state) }
        let (status, output) = try await MailferryProcess.run(
            ["sync", "--dry-run", "--exclude", #"INBOX\.Trash"#] + (try stores.commandLine(state: state)), logDirectory: state + "/logs")
        #expect(status == 0, "\(output)")
        #expect(output.contains("Plan for \(stores.user.name)"))
        #expect(output.contains("INBOX.Archive.2019") && output.contains("Archive/2019") && output.contains("create, copy"))
        #expect(output.contains("left out: INBOX.Trash (excluded by --exclude"))
        // Nothing on the destination: only the INBOX Dovecot creates by itself, still empty.
        let newFolders = (try? FileManager.default.contentsOfDirectory(atPath: stores.user.newMaildir)) ?? []
        #expect(!newFolders.contains { $0.hasPrefix(".") && $0 != "." && $0 != ".." })
    }

    @Test func jsonSummaryAndExitCodes() async throws {
        let (stores, manifest) = try await TestbedStores.make(prefix: "json", messages: 30)
        let state = temporaryStateDirectory("json")
        defer { try? FileManager.default.removeItem(atPath: state) }
        let base = try stores.commandLine(state: state)

        let (status, output) = try await MailferryProcess.run(["sync", "--json", "--quiet"] + base, logDirectory: state + "/logs")
        #expect(status == 0)
        let summary = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]
        let accounts = summary?["accounts"] as? [[String: Any]]
        let copied = accounts?.first?["folders"] as? [[String: Any]]
        #expect(copied?.reduce(0) { $0 + (($1["copied"] as? Int) ?? 0) } == manifest.folders.reduce(0) { $0 + $1.messages.count })
        #expect(summary?["exitCode"] as? Int == 0)

        let (verified, verifyOutput) = try await MailferryProcess.run(
            ["verify", "--quiet", "--html", state + "/report.html"] + base, logDirectory: state + "/logs")
        #expect(verified == 0, "\(verifyOutput)")
        let html = try String(contentsOfFile: state + "/report.html", encoding: .utf8)
        #expect(html.contains("mailferry verify: identical"))

        // 1: a rule that makes two folders collide refuses those two (failed, with the
        // reason), the rest is synced; 3: a malformed rule refuses the plan.
        let (collided, collidedOutput) = try await MailferryProcess.run(
            ["sync", "--map", "INBOX.Sent=Archive"] + base, logDirectory: state + "/logs")
        #expect(collided == 1)
        #expect(collidedOutput.contains("+ 2 folders"), "\(collidedOutput)")
        let (refused, _) = try await MailferryProcess.run(
            ["sync", "--quiet", "--map", "no-equals-sign"] + base, logDirectory: state + "/logs")
        #expect(refused == 3)

        // 4: a wrong password.
        let wrong = state + "/wrong.password"
        try "not-the-password\n".write(toFile: wrong, atomically: true, encoding: .utf8)
        var badLogin = base
        badLogin[badLogin.firstIndex(of: "--from-password-file")! + 1] = wrong
        let (authentication, _) = try await MailferryProcess.run(["sync", "--quiet"] + badLogin, logDirectory: state + "/logs")
        #expect(authentication == 4)

        // 5: nothing listens there.
        var unreachable = base
        unreachable[unreachable.firstIndex(of: "--from")! + 1] = "imap://\(stores.user.name)@127.0.0.1:9"
        let (connection, _) = try await MailferryProcess.run(["sync", "--quiet"] + unreachable, logDirectory: state + "/logs")
        #expect(connection == 5)

        // 64: no password at all.
        var noPassword = base
        let index = noPassword.firstIndex(of: "--from-password-file")!
        noPassword.removeSubrange(index...(index + 1))
        let (usage, _) = try await MailferryProcess.run(["sync", "--quiet"] + noPassword, logDirectory: state + "/logs")
        #expect(usage == 64)
    }
}
