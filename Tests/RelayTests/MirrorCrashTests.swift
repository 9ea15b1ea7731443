import Foundation
import Logging
import MailModel
import MailTestSupport
import SMTPClient
import SMTPCodec
import SMTPServer
import SMTPTestSupport
import ServiceLifecycle
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// kill -9 of the real `mailferry mirror` process under load: every message it answered 250
/// for is delivered at least once after a restart; duplicates are at most the deliveries
/// that were in flight (one per destination session).
@Suite(.serialized) struct MirrorCrashTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var binary: String { repository.appendingPathComponent(".build/debug/mailferry").path }
    static let destinationConcurrency = 4

    /// The messages the mirror acknowledged, and a waiter for a count of them.
    final class Accepted: Sendable {
        private let state = Mutex<(ids: Set<String>, waiter: (count: Int, resume: CheckedContinuation<Void, Never>)?)>(([], nil))
        var ids: Set<String> { state.withLock { $0.ids } }

        func insert(_ id: String) {
            let reached = state.withLock { state -> CheckedContinuation<Void, Never>? in
                state.ids.insert(id)
                guard let waiter = state.waiter, state.ids.count >= waiter.count else { return nil }
                state.waiter = nil
                return waiter.resume
            }
            reached?.resume()
        }

        /// Returns once `count` messages were acknowledged, or once `timeout` has passed (a
        /// bound for a mirror that takes nothing, not a delay).
        func waitFor(_ count: Int, timeout: Duration) async {
            await withCheckedContinuation { (resume: CheckedContinuation<Void, Never>) in
                let now = state.withLock { state -> Bool in
                    if state.ids.count >= count { return true }
                    state.waiter = (count, resume)
                    return false
                }
                if now { return resume.resume() }
                let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
                DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { [self] in
                    state.withLock { state -> CheckedContinuation<Void, Never>? in
                        defer { state.waiter = nil }
                        return state.waiter?.resume
                    }?.resume()
                }
            }
        }
    }

    /// Starts `mailferry mirror -v` and returns once it logs that its SMTP server listens.
    static func start(config: String) async throws -> Process {
        let (process, log) = try ChildProcessLog.start(binary, ["mirror", "--config", config, "-v"])
        do {
            try await log.waitFor("SMTP server listening")
        } catch {
            process.terminate()
            try? await process.exited()
            throw error
        }
        return process
    }

    /// One client: messages in a loop on one session until the mirror dies or time is up.
    static func load(port: Int, client: Int, until deadline: ContinuousClock.Instant, accepted: Accepted) async {
        let configuration = SMTPClientConfiguration(host: "127.0.0.1", port: port, heloName: "old.test", tls: .none)
        let envelope = MailEnvelope(sender: .mailbox(EmailAddress("sender@ext.example")!), recipients: [.mailbox(EmailAddress("bob@old.test.mirror.invalid")!)])
        var sequence = 0
        _ = try? await SMTPClientConnection.withConnection(configuration, clock: ContinuousClock(), logger: Logger(label: "load")) { connection in
            while ContinuousClock.now < deadline {
                sequence += 1
                let id = "c\(client)-\(sequence)"
                let body = "Subject: load\r\nMessage-ID: <\(id)@crash.test>\r\n\r\n" + String(repeating: String(repeating: "x", count: 76) + "\r\n", count: 26)
                let outcomes = try await connection.send(SMTPOutgoingMessage(envelope: envelope, content: Array(body.utf8)[...]))
                if outcomes.first?.disposition == .delivered { accepted.insert(id) }
            }
            return true
        }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary), "needs .build/debug/mailferry (swift build)"))
    func killDashNineLosesNothingThatWasAcknowledged() async throws {
        let harness = MirrorHarness()
        harness.downstreamPort = try harness.reservePort()
        let mirrorPort = try harness.reservePort()
        try FileManager.default.createDirectory(atPath: harness.directory, withIntermediateDirectories: true)
        let config = harness.directory + "/mirror.toml"
        try """
            [listen]
            port = \(mirrorPort)
            [spool]
            directory = "\(harness.directory)/spool"
            [[shadow]]
            shadow = "old.test.mirror.invalid"
            real = "new.test"
            [destination]
            host = "127.0.0.1"
            port = \(harness.downstreamPort)
            tls = "none"
            concurrency = \(Self.destinationConcurrency)
            [retry]
            minimal_backoff = "200ms"
            maximal_backoff = "1s"
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let accepted = Accepted()
        try await MirrorEndToEndTests.withDownstream(harness) { () async throws in
            let first = try await Self.start(config: config)
            // Clients run until the kill ends their sessions (bounded by the deadline); the kill
            // comes once a fair number of messages were acknowledged, however slow the machine.
            let deadline = ContinuousClock.now + .seconds(60)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for client in 0..<8 {
                    group.addTask { await Self.load(port: mirrorPort, client: client, until: deadline, accepted: accepted) }
                }
                await accepted.waitFor(50, timeout: .seconds(30))
                kill(first.processIdentifier, SIGKILL)
                try await first.exited()
                try await group.waitForAll()
            }
            let acknowledged = accepted.ids
            #expect(acknowledged.count > 20, "the load reached the mirror before the kill")
            let second = try await Self.start(config: config)
            let delivered = { Set(harness.downstream.committed.compactMap(Self.messageID)) }
            let arrived: Bool
            do {
                arrived = try await harness.eventually(timeout: .seconds(30)) { acknowledged.isSubset(of: delivered()) }
            } catch {
                second.terminate()
                try await second.exited()
                throw error
            }
            #expect(arrived)
            let all = harness.downstream.committed.compactMap(Self.messageID)
            let duplicates = all.count - Set(all).count
            #expect(duplicates <= Self.destinationConcurrency, "\(duplicates) duplicates")
            second.terminate()
            try await second.exited()
        }
    }

    static func messageID(_ message: RecordingSink.Message) -> String? {
        guard let start = message.content.range(of: "Message-ID: <"), let end = message.content[start.upperBound...].firstIndex(of: "@") else { return nil }
        return String(message.content[start.upperBound..<end])
    }
}
