import Cutover
import Forward
import Foundation
import Logging
import MailTestSupport
import Migration
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// An IMAP client whose DNS keeps the old host's address, polling through a whole cutover run
/// wired as `cutover run` wires it (``CutoverSession``: the UID-keeping sync from the testbed's
/// Courier to a Dovecot of the test's own, the hold and the switch on two private Postfix
/// instances, the forwarder at *open*). The old address is a port the test owns: a relay to
/// the shared Courier until the old IMAP service stops (the shared Courier itself is never
/// stopped), then nothing, then the forwarder to the new Dovecot's PROXY listener. The client
/// polls before and after every step: it may fail only from the old IMAP's stop to *open*,
/// and after it reads the same UIDVALIDITY and UIDs as before, so its cache stays valid.
@Suite(.serialized, .tags(.integration), .requiresTestbed, .enabled(if: PrivatePostfix.canRun && PrivateDovecot.canRun))
struct CutoverStaleClientsTests {
    @Test func aClientOnTheOldAddressIsDownOnlyFromTheHoldToOpenAndKeepsItsUIDs() async throws {
        let testbed = try Testbed.require()
        let user = try await testbed.makeAccount(prefix: "stale")
        let password = try user.password()
        try await PrivateDovecot.with(testbed: testbed, user: user.name, password: password) { dovecot in
            try await PrivatePostfix.with("stale-new", hostname: "mx.new.cutover.test") { new in
                try await PrivatePostfix.with("stale-old", hostname: "mx.old.cutover.test") { old in
                    let root = NSTemporaryDirectory() + "mailferry-cutover-stale-\(UUID().uuidString.prefix(8))"
                    defer { try? FileManager.default.removeItem(atPath: root) }
                    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)

                    // The old host's address, served by the old IMAP server; Courier numbers
                    // what the client stores there.
                    let oldIMAP = try FaultProxy(target: testbed.old.imap)
                    let address = oldIMAP.port
                    let client = try PollingIMAPClient(port: address, user: user.name, password: password, caFile: testbed.caFile)
                    defer { client.close() }
                    for subject in ["first", "second", "third"] { #expect(try client.send("append \(subject)") == "ok") }
                    let cached = try client.send("uids")
                    #expect(cached.hasPrefix("ok ") && cached.hasSuffix(":third") && cached.split(separator: "|").count == 3, "\(cached)")

                    let config = "\(root)/cutover.toml"
                    try Self.config(testbed: testbed, user: user.name, dovecot: dovecot, old: old, new: new, root: root)
                        .write(toFile: config, atomically: true, encoding: .utf8)
                    let session = try CutoverSession.open(configPath: config)
                    var effects = session.effects(hosts: try session.hosts(), logger: Logger(label: "test"), prover: nil)
                    effects.drainInterval = .milliseconds(200)
                    let steps = ClientAtSteps(inner: effects, client: client, oldIMAP: oldIMAP, address: address, upstream: dovecot.imapPort)
                    let outcome = try await session.runner(effects: steps).run()
                    await steps.stopForwarder()

                    let records = try await session.journal.records()
                    #expect(outcome == .finished, "\(records.map { "\($0.step?.name ?? "-") \($0.event)" })")
                    let polls = steps.polls.withLock { $0 }
                    let stop = try #require(polls.firstIndex { $0.step == .stopOldIMAP && $0.after })
                    let open = try #require(polls.firstIndex { $0.step == .startForward && $0.after })
                    // Before the hold: the old server; from its stop until *open*: refused;
                    // from *open*: the new server, through the forwarder, with the same UIDs.
                    for (index, poll) in polls.enumerated() {
                        let expected = index < stop || index >= open ? cached : "err ConnectionRefusedError"
                        #expect(poll.answer == expected, "\(poll.step.name) \(poll.after ? "after" : "before"): \(poll.answer)")
                    }
                    #expect(polls[open...].count >= 3, "polls after open: \(polls[open...].map(\.step.name))")
                    // The answers after *open* came from the new server.
                    #expect(dovecot.log().contains { $0.contains("Login: user=<\(user.name)>") }, "\(dovecot.log().suffix(5))")
                    let down = steps.outage.withLock { $0 }
                    print("stale-DNS IMAP client: unreachable \(down.map { "\($0)" } ?? "?") (old IMAP stopped → forwarder listening), "
                        + "\(open - stop) polls refused, \(polls.count - (open - stop)) answered with the cached UIDs")
                }
            }
        }
    }

