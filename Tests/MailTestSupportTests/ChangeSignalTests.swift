import MailTestSupport
import Synchronization
import Testing

@Suite struct ChangeSignalTests {
    /// A waiter wakes on each signal and sees the producer's state; the bound is never reached.
    @Test func aWaiterWakesOnEachSignal() async throws {
        let signal = ChangeSignal()
        final class Count: Sendable { let value = Mutex(0) }
        let count = Count()
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for _ in 0..<3 {
                    count.value.withLock { $0 += 1 }
                    signal.signal()
                    await Task.yield()
                }
            }
            #expect(await signal.until(timeout: .seconds(120)) { count.value.withLock { $0 } == 3 })
            try await group.waitForAll()
        }
        #expect(ContinuousClock.now - started < .seconds(60))
    }

    /// A change made after the waiter checked and before it waits is not lost.
    @Test func aSignalBetweenTheCheckAndTheWaitIsNotLost() async {
        let signal = ChangeSignal()
        var checks = 0
        let started = ContinuousClock.now
        let held = await signal.until(timeout: .seconds(120)) {
            checks += 1
            if checks == 1 { signal.signal() }  // the change lands right after this check
            return checks == 2
        }
        #expect(held && checks == 2)
        #expect(ContinuousClock.now - started < .seconds(60))
    }

    /// Nothing changes: false once the bound passes, and the named form throws.
    @Test func withoutAChangeTheBoundEndsTheWait() async {
        let signal = ChangeSignal()
        #expect(await signal.until(timeout: .milliseconds(50)) { false } == false)
        await #expect(throws: PollTimeout.self) {
            _ = try await signal.until("nothing", timeout: .milliseconds(50)) { () -> Int? in nil }
        }
    }
}
