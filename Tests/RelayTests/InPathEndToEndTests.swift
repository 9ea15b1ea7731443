import Foundation
import Logging
import MailModel
import MailSpool
import Relay
import SMTPClient
import SMTPCodec
import SMTPServer
import ServiceLifecycle
import Testing

/// In-path mode: client → mailferry → primary (replies passed through); copy → new server.
@Suite struct InPathEndToEndTests {
    static let logger = Logger(label: "test")

    /// Run the in-path relay with a primary sink and a copy destination.
    static func withRelay(primary: DownstreamSink?, copy: MirrorHarness, _ body: (Int, MailSpool) async throws -> Void) async throws {
        let primaryPort = try await MirrorHarness.freePort()
        let spool = try MailSpool(directory: copy.directory)
        let wallClock = WallClock(clock: ContinuousClock())
        var queueConfiguration = QueueManager<ContinuousClock>.Configuration(
            destination: SMTPClientConfiguration(host: "127.0.0.1", port: copy.downstreamPort, heloName: "relay.test", tls: .none))
        var retry = RetryPolicy()
        retry.minimalBackoff = .milliseconds(200)
        retry.maximalBackoff = .milliseconds(400)
        queueConfiguration.retry = retry
        let queue = QueueManager(configuration: queueConfiguration, spool: spool, io: BlockingIO(), wallClock: wallClock, logger: logger)
        let trace = MirrorTrace(tag: try MirrorTag.loadOrCreate(spoolDirectory: copy.directory), hostname: "relay.test")
        let sink = InPathSink(primaryHost: "127.0.0.1", primaryPort: primaryPort, heloName: "relay.test", spool: spool, trace: trace,
                              io: BlockingIO(), wallClock: wallClock) { await queue.submit($0) }
        let relay = SMTPServer(configuration: SMTPServerConfiguration(host: "127.0.0.1", port: 0, hostname: "relay.test"),
                               sink: sink, clock: ContinuousClock(), logger: logger)
        var services: [any Service] = [queue, relay]
        if let primary {
            services.append(SMTPServer(configuration: SMTPServerConfiguration(host: "127.0.0.1", port: primaryPort, hostname: "old.test"),
                                       sink: primary, clock: ContinuousClock(), logger: logger))
        }
        let group = ServiceGroup(services: services, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let port = try await relay.listeningPort()
            try await Task.sleep(for: .milliseconds(50))
            try await body(port, spool)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    static let body = "Subject: in-path\r\nMessage-ID: <p1@old.test>\r\n\r\nhello\r\n"

    @Test func primaryDecidesAndTheCopyFollows() async throws {
        let primary = DownstreamSink { $0.address?.localPart == "nobody" ? SMTPReply(code: 550, EnhancedStatusCode(5, 1, 1), "user unknown") : .recipientOK }
        let copy = MirrorHarness()
        copy.downstreamPort = try await MirrorHarness.freePort()
        try await MirrorEndToEndTests.withDownstream(copy) { () async throws in
            try await Self.withRelay(primary: primary, copy: copy) { (port: Int, spool: MailSpool) async throws in
                let outcomes = try await copy.send(to: port, recipients: ["bob@old.test", "nobody@old.test"], body: Self.body)
                #expect(outcomes.map(\.disposition) == [.delivered, .fail])
                #expect(outcomes[1].detail == "550 5.1.1 user unknown", "the primary's reply, passed through")
                #expect(try await copy.eventually { try spool.finishedRecords().count == 1 })
            }
        }
        #expect(primary.committed.count == 1)
        #expect(primary.committed.first?.content == Self.body, "the primary gets the bytes unchanged")
        let copied = try #require(copy.downstream.committed.first)
        #expect(copied.envelope.recipients.map(\.description) == ["<bob@old.test>"])
        #expect(copied.content.hasPrefix("X-Mailferry-Mirror: ") && copied.content.hasSuffix(Self.body))
        // The copy is tagged and traced like the shadow endpoint's, and leaves with mailferry's sender.
        #expect(try copy.tag().verifyHeader(Array(copied.content.utf8)) != nil)
        #expect(copied.content.contains("\r\nReceived: from [127.0.0.1]\r\n\tby relay.test (mailferry mirror) id "))
        #expect(copied.envelope.sender.description == "<bounces@mailferry.invalid>")
    }

    @Test func primaryDownMeansTryAgainAndNoCopy() async throws {
        let copy = MirrorHarness()
        copy.downstreamPort = try await MirrorHarness.freePort()
        try await Self.withRelay(primary: nil, copy: copy) { (port: Int, spool: MailSpool) async throws in
            let outcomes = try await copy.send(to: port, recipients: ["bob@old.test"], body: Self.body)
            #expect(outcomes.allSatisfy { $0.disposition == .retry && $0.reply?.code == 451 })
            #expect(try spool.entries().isEmpty)
        }
    }

    @Test func copyDestinationDownDoesNotChangeWhatTheSenderSees() async throws {
        let primary = DownstreamSink()
        let copy = MirrorHarness()
        copy.downstreamPort = try await MirrorHarness.freePort()
        try await Self.withRelay(primary: primary, copy: copy) { (port: Int, spool: MailSpool) async throws in
            let outcomes = try await copy.send(to: port, recipients: ["bob@old.test"], body: Self.body)
            #expect(outcomes.map(\.disposition) == [.delivered])
            #expect(try await copy.eventually { try spool.entries().first?.states == [.deferred] })
        }
        #expect(primary.committed.count == 1)
    }
}