    static func config(testbed: Testbed, user: String, dovecot: PrivateDovecot, old: PrivatePostfix, new: PrivatePostfix, root: String) -> String {
        var config = CutoverTestConfig(oldMail: "", newMail: "", oldPostfix: old.configDirectory, newPostfix: new.configDirectory,
                                       relayHost: new.address, relayPort: new.port)
        config.source = "maildir:\(testbed.old.maildirPattern)"
        config.destination = "maildir:\(dovecot.root)/mail/{user}/Maildir?format=dovecot"
        config.owner = getpwnam("tbvmail").map { "\($0.pointee.pw_uid):\($0.pointee.pw_gid)" }
        config.user = user
        config.state = "\(root)/state"
        return config.text + CutoverTestConfig.finishAtOnce + """
            [cutover.forward]
            old_address = "127.0.0.1"
            start_command = ["/bin/true"]
            stop_command = ["/bin/true"]
            dovecot_config = "\(dovecot.config)"
            login_log = "\(dovecot.logFile)"
            login_quiet = "0s"
            """
    }
}

/// The client's side of the steps: it polls before and after each, the old IMAP service (the
/// test's relay) stops with the step that stops it, and the forwarder listens on the old
/// address once the step that starts it is done (the configured commands are `/bin/true`:
/// what they do on a real host is `HostCutoverEffects`' own tests' subject).
final class ClientAtSteps: CutoverEffects, @unchecked Sendable {
    struct Polled: Sendable {
        var step: CutoverStep
        var after: Bool
        var answer: String
    }

    let inner: any CutoverEffects
    let oldIMAP: FaultProxy
    let address: Int
    let upstream: Int
    let polls = Mutex<[Polled]>([])
    /// From the old IMAP's stop to the forwarder's start.
    let outage = Mutex<Duration?>(nil)
    private let stoppedAt = Mutex<ContinuousClock.Instant?>(nil)
    private let forwarder = Mutex<Forwarder?>(nil)
    /// Only this type's thread uses it, one command at a time.
    private let client: PollingIMAPClient

    init(inner: any CutoverEffects, client: PollingIMAPClient, oldIMAP: FaultProxy, address: Int, upstream: Int) {
        self.inner = inner
        self.client = client
        self.oldIMAP = oldIMAP
        self.address = address
        self.upstream = upstream
    }

    func perform(_ step: CutoverStep, token: String?) async throws -> CutoverStepOutcome {
        try await poll(step, after: false)
        if step == .stopOldIMAP {
            stoppedAt.withLock { $0 = .now }
            oldIMAP.stop()
        }
        let outcome = try await inner.perform(step, token: token)
        if step == .startForward, case .done = outcome {
            let started = try await Forwarder.start(ForwardConfiguration(listeners: [
                .init(name: "imap", listen: .init(host: "127.0.0.1", port: address), upstream: .init(host: "127.0.0.1", port: upstream)),
            ]))
            forwarder.withLock { $0 = started }
            outage.withLock { $0 = stoppedAt.withLock { $0 }.map { .now - $0 } }
        }
        // Decommission ends the forwarding: the client's DNS has long moved by then.
        if step != .stopForward { try await poll(step, after: true) }
        return outcome
    }

    func happened(_ step: CutoverStep, token: String) async throws -> Bool { try await inner.happened(step, token: token) }

    func stopForwarder() async {
        if let started = forwarder.withLock({ $0 }) { _ = await started.stop(grace: .zero) }
    }

    /// One `uids` poll, on a thread of its own (the client blocks on its pipe).
    private func poll(_ step: CutoverStep, after: Bool) async throws {
        let client = self.client
        let answer: String = try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try client.send("uids") }) }.start()
        }
        polls.withLock { $0.append(Polled(step: step, after: after, answer: answer)) }
    }
}
