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
///
/// The kill points are chosen by progress, not by time (tests run in parallel and timers
/// drift under load): the run is throttled with --bandwidth and killed when the Dovecot
/// Maildir has reached a quarter, a half, three quarters of the messages.
@Suite(.tags(.integration), .requiresTestbed, .serialized)
struct KillDashNineTests {
    @Test func killedRunsResumeWithEveryMessageExactlyOnce() async throws {
        let (stores, manifest) = try TestbedStores.make(prefix: "kill", messages: 240, large: 3, seed: 9)
        let total = manifest.folders.reduce(0) { $0 + $1.messages.count }
        let state = temporaryStateDirectory("kill9")
        defer { try? FileManager.default.removeItem(atPath: state) }
        let arguments = ["sync", "--quiet", "--bandwidth", "3MB"] + (try stores.commandLine(state: state))

        var killed: [Int] = []
        for threshold in [1, total / 4, total / 2, total * 3 / 4] {
            let process = try MailferryProcess.start(arguments, logDirectory: state + "/logs")
            let reached = await Self.waitUntil(destinationHolds: threshold, of: stores, while: process)
            guard process.isRunning else {
                process.waitUntilExit()
                let errors = (try? String(contentsOfFile: state + "/logs/stderr", encoding: .utf8)) ?? ""
                #expect(process.terminationStatus == 0, "mailferry exited \(process.terminationStatus): \(errors)")
                break
            }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            killed.append(reached)
        }
        #expect(killed.count >= 3, "killed at \(killed) messages only")

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

    /// Waits (at most 60 s) until the destination Maildir holds `count` messages or the process
    /// ends; returns how many it holds.
    static func waitUntil(destinationHolds count: Int, of stores: TestbedStores, while process: Process) async -> Int {
        let deadline = ContinuousClock.now + .seconds(60)
        var held = 0
        while process.isRunning, ContinuousClock.now < deadline {
            held = messageFiles(under: stores.user.newMaildir)
            if held >= count { break }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return held
    }

    /// Message files in every cur/ and new/ below a Maildir root.
    static func messageFiles(under root: String) -> Int {
        guard let walker = FileManager.default.enumerator(atPath: root) else { return 0 }
        var count = 0
        while let path = walker.nextObject() as? String {
            let parent = (path as NSString).deletingLastPathComponent
            if parent.hasSuffix("cur") || parent.hasSuffix("new") || parent == "cur" || parent == "new" { count += 1 }
        }
        return count
    }
}
