import Foundation
@testable import MailTestSupport
@testable import TestbedClient
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The proxy against a tiny echo server on loopback: every fault, the counters, refusal,
/// and that stop() leaves nothing open.
@Suite struct FaultProxyTests {
    static let greeting = Array(repeating: UInt8(ascii: "g"), count: 1000)

    /// An echo server (with a 1000-byte greeting) behind a proxy; both stopped afterwards.
    static func withProxy(
        plan: FaultPlan = .passThrough, idleTimeout: Duration = .seconds(30),
        _ body: (FaultProxy, EchoServer) async throws -> Void
    ) async throws {
        let echo = try EchoServer(greeting: greeting)
        defer { echo.stop() }
        let proxy = try FaultProxy(target: echo.endpoint, plan: plan, idleTimeout: idleTimeout)
        defer { proxy.stop() }
        try await body(proxy, echo)
    }

    static func connect(_ proxy: FaultProxy) async throws -> LineSocket {
        try await LineSocket(host: "127.0.0.1", port: proxy.port, timeout: 5)
    }

    @Test func passesBytesThroughBothWaysAndCountsThem() async throws {
        try await Self.withProxy { proxy, echo in
            let client = try await Self.connect(proxy)
            #expect(try await client.readBytes(1000) == Self.greeting)
            let payload = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            try await client.write(payload)
            #expect(try await client.readBytes(payload.count) == payload)
            let stats = proxy.stats
            #expect(stats.accepted == 1 && stats.active == 1 && stats.cut == 0)
            #expect(stats.bytesClientToServer == 10_000)
            #expect(stats.bytesServerToClient == 11_000)
            #expect(stats.connections.first?.plan == .passThrough)
            #expect(proxy.endpoint.host == "127.0.0.1" && proxy.endpoint.port == proxy.port)
        }
    }

    @Test func aClientCloseIsPassedOnAndRecorded() async throws {
        try await Self.withProxy { proxy, echo in
            var client: LineSocket? = try await Self.connect(proxy)
            _ = try await client?.readBytes(1000)
            client = nil  // close
            #expect(try await echo.receivedBytes(ofFinished: 0) == 0)
            let end = await proxy.end(ofConnection: 0)
            #expect(end == .closedByClient)
            #expect(proxy.stats.active == 0)
        }
    }

    @Test func cutsAfterNBytesFromTheServer() async throws {
        try await Self.withProxy(plan: .cut(.afterBytes(300, .serverToClient))) { proxy, _ in
            let client = try await Self.connect(proxy)
            let (bytes, error) = await client.readToEnd()
            #expect(bytes == Array(Self.greeting.prefix(300)))
            #expect(error == nil, "an orderly close, got \(String(describing: error))")
            #expect(proxy.stats.cut == 1)
            #expect(proxy.stats.connections.first?.end == .cut)
            #expect(proxy.stats.bytesServerToClient == 300)
        }
    }

    @Test func cutsAfterNBytesFromTheClient() async throws {
        try await Self.withProxy(plan: .cut(.afterBytes(300, .clientToServer))) { proxy, echo in
            let client = try await Self.connect(proxy)
            _ = try await client.readBytes(1000)
            try await client.write(Array(repeating: 7, count: 1000))
            let (bytes, error) = await client.readToEnd()
            #expect(error == nil)
            #expect(bytes.count <= 300)
            #expect(try await echo.receivedBytes(ofFinished: 0) == 300)
            #expect(proxy.stats.bytesClientToServer == 300)
        }
    }

    /// Reads of 7 bytes split the pattern; the client still gets exactly up to the cut.
    @Test func cutsInsideALiteral() async throws {
        let literal = Array("* 1 FETCH (BODY[] {40}\r\n".utf8) + Array(repeating: UInt8(ascii: "x"), count: 40) + Array(")\r\n".utf8)
        let echo = try EchoServer(greeting: literal)
        defer { echo.stop() }
        let plan = FaultPlan(cut: .afterPattern("{40}\r\n", .serverToClient, then: 10), chunkSize: 7)
        let proxy = try FaultProxy(target: echo.endpoint, plan: plan)
        defer { proxy.stop() }
        let client = try await Self.connect(proxy)
        #expect(try await client.readLine() == "* 1 FETCH (BODY[] {40}")
        let (bytes, error) = await client.readToEnd()
        #expect(bytes == Array(repeating: UInt8(ascii: "x"), count: 10))
        #expect(error == nil)
    }

    @Test func aResetCutFailsTheClientsRead() async throws {
        try await Self.withProxy(plan: .cut(.afterBytes(0, .serverToClient), style: .reset)) { proxy, _ in
            let client = try await Self.connect(proxy)
            let (bytes, error) = await client.readToEnd()
            #expect(bytes.isEmpty)
            #expect(error?.errno == ECONNRESET, "\(String(describing: error))")
        }
    }

