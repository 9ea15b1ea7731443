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
        let (stores, manifest) = try await TestbedStores.make(prefix: "kill", messages: 240, large: 3, seed: 9)
        let total = manifest.folders.reduce(0) { $0 + $1.messages.count }
        let state = temporaryStateDirectory("kill9")
        defer { try? FileManager.default.removeItem(atPath: state) }
        let arguments = ["sync", "--quiet", "--bandwidth", "3MB"] + (try stores.commandLine(state: state))

        // The kill loop runs on its own thread: under a full parallel test run the cooperative
        // pool can be busy for seconds, long enough for a whole run to finish unobserved.
        let thresholds = [1, total / 4, total / 2, total * 3 / 4]
        let maildir = stores.user.newMaildir
        let outcome = await withCheckedContinuation { (continuation: CheckedContinuation<KillOutcome, Never>) in
            Thread.detachNewThread {
                continuation.resume(returning: Self.killAt(thresholds, arguments: arguments, logs: state + "/logs", maildir: maildir))
            }
        }
        #expect(outcome.failure == nil, "\(outcome.failure ?? "")")
        #expect(outcome.killedAt.count >= 3, "killed at \(outcome.killedAt) messages only")

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

    struct KillOutcome: Sendable {
        var killedAt: [Int] = []
        var failure: String?
    }

    /// Starts `mailferry sync` once per threshold and kills it with SIGKILL as soon as the
    /// destination Maildir holds that many messages (each wait at most 60 s).
    static func killAt(_ thresholds: [Int], arguments: [String], logs: String, maildir: String) -> KillOutcome {
        var outcome = KillOutcome()
        for threshold in thresholds {
            let process: Process
            do {
                process = try MailferryProcess.start(arguments, logDirectory: logs)
            } catch {
                outcome.failure = "\(error)"
                return outcome
            }
            // A bounded poll (2 ms apart, at most 60 s): the messages land in folders that
            // the run itself creates, so an inotify watch would have to chase each new folder
            // and would still race the kill; counting the files is what the kill point means.
            let deadline = Date().addingTimeInterval(60)
            var held = 0
            while process.isRunning, Date() < deadline {
                held = messageFiles(under: maildir)
                if held >= threshold { break }
                usleep(2_000)
            }
            guard process.isRunning else {
                process.waitUntilExit()
                if process.terminationStatus != 0 {
                    let errors = (try? String(contentsOfFile: logs + "/stderr", encoding: .utf8)) ?? ""
                    outcome.failure = "mailferry exited \(process.terminationStatus): \(errors)"
                }
                return outcome
            }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            outcome.killedAt.append(held)
        }
        return outcome
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
