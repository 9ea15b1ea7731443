import Foundation
import Logging
import MailModel
import MailSpool
import MailTestSupport
import Migration
import NIOCore
import NIOPosix
import Relay
import SMTPClient
import SMTPCodec
import SMTPServer
import SMTPTestSupport
import ServiceLifecycle
import Synchronization

/// The mirror wired as in production (`MirrorServices`), on 127.0.0.1 ephemeral ports: an SMTP server with
/// the MirrorSink, the spool in a temporary directory, a queue manager delivering to a
/// downstream SMTP server (the "new server") that tests can start and stop.
final class MirrorHarness: @unchecked Sendable {
    let directory: String
    let logger: Logger
    let downstream: RecordingSink
    var downstreamPort = 0
    /// The spool's reserve for recording outcomes on a full disk.
    var reserveSize = 1 << 20
    /// The downstream takes in DATA what Postfix takes (NULs, long lines), as the new server does.
    var downstreamAcceptsWhatPostfixAccepts = false

    /// The copies' envelope sender, and the NOTIFY= they ask for.
    let rules: MirrorRules
    let notify: DeliveryNotification

    /// The spool goes into a fresh directory under `parent` (default: the temporary directory).
    init(downstream: RecordingSink = RecordingSink(), parent: String = NSTemporaryDirectory(), logger: Logger = Logger(label: "test"),
         bounceAddress: EmailAddress = MirrorRules.defaultBounceAddress, notify: DeliveryNotification = .never) {
        self.downstream = downstream
        directory = parent + (parent.hasSuffix("/") ? "" : "/") + "mailferry-relay-test-" + UUID().uuidString
        self.logger = logger
        rules = MirrorRules(domainMap: Self.rules.domainMap, bounceAddress: bounceAddress)
        self.notify = notify
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    static let rules = MirrorRules(domainMap: ["old.test.mirror.invalid": "new.test"])

    func makeDownstream(port: Int) -> SMTPServer<ContinuousClock> {
        var configuration = SMTPServerConfiguration(host: "127.0.0.1", port: port, hostname: "new.test")
        if downstreamAcceptsWhatPostfixAccepts { InPathDataPolicy.apply(to: &configuration.session) }
        return SMTPServer(configuration: configuration, sink: downstream, clock: ContinuousClock(), logger: logger)
    }

    /// Attempts the queue manager recorded (`MirrorServices.Options.recorded`), counted before
    /// ``changes`` is signalled. The spool shows an attempt a moment before the queue has
    /// scheduled its retry; a test that then moves the queue's clock waits for this count.
    var recordedAttempts: Int { recorded.withLock { $0 } }
    private let recorded = Mutex(0)

    /// Ports this harness reserved, held until it goes.
    private let reservations = Mutex<[ReservedPort]>([])

    /// A port nothing listens on until a server of the test binds it: a downstream that is
    /// down when the mirror starts and comes up later, or a mirror whose port Postfix or a
    /// child process must know first. Reserved (``ReservedPort``) for the harness's
    /// lifetime, so no other process takes it meanwhile; tests that start the downstream
    /// first let it bind port 0 instead (``MirrorEndToEndTests/withDownstream(_:_:)``).
    func reservePort() throws -> Int {
        let reservation = try ReservedPort()
        reservations.withLock { $0.append(reservation) }
        return reservation.port
    }

    /// The mirror as `mailferry mirror` builds it (the one `MirrorServices` factory), on
    /// 127.0.0.1 `port`, relaying in plaintext to the downstream.
    func configuration(port: Int, retry: RetryPolicy) -> MirrorConfiguration {
        var configuration = MirrorConfiguration()
        configuration.listen.port = port
        configuration.listen.hostname = "mirror.test"
        configuration.spoolDirectory = directory
        configuration.shadowDomains = rules.domainMap
        configuration.destination.port = downstreamPort
        configuration.destination.helo = "mirror.test"
        configuration.destination.tls = .none
        configuration.destination.concurrency = 2
        configuration.destination.bounceAddress = rules.bounceAddress
        configuration.destination.notify = notify
        configuration.retry = retry
        return configuration
    }

    /// Run the mirror (server + queue manager) around `body`, which gets the mirror's port.
    /// Every verdict the queue manager records signals ``changes``.
    func withMirror(port: Int = 0, retry: RetryPolicy = RetryPolicy(), _ body: (Int, MailSpool) async throws -> Void) async throws {
        try await withMirror(port: port, retry: retry, clock: ContinuousClock(), body)
    }

    /// ``withMirror(port:retry:_:)`` with the queue on `clock`: a `TestClock(advance:
    /// .manually)` retries only when the test moves it past the backoff.
    func withMirror<C: Clock>(
        port: Int = 0, retry: RetryPolicy = RetryPolicy(), clock: C, _ body: (Int, MailSpool) async throws -> Void
    ) async throws where C.Duration == Duration {
        var options = MirrorServices.Options(clock: clock)
        options.spoolReserveSize = reserveSize
        options.connectTimeout = .seconds(2)
        options.recorded = { [self] _ in
            recorded.withLock { $0 += 1 }
            changes.signal()
        }
        let mirror = try MirrorServices(configuration(port: port, retry: retry), options: options, logger: logger)
        try await Self.running(mirror.services, logger: logger) {
            try await body(try await mirror.server.listeningPort(), mirror.spool)
        }
    }

    /// Runs `services` around `body` and shuts them down gracefully when it returns or
    /// throws. A thrown error must not leave them to the task group's cancellation: the
    /// queue manager's workers and the SMTP server end on a graceful shutdown, not on
    /// cancellation, so the group would wait for them forever.
    static func running(_ services: [any Service], logger: Logger, _ body: () async throws -> Void) async throws {
        let group = ServiceGroup(services: services, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let outcome: Result<Void, any Error>
            do {
                try await body()
                outcome = .success(())
            } catch {
                outcome = .failure(error)
            }
            await group.triggerGracefulShutdown()
            // The body's error is the one worth reporting; a shutdown error follows from it.
            if case .failure = outcome { try? await tasks.waitForAll() } else { try await tasks.waitForAll() }
            try outcome.get()
        }
    }

    /// The tag key the mirror made in its spool directory.
    func tag() throws -> MirrorTag {
        try MirrorTag.load(keyFile: MirrorTag.keyPath(spoolDirectory: directory))
    }

    /// Send one message to `port` with our own client; returns the per-recipient outcomes.
    func send(to port: Int, recipients: [String], body: String = "Subject: test\r\nMessage-ID: <m1@old.test>\r\n\r\nhello\r\n",
              sender: ReversePath = .mailbox(EmailAddress("sender@ext.example")!)) async throws -> [DeliveryOutcome] {
        let envelope = MailEnvelope(sender: sender,
                                    recipients: recipients.map { .mailbox(EmailAddress($0)!) })
        let configuration = SMTPClientConfiguration(host: "127.0.0.1", port: port, heloName: "old.test", tls: .none)
        return try await SMTPClientConnection.withConnection(configuration, clock: ContinuousClock(), logger: logger) { connection in
            try await connection.send(SMTPOutgoingMessage(envelope: envelope, content: Array(body.utf8)[...]))
        }
    }

    /// Signalled by the downstream after each message it commits and by the mirror's queue
    /// manager after each verdict it records (`MirrorServices.Options.recorded`): every change
    /// that the relay tests wait for in this process. Files that other processes write (the
    /// testbed's Maildirs) are waited for with `DirectoryWatch` instead.
    var changes: ChangeSignal { downstream.changes }

    /// True once `condition` holds, checked now and after each of ``changes``' signals; false
    /// if `timeout` passes first (a bound for a change that never comes, not a delay).
    func eventually(timeout: Duration = .seconds(30), _ condition: () throws -> Bool) async throws -> Bool {
        try await changes.until(timeout: timeout, condition)
    }
}
