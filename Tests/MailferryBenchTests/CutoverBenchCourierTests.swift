import Cutover
import Foundation
import MailTestSupport
import TestbedClient
import Testing

@testable import mailferry_bench

#if canImport(Glibc)
import Glibc
#endif

/// The benchmark's private Courier-IMAP: its stop returns only once every session has ended,
/// as the cutover requires of a stop command, and the shared testbed's Courier keeps running.
@Suite(.tags(.integration), .requiresTestbed, .enabled(if: getuid() == 0, "couriertcpd needs root to switch to the users' ids"))
struct CutoverBenchCourierTests {
    @Test func theStopEndsEverySessionBeforeItReturns() async throws {
        let testbed = try Testbed.require()
        let scratch = NSTemporaryDirectory() + "mailferry-bench-courier-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let courier = try CutoverBenchCourier.locate(address: "127.0.0.1", scratch: scratch).get()
        defer { courier.stopIfRunning() }
        let host = LocalHost()
        try await host.check(courier.startCommand)
        try await Wait.until("the private Courier to listen", timeout: .seconds(30), clock: ContinuousClock()) {
            (try? await LineSocket(host: courier.address, port: courier.port, timeout: 1)) != nil
        }
        let clients = try await courier.connectClients(2)
        let pid = try #require(Int32(try String(contentsOfFile: courier.pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        let sessions = try await host.run(HostCommand(["/usr/bin/pgrep", "-g", String(pid)])).standardOutput.split(separator: "\n")
        #expect(sessions.count >= 3, "couriertcpd and two sessions: \(sessions)")

        try await host.check(courier.stopCommand, timeout: .seconds(60))
        #expect(try await host.run(HostCommand(["/usr/bin/pgrep", "-g", String(pid)])).status == 1)
        // Each session is gone: at most a farewell line, then the end of the connection.
        for client in clients {
            await #expect(throws: LineSocketError.self) { for _ in 0..<5 { _ = try await client.readLine() } }
        }
        // The shared Courier answers as before.
        await #expect(try LineSocket(host: testbed.old.imap.host, port: testbed.old.imap.port, timeout: 5).readLine().hasPrefix("* OK"))
    }
}
