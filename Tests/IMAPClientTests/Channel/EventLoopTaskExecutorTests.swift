import Foundation
import NIOCore
import NIOPosix
import Testing

@testable import IMAPClient

@Suite struct EventLoopTaskExecutorTests {
    @Test func thereIsOneExecutorPerLoopOfTheSharedGroup() {
        let executors = EventLoopTaskExecutor.forEachLoop()
        #expect(executors.count == System.coreCount)
        #expect(Set(executors.map { ObjectIdentifier($0.eventLoop) }).count == executors.count)
    }

    @Test func aTaskThatPrefersItRunsOnItsLoopAcrossSuspensions() async throws {
        for executor in EventLoopTaskExecutor.forEachLoop() {
            let onLoop = try await withTaskExecutorPreference(executor) {
                var seen = [executor.eventLoop.inEventLoop]
                // A suspension resumed from a thread that is none of the group's loops.
                await withCheckedContinuation { resumed in
                    Thread { resumed.resume() }.start()
                }
                seen.append(executor.eventLoop.inEventLoop)
                async let child = executor.eventLoop.inEventLoop
                seen.append(await child)
                return seen
            }
            #expect(onLoop == [true, true, true], "the task, after a suspension, and its child task")
        }
    }

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
