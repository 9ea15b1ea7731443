import Logging
import MailTestSupport
import NIOCore
import NIOPosix
import SMTPCodec
import SMTPTestSupport
import ServiceLifecycle
import Synchronization
import Testing
@testable import SMTPServer

/// The whole server on 127.0.0.1 with a real client socket: TLS, deadlines, limits and
/// graceful shutdown. Time is a `TestClock` the test moves; the test waits on the
/// connection's probe events and on what the client receives, never on time.
@Suite struct SMTPServerLoopbackTests {
    static func withServer<C: Clock>(
        sink: RecordingSink = RecordingSink(), clock: C = TestClock(advance: .manually), events: ProbeEvents = ProbeEvents(),
        _ configure: (inout SMTPServerConfiguration) throws -> Void = { _ in },
        _ body: (Int, ServiceGroup) async throws -> Void
    ) async throws where C.Duration == Duration {
        var configuration = SMTPServerConfiguration(host: "127.0.0.1", port: 0, hostname: "mx.test")
        try configure(&configuration)
        let logger = Logger(label: "test")
        let server = SMTPServer(configuration: configuration, sink: sink, clock: clock, logger: logger, probe: events.probe)
        let group = ServiceGroup(services: [server], logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let port = try await server.listeningPort()
            try await body(port, group)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    @Test func deliversOverTCP() async throws {
        let sink = RecordingSink()
        try await Self.withServer(sink: sink) { port, _ in
            let client = try await LoopbackClient(port: port)
            #expect(try await client.read(until: "\r\n").hasPrefix("220 "))
            try await client.send("EHLO t\r\n")
            _ = try await client.read(until: "250 ")
            try await client.send("MAIL FROM:<a@b.example>\r\nRCPT TO:<u@example.com>\r\nDATA\r\n")
            _ = try await client.read(until: "354 ")
            try await client.send("Subject: x\r\n\r\nhello\r\n.\r\nQUIT\r\n")
            #expect(try await client.read(until: "221 ").contains("250 2.0.0 Ok: queued"))
            #expect(try await client.waitForClose())
        }
        #expect(sink.committed.count == 1)
    }

    /// The session runs on its connection's event loop: the sink is asked from one of the
    /// group's loop threads, not from the concurrency pool's.
    @Test func theSessionRunsOnAnEventLoop() async throws {
        let askedOnLoop = Mutex<[Bool]>([])
        let sink = RecordingSink { _ in
            askedOnLoop.withLock { $0.append(MultiThreadedEventLoopGroup.currentEventLoop != nil) }
            return .recipientOK
        }
        try await Self.withServer(sink: sink) { port, _ in
            let client = try await LoopbackClient(port: port)
            _ = try await client.read(until: "\r\n")
            try await client.send("EHLO t\r\n")
            _ = try await client.read(until: "250 ")
            try await client.send("MAIL FROM:<a@b.example>\r\nRCPT TO:<u@example.com>\r\nRCPT TO:<v@example.com>\r\nQUIT\r\n")
            #expect(try await client.read(until: "221 ").contains("250 2.1.5"))
            #expect(try await client.waitForClose())
        }
        #expect(askedOnLoop.withLock { $0 } == [true, true])
    }

    /// §4 S-T1 and S-T2 on the wire: commands pipelined with STARTTLS are never executed,
    /// and the session must start over with EHLO inside TLS.
    @Test func startTLSDiscardsPipelinedPlaintext() async throws {
        try await Self.withServer({ $0.tls = try TestTLS.serverContext() }) { port, _ in
            let client = try await LoopbackClient(port: port)
            _ = try await client.read(until: "\r\n")
            try await client.send("EHLO t\r\n")
            #expect(try await client.read(until: "250 ").contains("250-STARTTLS"))
            try await client.send("STARTTLS\r\nRSET\r\nMAIL FROM:<x@y.example>\r\n")
            #expect(try await client.read(until: "220 ") == "220 2.0.0 Ready to start TLS\r\n")
            try await client.startTLS(trusting: TestTLS.caPath)
            // Replies come in order: had the injected RSET/MAIL been executed, their replies
            // would come before this RCPT's, which is refused for want of a MAIL.
            try await client.send("RCPT TO:<u@example.com>\r\n")
            let replies = try await client.read(until: "\r\n")
            #expect(replies.hasPrefix("503") && replies.split(separator: "\r\n", omittingEmptySubsequences: false).count == 2, "only the RCPT's reply: \(replies)")
            try await client.send("EHLO t\r\n")
            let ehlo = try await client.read(until: "250 ")
            #expect(ehlo.contains("PIPELINING") && !ehlo.contains("STARTTLS"))
            await client.close()
        }
    }

    /// §4 S-X1: a silent client gets 421 and is closed at the command deadline.
    @Test(.timeLimit(.minutes(1)))
    func silentClientTimesOut() async throws {
        let clock = TestClock(advance: .manually)
        let events = ProbeEvents()
        try await Self.withServer(clock: clock, events: events) { port, _ in
            let client = try await LoopbackClient(port: port)
            #expect(await events.next(.waitingForInput) != nil)
            #expect(try await client.read(until: "\r\n").hasPrefix("220 "))
            await clock.waitForSleepers()
            clock.advance(by: SMTPDefaults.commandTimeout + .seconds(1))
            #expect(await events.next(.deadlineChecked(expired: true)) != nil)
            #expect(try await client.read(until: "421 ").contains("421 4.4.2"))
            #expect(try await client.waitForClose())
        }
    }

    /// §4 S-X2: one byte at a time after 354 is cut off by the DATA deadline, which the
    /// bytes extend only by one second per `minimumDataRate` octets.
    @Test(.timeLimit(.minutes(1)))
    func slowDataIsCutOff() async throws {
        let clock = TestClock(advance: .manually)
        let events = ProbeEvents()
        let sink = RecordingSink()
        try await Self.withServer(sink: sink, clock: clock, events: events, {
            $0.dataTimeout = .seconds(30)
            $0.minimumDataRate = 1000
        }) { port, _ in
            let client = try await LoopbackClient(port: port)
            _ = try await client.read(until: "\r\n")
            try await client.send("EHLO t\r\n")
            _ = try await client.read(until: "250 ")
            try await client.send("MAIL FROM:<a@b.example>\r\nRCPT TO:<u@example.com>\r\nDATA\r\n")
            _ = try await client.read(until: "354 ")
            // The watchdog looks every 3 s (a tenth of the DATA timeout). Nine bytes, one per
            // 3 s: 27 s of the 30.009 s allowed are used, and the bytes earn no more.
            for _ in 0..<9 {
                events.discardPending()
                try await client.send("x")
                #expect(await events.next(.waitingForInput) != nil)
                await clock.waitForSleepers()
                clock.advance(by: .seconds(3))
                #expect(await events.nextCheck() == .deadlineChecked(expired: false))
            }
            #expect(!client.isClosed)
            events.discardPending()
            try await client.send("x")
            #expect(await events.next(.waitingForInput) != nil)
            await clock.waitForSleepers()
            clock.advance(by: .seconds(6))
            #expect(await events.nextCheck() == .deadlineChecked(expired: true))
            #expect(try await client.read(until: "421 ").contains("421 4.4.2"))
            #expect(try await client.waitForClose())
        }
        #expect(sink.committed.isEmpty)
        #expect(sink.aborts.withLock { $0 } == 1)
    }

    /// §4 S-X3: the per-address cap refuses the next connection; others still work.
    @Test func perAddressConnectionCap() async throws {
        let events = ProbeEvents()
        try await Self.withServer(events: events, { $0.maximumConnectionsPerAddress = 2 }) { port, _ in
            let first = try await LoopbackClient(port: port)
            let second = try await LoopbackClient(port: port)
            _ = try await first.read(until: "\r\n")
            _ = try await second.read(until: "\r\n")
            let third = try await LoopbackClient(port: port)
            #expect(try await third.read(until: "\r\n").hasPrefix("421 4.7.0"))
            #expect(try await third.waitForClose())
            await first.close()
            // Once the server has freed the closed connection's slot, a new connection from
            // the same address is greeted again.
            #expect(await events.next(.released) != nil)
            let fourth = try await LoopbackClient(port: port)
            #expect(try await fourth.read(until: "\r\n").hasPrefix("220 "))
            await second.close()
            await fourth.close()
        }
    }

    /// §4 S-P2 with a greeting delay: a client that talks first is dropped; one that waits
    /// for the banner is served. On the real clock: the greeting delay is what is tested.
    @Test func earlyTalkerIsDropped() async throws {
        let events = ProbeEvents()
        try await Self.withServer(clock: ContinuousClock(), events: events, { $0.greetingDelay = .milliseconds(200) }) { port, _ in
            let client = try await LoopbackClient(port: port)
            try await client.send("EHLO t\r\n")
            #expect(try await client.read(until: "\r\n").hasPrefix("554 5.5.0"))
            #expect(try await client.waitForClose())
            // The dropped connection no longer counts against the address's connections.
            #expect(await events.next(.released) != nil)
            let polite = try await LoopbackClient(port: port)
            #expect(try await polite.read(until: "\r\n").hasPrefix("220 "))
            await polite.close()
        }
    }

    /// Graceful shutdown: idle sessions get 421 at once; a transaction in flight finishes
    /// and is answered 250 before the server stops.
    @Test func gracefulShutdownFinishesTransactionsInFlight() async throws {
        let sink = RecordingSink()
        try await Self.withServer(sink: sink) { port, group in
            let idle = try await LoopbackClient(port: port)
            let busy = try await LoopbackClient(port: port)
            _ = try await idle.read(until: "\r\n")
            _ = try await busy.read(until: "\r\n")
            try await busy.send("EHLO t\r\n")
            _ = try await busy.read(until: "250 ")
            try await busy.send("MAIL FROM:<a@b.example>\r\nRCPT TO:<u@example.com>\r\nDATA\r\n")
            _ = try await busy.read(until: "354 ")
            try await busy.send("Subject: x\r\n\r\nstill arriving\r\n")
            await group.triggerGracefulShutdown()
            #expect(try await idle.read(until: "\r\n").hasPrefix("421 4.3.2"))
            #expect(try await idle.waitForClose())
            #expect(!busy.isClosed)
            try await busy.send(".\r\n")
            let replies = try await busy.read(until: "421 ")
            #expect(replies.hasPrefix("250 2.0.0 Ok: queued"))
            #expect(try await busy.waitForClose())
        }
        #expect(sink.committed.count == 1)
    }
}
