import Foundation
import NIOCore
import NIOPosix
import Testing

@testable import BlockingIO

@Suite struct EventLoopTaskExecutorTests {
    @Test func thereIsOneExecutorPerLoopOfTheSharedGroup() {
        let executors = EventLoopTaskExecutor.forEachLoop()
        #expect(executors.count == System.coreCount)
        #expect(Set(executors.map { ObjectIdentifier($0.eventLoop) }).count == executors.count)
    }

    @Test func aTaskThatPrefersItRunsOnItsLoopAcrossSuspensions() async {
        for executor in EventLoopTaskExecutor.forEachLoop() {
            let onLoop = await withTaskExecutorPreference(executor) {
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
}
