import Foundation
import Logging
import MailModel
import MailSpool
import Migration
import NIOCore
import NIOPosix
import Relay
import SMTPClient
import SMTPCodec
import SMTPServer
import ServiceLifecycle

/// The mirror wired as in production, on 127.0.0.1 ephemeral ports: an SMTP server with
/// the MirrorSink, the spool in a temporary directory, a queue manager delivering to a
/// downstream SMTP server (the "new server") that tests can start and stop.
final class MirrorHarness: @unchecked Sendable {
    let directory = NSTemporaryDirectory() + "mailferry-relay-test-" + UUID().uuidString
    let logger = Logger(label: "test")
    let downstream: DownstreamSink
    var downstreamPort = 0

    init(downstream: DownstreamSink = DownstreamSink()) {
        self.downstream = downstream
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    static let shadowDomains = ["old.test.mirror.invalid": "new.test"]
    static let rules = MirrorRules(domainMap: shadowDomains)

    func makeDownstream(port: Int) -> SMTPServer<ContinuousClock> {
        SMTPServer(configuration: SMTPServerConfiguration(host: "127.0.0.1", port: port, hostname: "new.test"),
                   sink: downstream, clock: ContinuousClock(), logger: logger)
    }

    /// A free port for the downstream, so it can be started after the mirror.
    static func freePort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress!.port!
        try await channel.close()
        return port
    }

    /// Run the mirror (server + queue manager, wired by the production factory) around
    /// `body`, which gets the mirror's port.
    func withMirror(port: Int = 0, retry: RetryPolicy = RetryPolicy(), _ body: (Int, MailSpool) async throws -> Void) async throws {
        var configuration = MirrorConfiguration()
        configuration.listen.port = port
        configuration.listen.hostname = "mirror.test"
        configuration.spoolDirectory = directory
        configuration.shadowDomains = Self.shadowDomains
        configuration.destination.port = downstreamPort
        configuration.destination.helo = "mirror.test"
        configuration.destination.tls = .none
        configuration.destination.concurrency = 2
        configuration.retry = retry
        let mirror = try MirrorServices(configuration, logger: logger)
        let group = ServiceGroup(services: mirror.services, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await body(try await mirror.server.listeningPort(), mirror.spool)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    /// Send one message to `port` with our own client; returns the per-recipient outcomes.
    func send(to port: Int, recipients: [String], body: String = "Subject: test\r\nMessage-ID: <m1@old.test>\r\n\r\nhello\r\n") async throws -> [DeliveryOutcome] {
        let envelope = MailEnvelope(sender: .mailbox(EmailAddress("sender@ext.example")!),
                                    recipients: recipients.map { .mailbox(EmailAddress($0)!) })
        let configuration = SMTPClientConfiguration(host: "127.0.0.1", port: port, heloName: "old.test", tls: .none)
        return try await SMTPClientConnection.withConnection(configuration, clock: ContinuousClock(), logger: logger) { connection in
            try await connection.send(SMTPOutgoingMessage(envelope: envelope, content: Array(body.utf8)[...]))
        }
    }

    /// Poll (bounded) until `condition` holds.
    func eventually(timeout: Duration = .seconds(10), _ condition: () throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try condition() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return try condition()
    }
}
