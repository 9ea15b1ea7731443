import Foundation
import MailTestSupport
import Testing

/// Issue 13: passwords go in through files and never come out. A full `sync` and `verify`
/// run with the most verbose logging (`-vv`: every IMAP command) and every report, then
/// every file the runs left (logs, state database, reports) is searched for the passwords,
/// plain and in the base64 of AUTHENTICATE PLAIN.
@Suite(.tags(.integration), .requiresTestbed, .serialized)
struct SecretsIntegrationTests {
    @Test func noPasswordInAnyLogStateOrReport() async throws {
        let (stores, _) = try await TestbedStores.make(prefix: "fhsecret", messages: 12)
        let state = temporaryStateDirectory("fhsecret")
        defer { try? FileManager.default.removeItem(atPath: state) }
        let base = try stores.commandLine(state: state)
        let master = try #require(stores.testbed.new.masterUser)
        let passwords = [try stores.user.password(), try master.password()]
        for password in passwords { try #require(password.count >= 8, "too short to search for without false hits") }

        let (synced, syncOutput) = try await MailferryProcess.run(["sync", "-vv"] + base, logDirectory: state + "/logs-sync")
        try #require(synced == 0, "\(syncOutput)")
        let (verified, verifyOutput) = try await MailferryProcess.run(
            ["verify", "-vv", "--deep", "--json", state + "/report.json", "--html", state + "/report.html"] + base,
            logDirectory: state + "/logs-verify")
        try #require(verified == 0, "\(verifyOutput)")

        var needles: [(String, [UInt8])] = []
        for password in passwords {
            needles.append(("a password", Array(password.utf8)))
            for user in [stores.user.name, master.name] {
                for plain in ["\0\(user)\0\(password)", "\(user)\0\(user)\0\(password)", "\(stores.user.name)\0\(master.name)\0\(password)"] {
                    needles.append(("AUTHENTICATE PLAIN of a password", Array(Data(plain.utf8).base64EncodedString().utf8)))
                }
            }
        }
        let files = try SecretsSearch.files(under: state)
        // The search must have something to search: both runs' logs (with -vv every IMAP
        // command is logged), the state database and both reports.
        #expect(files.contains { $0.hasSuffix("logs-sync/stderr") || $0.hasSuffix("logs-sync/stdout") })
        #expect(files.contains { $0.hasSuffix("report.json") } && files.contains { $0.hasSuffix("report.html") })
        #expect(files.count >= 5, "\(files)")
        let logged = files.filter { $0.contains("/logs-") }.reduce(0) { $0 + ((try? Data(contentsOf: URL(fileURLWithPath: $1)).count) ?? 0) }
        #expect(logged > 1000, "the -vv logs are nearly empty (\(logged) bytes): nothing was searched")
        for file in files {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
            for (what, needle) in needles where SecretsSearch.contains(bytes, needle) {
                Issue.record("\(what) appears in \(file)")
            }
        }
    }
}
