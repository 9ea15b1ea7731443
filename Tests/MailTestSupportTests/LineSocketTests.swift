import Foundation
@testable import MailTestSupport
@testable import TestbedClient
import Testing

@Suite struct LineSocketTests {
    /// More sessions than the cooperative pool has threads, each waiting for a greeting that
    /// the server sends only once all of them have connected. A client that waited in `recv`
    /// on its caller's thread would hold every thread of the pool, the remaining sessions
    /// could never connect, and every read would time out.
    @Test(.timeLimit(.minutes(1)))
    func moreSessionsThanThreadsWaitAtOnce() async throws {
        let count = ProcessInfo.processInfo.activeProcessorCount * 2 + 2
        let server = try EchoServer(greeting: Array("* OK all here\r\n".utf8), greetAfter: count)
        defer { server.stop() }
        let answers = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<count {
                group.addTask {
                    let session = try await IMAPTestSession(server.endpoint, timeout: 20)
                    let echoed = try await session.command("NOOP")  // the echo of `t1 NOOP`
                    return "\(session.greeting) / \(echoed.status)"
                }
            }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(answers == Array(repeating: "* OK all here / NOOP", count: count))
        #expect(server.connectionCount == count)
    }
}
