import Testing

@testable import SyncEngine

@Suite struct ArrayTaskExecutorTests {
    private final class Executor: TaskExecutor, @unchecked Sendable {
        func enqueue(_ job: consuming ExecutorJob) { UnownedJob(job).runSynchronously(on: asUnownedTaskExecutor()) }
    }

    @Test func workersTakeTheExecutorsInTurnAndNoneMeansTheDefault() {
        let first = Executor(), second = Executor()
        let executors: [any TaskExecutor] = [first, second]
        #expect(executors.preferred(for: 0) as? Executor === first)
        #expect(executors.preferred(for: 1) as? Executor === second)
        #expect(executors.preferred(for: 2) as? Executor === first)
        #expect([any TaskExecutor]().preferred(for: 0) == nil)
    }
}