    /// Five chunks of 100 bytes with 30 ms before each: at least 150 ms (a lower bound
    /// only; how much longer it takes is not this test's business).
    @Test func delaysEachChunk() async throws {
        try await Self.withProxy(plan: .delay(.milliseconds(30), chunkSize: 100)) { proxy, _ in
            let start = ContinuousClock.now
            let client = try await Self.connect(proxy)
            #expect(try await client.readBytes(1000) == Self.greeting)
            #expect(ContinuousClock.now - start >= .milliseconds(150))
        }
    }

    @Test func refusesNewConnectionsForAWhileThenAcceptsAgain() async throws {
        try await Self.withProxy { proxy, _ in
            let before = try await Self.connect(proxy)
            // Its first bytes prove the proxy accepted it (a connection still in the
            // kernel's backlog would be reset by the refusal).
            #expect(try await before.readBytes(500) == Array(Self.greeting.prefix(500)))
            proxy.refuseConnections(for: .milliseconds(400))
            do {
                _ = try await Self.connect(proxy)
                Issue.record("connected during the refusal window")
            } catch let error as LineSocketError {
                #expect(error.errno == ECONNREFUSED, "\(error)")
            }
            // The connection from before goes on.
            #expect(try await before.readBytes(500) == Array(Self.greeting.suffix(500)))
            try await before.write("echo")
            #expect(try await before.readBytes(4) == Array("echo".utf8))
            #expect(await proxy.waitUntilAccepting(), "the window ends")
            let after = try await Self.connect(proxy)
            #expect(try await after.readBytes(1000) == Self.greeting)
            #expect(proxy.stats.accepted == 2)
        }
    }

    @Test func queuedPlansGoToTheNextConnectionsThenTheDefault() async throws {
        try await Self.withProxy { proxy, _ in
            proxy.enqueue(.cut(.afterBytes(10, .serverToClient)))
            let first = try await Self.connect(proxy)
            #expect(await first.readToEnd().bytes.count == 10)
            let second = try await Self.connect(proxy)
            #expect(try await second.readBytes(1000) == Self.greeting)
            proxy.setDefaultPlan(.cut(.afterBytes(20, .serverToClient)))
            let third = try await Self.connect(proxy)
            #expect(await third.readToEnd().bytes.count == 20)
            #expect(proxy.stats.connections.map(\.plan.cut) == [
                .afterBytes(10, .serverToClient), nil, .afterBytes(20, .serverToClient),
            ])
        }
    }

    @Test func aTargetThatIsDownClosesTheClient() async throws {
        let (fd, port) = try LoopbackSocket.makeListener()
        close(fd)  // nothing listens there now
        let proxy = try FaultProxy(target: TestbedEndpoint(host: "127.0.0.1", port: port))
        defer { proxy.stop() }
        let client = try await Self.connect(proxy)
        #expect(await client.readToEnd().bytes.isEmpty)
        let end = await proxy.end(ofConnection: 0)
        #expect(end == .targetFailed)
        #expect(proxy.stats.targetFailures == 1)
    }

    @Test func anIdleConnectionEnds() async throws {
        try await Self.withProxy(idleTimeout: .milliseconds(200)) { proxy, _ in
            let client = try await Self.connect(proxy)
            #expect(try await client.readBytes(1000) == Self.greeting)
            let (_, error) = await client.readToEnd()
            #expect(error == nil)
            #expect(proxy.stats.connections.first?.end == .idle)
        }
    }

    @Test func stopClosesTheListenerAndEveryConnection() async throws {
        let echo = try EchoServer(greeting: Self.greeting)
        defer { echo.stop() }
        let proxy = try FaultProxy(target: echo.endpoint)
        var clients: [LineSocket] = []
        for _ in 0..<3 { clients.append(try await Self.connect(proxy)) }
        for client in clients { _ = try await client.readBytes(1000) }
        #expect(proxy.stop())
        for client in clients {
            #expect(await client.readToEnd().error == nil, "each client sees end of stream")
        }
        await #expect(throws: LineSocketError.self) { try await Self.connect(proxy) }
        let stats = proxy.stats
        #expect(stats.active == 0)
        #expect(stats.connections.allSatisfy { $0.end == .stopped })
        #expect(proxy.stop(), "a second stop is harmless")
        // The echo server saw every connection end too.
        for index in 0..<3 { _ = try await echo.receivedBytes(ofFinished: index) }
    }

    @Test func aProxyPastItsLifetimeStopsItself() async throws {
        let echo = try EchoServer(greeting: Self.greeting)
        defer { echo.stop() }
        let proxy = try FaultProxy(target: echo.endpoint, lifetime: .milliseconds(200))
        defer { proxy.stop() }
        let client = try await Self.connect(proxy)
        #expect(await client.readToEnd().error == nil)
        #expect(await proxy.waitUntilStopped())
        let accepted = proxy.stats.accepted
        // Its port is free again, and a test running alongside may have bound it since: what is
        // checked is that the proxy takes no new connection, not that a connect fails. Were it
        // still taking them, the echo's greeting would come through (and the connection be
        // counted before it does).
        if let late = try? await LineSocket(host: "127.0.0.1", port: proxy.port, timeout: 1) {
            _ = try? await late.readBytes(Self.greeting.count)
        }
        #expect(proxy.stats.accepted == accepted, "a stopped proxy accepts nothing")
    }
}
