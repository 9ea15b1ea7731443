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
        _ body: (FaultProxy, EchoServer) throws -> Void
    ) throws {
        let echo = try EchoServer(greeting: greeting)
        defer { echo.stop() }
        let proxy = try FaultProxy(target: echo.endpoint, plan: plan, idleTimeout: idleTimeout)
        defer { proxy.stop() }
        try body(proxy, echo)
    }

    static func connect(_ proxy: FaultProxy) throws -> LineSocket {
        try LineSocket(host: "127.0.0.1", port: proxy.port, timeout: 5)
    }

    @Test func passesBytesThroughBothWaysAndCountsThem() throws {
        try Self.withProxy { proxy, echo in
            let client = try Self.connect(proxy)
            #expect(try client.readBytes(1000) == Self.greeting)
            let payload = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            try client.write(payload)
            #expect(try client.readBytes(payload.count) == payload)
            let stats = proxy.stats
            #expect(stats.accepted == 1 && stats.active == 1 && stats.cut == 0)
            #expect(stats.bytesClientToServer == 10_000)
            #expect(stats.bytesServerToClient == 11_000)
            #expect(stats.connections.first?.plan == .passThrough)
            #expect(proxy.endpoint.host == "127.0.0.1" && proxy.endpoint.port == proxy.port)
        }
    }

    @Test func aClientCloseIsPassedOnAndRecorded() throws {
        try Self.withProxy { proxy, echo in
            var client: LineSocket? = try Self.connect(proxy)
            _ = try client?.readBytes(1000)
            client = nil  // close
            #expect(try echo.receivedBytes(ofFinished: 0) == 0)
            let end = proxy.end(ofConnection: 0)
            #expect(end == .closedByClient)
            #expect(proxy.stats.active == 0)
        }
    }

    @Test func cutsAfterNBytesFromTheServer() throws {
        try Self.withProxy(plan: .cut(.afterBytes(300, .serverToClient))) { proxy, _ in
            let client = try Self.connect(proxy)
            let (bytes, error) = client.readToEnd()
            #expect(bytes == Array(Self.greeting.prefix(300)))
            #expect(error == nil, "an orderly close, got \(String(describing: error))")
            #expect(proxy.stats.cut == 1)
            #expect(proxy.stats.connections.first?.end == .cut)
            #expect(proxy.stats.bytesServerToClient == 300)
        }
    }

    @Test func cutsAfterNBytesFromTheClient() throws {
        try Self.withProxy(plan: .cut(.afterBytes(300, .clientToServer))) { proxy, echo in
            let client = try Self.connect(proxy)
            _ = try client.readBytes(1000)
            try client.write(Array(repeating: 7, count: 1000))
            let (bytes, error) = client.readToEnd()
            #expect(error == nil)
            #expect(bytes.count <= 300)
            #expect(try echo.receivedBytes(ofFinished: 0) == 300)
            #expect(proxy.stats.bytesClientToServer == 300)
        }
    }

    /// Reads of 7 bytes split the pattern; the client still gets exactly up to the cut.
    @Test func cutsInsideALiteral() throws {
        let literal = Array("* 1 FETCH (BODY[] {40}\r\n".utf8) + Array(repeating: UInt8(ascii: "x"), count: 40) + Array(")\r\n".utf8)
        let echo = try EchoServer(greeting: literal)
        defer { echo.stop() }
        let plan = FaultPlan(cut: .afterPattern("{40}\r\n", .serverToClient, then: 10), chunkSize: 7)
        let proxy = try FaultProxy(target: echo.endpoint, plan: plan)
        defer { proxy.stop() }
        let client = try Self.connect(proxy)
        #expect(try client.readLine() == "* 1 FETCH (BODY[] {40}")
        let (bytes, error) = client.readToEnd()
        #expect(bytes == Array(repeating: UInt8(ascii: "x"), count: 10))
        #expect(error == nil)
    }

    @Test func aResetCutFailsTheClientsRead() throws {
        try Self.withProxy(plan: .cut(.afterBytes(0, .serverToClient), style: .reset)) { proxy, _ in
            let client = try Self.connect(proxy)
            let (bytes, error) = client.readToEnd()
            #expect(bytes.isEmpty)
            #expect(error?.errno == ECONNRESET, "\(String(describing: error))")
        }
    }

    /// Five chunks of 100 bytes with 30 ms before each: at least 150 ms (a lower bound
    /// only; how much longer it takes is not this test's business).
    @Test func delaysEachChunk() throws {
        try Self.withProxy(plan: .delay(.milliseconds(30), chunkSize: 100)) { proxy, _ in
            let start = ContinuousClock.now
            let client = try Self.connect(proxy)
            #expect(try client.readBytes(1000) == Self.greeting)
            #expect(ContinuousClock.now - start >= .milliseconds(150))
        }
    }

    @Test func refusesNewConnectionsForAWhileThenAcceptsAgain() throws {
        try Self.withProxy { proxy, _ in
            let before = try Self.connect(proxy)
            // Its first bytes prove the proxy accepted it (a connection still in the
            // kernel's backlog would be reset by the refusal).
            #expect(try before.readBytes(500) == Array(Self.greeting.prefix(500)))
            proxy.refuseConnections(for: .milliseconds(400))
            do {
                _ = try Self.connect(proxy)
                Issue.record("connected during the refusal window")
            } catch let error as LineSocketError {
                #expect(error.errno == ECONNREFUSED, "\(error)")
            }
            // The connection from before goes on.
            #expect(try before.readBytes(500) == Array(Self.greeting.suffix(500)))
            try before.write("echo")
            #expect(try before.readBytes(4) == Array("echo".utf8))
            let after = try Poll.until("the proxy to accept again", attempts: 60, interval: 0.05) { try? Self.connect(proxy) }
            #expect(try after.readBytes(1000) == Self.greeting)
            #expect(proxy.stats.accepted == 2)
        }
    }

    @Test func queuedPlansGoToTheNextConnectionsThenTheDefault() throws {
        try Self.withProxy { proxy, _ in
            proxy.enqueue(.cut(.afterBytes(10, .serverToClient)))
            let first = try Self.connect(proxy)
            #expect(first.readToEnd().bytes.count == 10)
            let second = try Self.connect(proxy)
            #expect(try second.readBytes(1000) == Self.greeting)
            proxy.setDefaultPlan(.cut(.afterBytes(20, .serverToClient)))
            let third = try Self.connect(proxy)
            #expect(third.readToEnd().bytes.count == 20)
            #expect(proxy.stats.connections.map(\.plan.cut) == [
                .afterBytes(10, .serverToClient), nil, .afterBytes(20, .serverToClient),
            ])
        }
    }

    @Test func aTargetThatIsDownClosesTheClient() throws {
        let (fd, port) = try LoopbackSocket.makeListener()
        close(fd)  // nothing listens there now
        let proxy = try FaultProxy(target: TestbedEndpoint(host: "127.0.0.1", port: port))
        defer { proxy.stop() }
        let client = try Self.connect(proxy)
        #expect(client.readToEnd().bytes.isEmpty)
        let end = proxy.end(ofConnection: 0)
        #expect(end == .targetFailed)
        #expect(proxy.stats.targetFailures == 1)
    }

    @Test func anIdleConnectionEnds() throws {
        try Self.withProxy(idleTimeout: .milliseconds(200)) { proxy, _ in
            let client = try Self.connect(proxy)
            #expect(try client.readBytes(1000) == Self.greeting)
            let (_, error) = client.readToEnd()
            #expect(error == nil)
            #expect(proxy.stats.connections.first?.end == .idle)
        }
    }

    @Test func stopClosesTheListenerAndEveryConnection() throws {
        let echo = try EchoServer(greeting: Self.greeting)
        defer { echo.stop() }
        let proxy = try FaultProxy(target: echo.endpoint)
        let clients = try (0..<3).map { _ in try Self.connect(proxy) }
        for client in clients { _ = try client.readBytes(1000) }
        #expect(proxy.stop())
        for client in clients {
            #expect(client.readToEnd().error == nil, "each client sees end of stream")
        }
        #expect(throws: LineSocketError.self) { try Self.connect(proxy) }
        let stats = proxy.stats
        #expect(stats.active == 0)
        #expect(stats.connections.allSatisfy { $0.end == .stopped })
        #expect(proxy.stop(), "a second stop is harmless")
        // The echo server saw every connection end too.
        for index in 0..<3 { _ = try echo.receivedBytes(ofFinished: index) }
    }

    @Test func aProxyPastItsLifetimeStopsItself() throws {
        let echo = try EchoServer(greeting: Self.greeting)
        defer { echo.stop() }
        let proxy = try FaultProxy(target: echo.endpoint, lifetime: .milliseconds(200))
        defer { proxy.stop() }
        let client = try Self.connect(proxy)
        #expect(client.readToEnd().error == nil)
        _ = try Poll.until("the listener to close") { (try? Self.connect(proxy)) == nil ? true : nil }
    }
}
