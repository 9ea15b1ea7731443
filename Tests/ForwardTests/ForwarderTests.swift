import Forward
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import ProxyProtocol
import Testing

/// The forwarder on loopback between a blocking client socket and a test upstream that
/// expects a PROXY v2 header. Every wait has a deadline (socket timeouts, semaphores).
@Suite("Forwarder")
struct ForwarderTests {
    static func configuration(upstreamPort: Int, _ adjust: (inout ForwardConfiguration) -> Void = { _ in }) -> ForwardConfiguration {
        var configuration = ForwardConfiguration(
            listeners: [.init(name: "imap", listen: .init(host: "127.0.0.1", port: 0), upstream: .init(host: "127.0.0.1", port: upstreamPort))])
        adjust(&configuration)
        return configuration
    }

    static func start(_ configuration: ForwardConfiguration, logger: Logger = Logger(label: "test")) async throws -> (Forwarder, Int) {
        let forwarder = try await Forwarder.start(configuration, logger: logger)
        return (forwarder, forwarder.listeners[0].port)
    }

    @Test func sendsTheClientsAddressFirstThenRelaysBytesUnchanged() async throws {
        let upstream = try await TestUpstream.start(.echo)
        let (logger, lines) = RecordingLogHandler.logger()
        let (forwarder, port) = try await Self.start(Self.configuration(upstreamPort: upstream.port), logger: logger)
        let client = try await TestClient(port: port)
        let text = "a1 LOGIN forward-user s3cret-pass\r\n\u{0}\u{FF}8-bit é\r\n"
        try await client.sendText(text)
        #expect(try await client.receive(count: text.utf8.count) == Array(text.utf8))

        let headers = upstream.record.withLockedValue { $0.headers }
        #expect(
            headers == [
                ProxyHeader(
                    addresses: .inet(
                        source: IPv4Address(127, 0, 0, 1), sourcePort: UInt16(client.localPort), destination: IPv4Address(127, 0, 0, 1),
                        destinationPort: UInt16(port)))
            ])
        client.shutdownWrite()
        #expect(try await client.receiveUntilClosed() == Array("bye\r\n".utf8))
        await forwarder.stop(grace: .seconds(10))
        let counters = forwarder.counters
        #expect(counters.accepted == 1)
        #expect(counters.active == 0)
        #expect(counters.bytesFromClients == text.utf8.count)
        #expect(counters.bytesFromUpstreams == text.utf8.count + 5)
        #expect(counters.clientAddressesByHour.map(\.addresses) == [1])
        // The log names the connection, never what went through it.
        let log = lines.withLockedValue { $0 }
        #expect(log.contains { $0.contains("connection forwarded") && $0.contains("127.0.0.1:\(client.localPort)") })
        #expect(log.contains { $0.contains("connection closed") })
        #expect(!log.contains { $0.contains("s3cret-pass") || $0.contains("LOGIN") })
        await upstream.stop()
    }

    /// The client's EOF reaches the upstream as EOF while the other direction stays open:
    /// the upstream's last words after it still reach the client.
    @Test func passesAHalfCloseOnAndKeepsTheOtherDirection() async throws {
        let upstream = try await TestUpstream.start(.echo)
        let (forwarder, port) = try await Self.start(Self.configuration(upstreamPort: upstream.port))
        let client = try await TestClient(port: port)
        try await client.sendText("QUIT\r\n")
        client.shutdownWrite()
        #expect(try await client.receiveUntilClosed() == Array("QUIT\r\nbye\r\n".utf8))
        await forwarder.stop(grace: .seconds(10))
        await upstream.stop()
    }

    @Test func closesTheClientWhenTheUpstreamRefuses() async throws {
        let gone = try await TestUpstream.start(.echo)
        let port = gone.port
        await gone.stop()
        let (forwarder, listenPort) = try await Self.start(Self.configuration(upstreamPort: port))
        let client = try await TestClient(port: listenPort)
        #expect(try await client.receiveUntilClosed() == [])
        await forwarder.stop(grace: .seconds(10))
        #expect(forwarder.counters.upstreamFailures == 1)
        #expect(forwarder.counters.active == 0)
    }

    /// An upstream that never answers the SYN: the client is closed after the connect timeout.
    @Test func closesTheClientWhenTheUpstreamDoesNotAnswerInTime() async throws {
        let upstream = try BacklogFullListener()
        defer { upstream.close() }
        let (forwarder, port) = try await Self.start(
            Self.configuration(upstreamPort: upstream.port) {
                $0.connectTimeout = .milliseconds(300)
                $0.idleTimeout = .seconds(10)
            })
        let client = try await TestClient(port: port)
        #expect(try await client.receiveUntilClosed() == [])
        await forwarder.stop(grace: .seconds(10))
        #expect(forwarder.counters.upstreamFailures == 1)
        #expect(forwarder.counters.idleClosed == 0)
    }

    /// A silent upstream (or client) costs a connection until the idle timeout, then none.
    @Test func closesASilentConnectionAfterTheIdleTimeout() async throws {
        let upstream = try await TestUpstream.start(.silent)
        let (forwarder, port) = try await Self.start(Self.configuration(upstreamPort: upstream.port) { $0.idleTimeout = .milliseconds(500) })
        let client = try await TestClient(port: port)
        try await client.sendText("a1 NOOP\r\n")
        #expect(try await client.receiveUntilClosed() == [])
        await forwarder.stop(grace: .seconds(10))
        #expect(forwarder.counters.idleClosed == 1)
        #expect(upstream.record.withLockedValue { $0.headers.count } == 1)
        await upstream.stop()
    }

    /// Traffic moves the idle deadline on (the timer re-arms instead of firing at the first
    /// deadline); once the traffic stops, the connection is closed as idle. The timeout is
    /// long enough that a loaded machine's scheduling gaps between two exchanges stay below it.
    @Test func trafficKeepsAConnectionPastTheIdleTimeoutUntilItStops() async throws {
        let upstream = try await TestUpstream.start(.echo)
        let timeout = Duration.seconds(1)
        let (forwarder, port) = try await Self.start(Self.configuration(upstreamPort: upstream.port) { $0.idleTimeout = timeout })
        let client = try await TestClient(port: port)
        let start = ContinuousClock.now
        var exchanges = 0
        while ContinuousClock.now - start < timeout * 2.5, exchanges < 1_000_000 {
            try await client.sendText("x")
            #expect(try await client.receive(count: 1) == [UInt8(ascii: "x")])
            exchanges += 1
        }
        #expect(forwarder.counters.idleClosed == 0)
        #expect(try await client.receiveUntilClosed() == [])
        await forwarder.stop(grace: .seconds(10))
        #expect(forwarder.counters.idleClosed == 1)
        await upstream.stop()
    }

    /// The upstream vanishes in the middle of a literal: the client is closed, nothing stays open.
    @Test func closesTheClientWhenTheUpstreamResetsMidCommand() async throws {
        let upstream = try await TestUpstream.start(.resetAfterFirstBytes)
        let (forwarder, port) = try await Self.start(Self.configuration(upstreamPort: upstream.port))
        let client = try await TestClient(port: port)
        try await client.sendText("a1 APPEND INBOX {100000}\r\n")
        #expect(try await client.receiveUntilClosed() == [])
        await forwarder.stop(grace: .seconds(10))
        #expect(forwarder.counters.active == 0)
        await upstream.stop()
    }

    @Test func refusesConnectionsOverTheTotalCap() async throws {
        let upstream = try await TestUpstream.start(.echo)
        let (forwarder, port) = try await Self.start(Self.configuration(upstreamPort: upstream.port) { $0.maxConnections = 1 })
        let first = try await TestClient(port: port)
        try await first.sendText("one\r\n")
        #expect(try await first.receive(count: 5) == Array("one\r\n".utf8))
        let second = try await TestClient(port: port, source: "127.0.0.2")
        #expect(try await second.receiveUntilClosed() == [])
        #expect(forwarder.counters.rejectedTotalCap == 1)
        #expect(forwarder.counters.rejectedSourceCap == 0)
        await forwarder.stop(grace: .milliseconds(100))
        await upstream.stop()
    }

    /// Distinct client addresses per clock hour, from the injected clock.
    @Test func countsDistinctClientAddressesPerHour() async throws {
        let upstream = try await TestUpstream.start(.echo)
        let clock = NIOLockedValueBox(Date(timeIntervalSince1970: 1_800_000_000))
        let forwarder = try await Forwarder.start(Self.configuration(upstreamPort: upstream.port), now: { clock.withLockedValue { $0 } })
        let port = forwarder.listeners[0].port
        for (source, hourLater) in [("127.0.0.2", false), ("127.0.0.3", false), ("127.0.0.2", false), ("127.0.0.2", true)] {
            if hourLater { clock.withLockedValue { $0 = $0.addingTimeInterval(3600) } }
            let client = try await TestClient(port: port, source: source)
            try await client.sendText("x")
            #expect(try await client.receive(count: 1) == [UInt8(ascii: "x")])
        }
        await forwarder.stop(grace: .milliseconds(100))
        let hours = forwarder.counters.clientAddressesByHour
        #expect(hours.map(\.addresses) == [2, 1])
        #expect(hours.map { $0.hour.timeIntervalSince1970 } == [1_800_000_000, 1_800_003_600])
        await upstream.stop()
    }

    @Test func refusesConnectionsOverThePerSourceCap() async throws {
        let upstream = try await TestUpstream.start(.echo)
        let (forwarder, port) = try await Self.start(Self.configuration(upstreamPort: upstream.port) { $0.maxConnectionsPerSource = 1 })
        let first = try await TestClient(port: port)
        try await first.sendText("one\r\n")
        #expect(try await first.receive(count: 5) == Array("one\r\n".utf8))
        let second = try await TestClient(port: port)
        #expect(try await second.receiveUntilClosed() == [])
        #expect(forwarder.counters.rejectedSourceCap == 1)
        #expect(forwarder.counters.active == 1)
        // The first one is unaffected.
        try await first.sendText("two\r\n")
        #expect(try await first.receive(count: 5) == Array("two\r\n".utf8))
        await forwarder.stop(grace: .milliseconds(100))
        await upstream.stop()
    }

    /// A client that never reads while the upstream sends: the forwarder stops reading the
    /// upstream instead of buffering, so the upstream cannot finish; once the client reads,
    /// every byte arrives.
    @Test func aClientThatNeverReadsStopsTheUpstreamInsteadOfGrowingMemory() async throws {
        let total = 48 << 20
        let upstream = try await TestUpstream.start(.flood(total: total))
        let (forwarder, port) = try await Self.start(Self.configuration(upstreamPort: upstream.port) { $0.bufferSize = 64 * 1024 })
        let client = try await TestClient(port: port, timeout: 60, receiveBuffer: 64 * 1024)
        try await client.sendText("a1 FETCH 1:* BODY[]\r\n")
        // Kernel buffers on the way hold a few MiB at most; without backpressure the
        // forwarder would take all 48 MiB into memory within this wait.
        #expect(await !upstream.waitForFlood(seconds: 3))
        let taken = forwarder.counters.bytesFromUpstreams
        #expect(taken < total / 2, "the forwarder read \(taken) bytes the client did not take")
        #expect(try await client.receive(count: total).count == total)
        #expect(await upstream.waitForFlood(seconds: 60))
        await forwarder.stop(grace: .milliseconds(100))
        await upstream.stop()
    }

    @Test func stopLetsOpenSessionsFinishWithinTheGraceAndRefusesNewOnes() async throws {
        let upstream = try await TestUpstream.start(.echo)
        let (forwarder, port) = try await Self.start(Self.configuration(upstreamPort: upstream.port))
        let client = try await TestClient(port: port)
        try await client.sendText("a1 IDLE\r\n")
        #expect(try await client.receive(count: 9).count == 9)
        try await withThrowingTaskGroup(of: Int.self) { group in
            group.addTask { await forwarder.stop(grace: .seconds(120)) }
            // Still relaying during the grace period.
            try await client.sendText("DONE\r\n")
            #expect(try await client.receive(count: 6) == Array("DONE\r\n".utf8))
            client.shutdownWrite()
            #expect(try await client.receiveUntilClosed() == Array("bye\r\n".utf8))
            // The session ended by itself: nothing closed at the deadline, and stop returned
            // long before it.
            #expect(try await group.next() == 0)
        }
        await #expect(throws: TestClient.Failure.self) { try await TestClient(port: port) }
        await upstream.stop()
    }

    @Test func stopClosesWhatIsStillOpenAtTheDeadline() async throws {
        let upstream = try await TestUpstream.start(.echo)
        let (forwarder, port) = try await Self.start(Self.configuration(upstreamPort: upstream.port))
        let client = try await TestClient(port: port)
        try await client.sendText("a1 IDLE\r\n")
        #expect(try await client.receive(count: 9).count == 9)
        #expect(await forwarder.stop(grace: .milliseconds(200)) == 1)
        #expect(try await client.receiveUntilClosed() == [])
        #expect(forwarder.counters.active == 0)
        await upstream.stop()
    }

    @Test func refusesToStartWithProblemsOrOnABusyPort() async throws {
        await #expect(throws: ForwardError.invalidConfiguration(["no listeners: name at least one port to forward"])) {
            try await Forwarder.start(ForwardConfiguration(listeners: []))
        }
        let (first, port) = try await Self.start(Self.configuration(upstreamPort: 1))
        var busy = Self.configuration(upstreamPort: 1)
        busy.listeners.append(.init(name: "pop3", listen: .init(host: "127.0.0.1", port: port), upstream: .init(host: "127.0.0.1", port: 1)))
        await #expect {
            try await Forwarder.start(busy)
        } throws: { error in
            guard case ForwardError.cannotListen(let listener, _, _) = error else { return false }
            return listener == "pop3"
        }
        await first.stop(grace: .zero)
    }
}
