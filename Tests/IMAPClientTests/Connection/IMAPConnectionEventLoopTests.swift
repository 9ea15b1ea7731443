import BlockingIO
import Foundation
import NIOCore
import NIOPosix
import Testing

@testable import IMAPClient

/// IMAPConnection opens its channel on the loop of the task's ``EventLoopTaskExecutor``.
@Suite struct IMAPConnectionEventLoopTests {
    /// The point of the executor: a connection opened from such a task is served by the same
    /// loop, so its responses resume the task without a thread switch.
    @Test func aConnectionOpenedFromSuchATaskLivesOnTheSameLoop() async throws {
        let steps = [
            ScriptedServer.Step("", "* OK [CAPABILITY IMAP4rev1] hi\r\n"),
            ScriptedServer.Step("A1 NOOP\r\n", "A1 OK done\r\n"),
            ScriptedServer.Step("A2 LOGOUT\r\n", "* BYE bye\r\nA2 OK bye\r\n"),
        ]
        for executor in EventLoopTaskExecutor.forEachLoop() {
            let (server, client) = try await ScriptedServer.run(steps) { port in
                try await withTaskExecutorPreference(executor) {
                    try await IMAPConnection.withConnection(
                        to: IMAPEndpoint(host: "127.0.0.1", port: port, security: .none), logger: testLogger
                    ) { connection in
                        try await connection.noop()
                        return (connection.channel.eventLoop === executor.eventLoop, executor.eventLoop.inEventLoop)
                    }
                }
            }
            #expect(server == nil, "\(String(describing: server))")
            let (sameLoop, resumedOnLoop) = try client.get()
            #expect(sameLoop)
            #expect(resumedOnLoop)
        }
    }
}
