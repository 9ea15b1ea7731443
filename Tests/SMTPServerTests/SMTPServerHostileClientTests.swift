import Logging
import MailTestSupport
import NIOCore
import SMTPCodec
import SMTPTestSupport
import ServiceLifecycle
import Synchronization
import Testing
@testable import SMTPServer

/// Issue 13 items 2 and 3 on loopback sockets: a client that never reads, a client that
/// trickles a command, and shutdown with a slow transaction in flight. Time is a
/// `TestClock`; the test waits on the connection's probe events, never on time.
@Suite struct SMTPServerHostileClientTests {
    static func withServer(
        sink: RecordingSink = RecordingSink(), clock: TestClock, events: ProbeEvents,
        _ configure: (inout SMTPServerConfiguration) -> Void = { _ in },
        _ body: (Int, ServiceGroup) async throws -> Void
    ) async throws {
        var configuration = SMTPServerConfiguration(host: "127.0.0.1", port: 0, hostname: "mx.test")
        configure(&configuration)
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

    /// Item 2: a client sends HELP without end and never reads. The server stops reading it
    /// once `replyBacklogLimit` octets of replies are unread, so what it buffers stays
    /// bounded; the command deadline then ends the connection.
    @Test(.timeLimit(.minutes(1)))
    func clientThatNeverReadsIsNotBuffered() async throws {
        let clock = TestClock(advance: .manually)
        let events = ProbeEvents()
        let limit = 16 * 1024
        try await Self.withServer(clock: clock, events: events, { $0.replyBacklogLimit = limit }) { port, _ in
            let client = try await LoopbackClient(port: port, reading: false)
            let chunk = ByteBuffer(string: String(repeating: "HELP\r\n", count: 1000))
            await withThrowingTaskGroup(of: Void.self) { writer in
                // At most 12 MB; the server stops reading long before (its replies would be 50 MB).
                writer.addTask { for _ in 0..<2000 { try await client.channel.writeAndFlush(chunk) } }
                let stalled = await events.next(.waitingForOutput)
                #expect(stalled == .waitingForOutput, "the server stops reading")
                if stalled != nil {
                    await clock.waitForSleepers()
                    clock.advance(by: SMTPDefaults.commandTimeout)
                    #expect(await events.nextCheck() == .deadlineChecked(expired: true))
                    if case .ended(let peak)? = await events.nextEnd() {
                        // One flush (a quarter of the limit) may go over it, plus a reply.
                        #expect(peak <= limit + limit / 4 + 512, "peak reply backlog \(peak) octets")
                    } else {
                        Issue.record("the connection did not end")
                    }
                }
                await client.close()
                writer.cancelAll()
                _ = try? await writer.next()
            }
        }
    }

    /// Item 3: a command's deadline runs from the previous reply; bytes trickling in do not
    /// push it out.
    @Test(.timeLimit(.minutes(1)))
    func tricklingCommandIsCutOffAtItsDeadline() async throws {
        let clock = TestClock(advance: .manually)
        let events = ProbeEvents()
        try await Self.withServer(clock: clock, events: events) { port, _ in
            let client = try await LoopbackClient(port: port)
            #expect(await events.next(.waitingForInput) != nil)
            #expect(try await client.read(until: "\r\n").hasPrefix("220 "))
            await clock.waitForSleepers()
            clock.advance(by: .seconds(200))
            #expect(await events.nextCheck() == .deadlineChecked(expired: false))
            try await client.send("NO")
            #expect(await events.next(.waitingForInput) != nil)
            await clock.waitForSleepers()
            clock.advance(by: .seconds(101))
            #expect(await events.nextCheck() == .deadlineChecked(expired: true))
            #expect(try await client.read(until: "421 ").hasPrefix("421 4.4.2"))
            #expect(try await client.waitForClose())
            await client.close()
        }
    }

    /// Item 3: a complete command gets a fresh deadline (the client is slow, not stuck).
    @Test(.timeLimit(.minutes(1)))
    func eachAnsweredCommandGetsAFreshDeadline() async throws {
        let clock = TestClock(advance: .manually)
        let events = ProbeEvents()
        try await Self.withServer(clock: clock, events: events) { port, _ in
            let client = try await LoopbackClient(port: port)
            #expect(await events.next(.waitingForInput) != nil)
            _ = try await client.read(until: "\r\n")
            await clock.waitForSleepers()
            clock.advance(by: .seconds(200))
            #expect(await events.nextCheck() == .deadlineChecked(expired: false))
            try await client.send("NOOP\r\n")
            #expect(try await client.read(until: "\r\n").hasPrefix("250 "))
            #expect(await events.next(.waitingForInput) != nil)
            await clock.waitForSleepers()
            clock.advance(by: .seconds(299))
            #expect(await events.nextCheck() == .deadlineChecked(expired: false))
            #expect(!client.isClosed)
            await client.close()
        }
    }

    /// Item 3: on shutdown, an idle session gets 421 at once; a transaction still trickling
    /// in gets 421 when the grace period ends, and is dropped, never acknowledged.
    @Test(.timeLimit(.minutes(1)))
    func shutdownEndsSlowTransactionsAfterTheGracePeriod() async throws {
        let clock = TestClock(advance: .manually)
        let events = ProbeEvents()
        let sink = RecordingSink()
        try await Self.withServer(sink: sink, clock: clock, events: events, { $0.shutdownGracePeriod = .seconds(30) }) { port, group in
            let idle = try await LoopbackClient(port: port)
            _ = try await idle.read(until: "\r\n")
            let slow = try await LoopbackClient(port: port)
            _ = try await slow.read(until: "\r\n")
            try await slow.send("EHLO t\r\n")
            _ = try await slow.read(until: "250 ")
            try await slow.send("MAIL FROM:<a@b.example>\r\nRCPT TO:<u@example.com>\r\nDATA\r\n")
            _ = try await slow.read(until: "354 ")
            try await slow.send("Subject: x\r\n\r\nstill arriving")
            #expect(await events.next(.waitingForInput) != nil)
            await group.triggerGracefulShutdown()
            #expect(try await idle.read(until: "\r\n").hasPrefix("421 4.3.2"))
            #expect(await events.nextEnd() != nil, "the idle connection is over")
            await clock.waitForSleepers()
            clock.advance(by: .seconds(29))
            #expect(await events.nextCheck() == .deadlineChecked(expired: false))
            #expect(!slow.isClosed)
            await clock.waitForSleepers()
            clock.advance(by: .seconds(2))
            #expect(await events.nextCheck() == .deadlineChecked(expired: true))
            #expect(try await slow.read(until: "421 ").hasPrefix("421 4.3.2"))
            #expect(try await slow.waitForClose())
            await slow.close()
            #expect(await events.nextEnd() != nil)
        }
        #expect(sink.committed.isEmpty)
        #expect(sink.aborts.withLock { $0 } == 1)
    }
}
