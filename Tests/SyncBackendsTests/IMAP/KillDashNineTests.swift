import CorpusGenerator
import Foundation
import MailModel
import MailTestSupport
import SyncEngine
import Testing
import Verify

/// kill -9 of `mailferry sync` at several moments (before, during and after APPENDs, large
/// messages included), then re-runs: in the end every message is on the destination exactly
/// once, which `verify --deep` proves (a duplicate would be an extra message).
@Suite(.tags(.integration), .requiresTestbed, .serialized)
struct KillDashNineTests {
    @Test func killedRunsResumeWithEveryMessageExactlyOnce() async throws {
        let (stores, manifest) = try TestbedStores.make(prefix: "kill", messages: 240, large: 3, seed: 9)
        let total = manifest.folders.reduce(0) { $0 + $1.messages.count }
        let state = temporaryStateDirectory("kill9")
        defer { try? FileManager.default.removeItem(atPath: state) }
        let arguments = ["sync", "--quiet"] + (try stores.commandLine(state: state))

        var killed = 0
        for delay in [150, 400, 700, 1000, 1400] {
            let process = try MailferryProcess.start(arguments, logDirectory: state + "/logs")
            try await Task.sleep(for: .milliseconds(delay))
            guard process.isRunning else { break }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            killed += 1
        }
        #expect(killed >= 2, "the run finished too quickly to be killed more than \(killed) times")

        let (status, output) = try await MailferryProcess.run(arguments, logDirectory: state + "/logs")
        #expect(status == 0, "\(output)")

        var options = VerifyOptions()
        options.deep = true
        let verified = await AccountVerifier(
            account: stores.user.name, source: stores.source, destination: stores.destination, store: nil, options: options
        ).run()
        #expect(verified.isIdentical, "\(verified.discrepancies.prefix(5))")
        #expect(verified.matched == total)
        #expect(verified.count(.extra) == 0)
    }
}
