import Foundation
import Synchronization
import Testing

@testable import MailSpool

/// The queue directory's group commit: callers share fsyncs, yet none returns before an fsync
/// that started after its call has completed, and a failed fsync fails every caller it covered.
@Suite struct DirectorySyncGroupTests {
    /// Records each fsync's start and end on a shared timeline of event numbers.
    final class Recorder: Sendable {
        let state = Mutex<(clock: Int, syncs: [(start: Int, end: Int)])>((0, []))
        let failNext = Mutex(false)

        func tick() -> Int { state.withLock { $0.clock += 1; return $0.clock } }

        func sync(_: String) throws {
            let start = tick()
            let end = tick()
            state.withLock { $0.syncs.append((start, end)) }
            if failNext.withLock({ let fail = $0; $0 = false; return fail }) {
                throw SpoolError(.io, "fsync directory: Input/output error")
            }
        }
    }

    @Test func concurrentCallersShareFsyncsAndEachIsCoveredByOneThatStartedAfterIt() throws {
        let recorder = Recorder()
        let callers = 16
        let queued = WaitingCallers()
        let first = Mutex(true)
        // The first fsync lasts until every other caller is queued behind it, as sessions do
        // behind a real fsync.
        let group = DirectorySyncGroup(directory: "/unused", syncDirectory: { path in
            if first.withLock({ let was = $0; $0 = false; return was }) {
                #expect(queued.waitUntilQueued(callers - 1), "the other callers queued behind the first fsync")
            }
            try recorder.sync(path)
        }, waitingChanged: queued.observer)
        let calls = Mutex<[(called: Int, returned: Int)]>([])
        let done = DispatchGroup()
        for _ in 0..<callers {
            done.enter()
            Thread {
                let called = recorder.tick()
                try? group.sync()
                let returned = recorder.tick()
                calls.withLock { $0.append((called, returned)) }
                done.leave()
            }.start()
        }
        #expect(done.wait(timeout: .now() + 30) == .success)
        let syncs = recorder.state.withLock { $0.syncs }
        let finished = calls.withLock { $0 }
        #expect(finished.count == callers)
        // One fsync for the first caller, one for everyone who queued behind it.
        #expect(syncs.count == 2, "\(syncs.count) fsyncs for \(callers) concurrent callers")
        for call in finished {
            #expect(syncs.contains { $0.start > call.called && $0.end < call.returned },
                    "a caller returned without an fsync that started after its call")
        }
    }

    @Test func aFailedFsyncFailsTheCallerItCovered() throws {
        let recorder = Recorder()
        let group = DirectorySyncGroup(directory: "/unused") { try recorder.sync($0) }
        recorder.failNext.withLock { $0 = true }
        #expect(throws: SpoolError.self) { try group.sync() }
        try group.sync()
        #expect(recorder.state.withLock { $0.syncs.count } == 2)
    }

    @Test func aSpoolCommitStillLeavesItsEntryInTheQueue() throws {
        let directory = try SpoolTestDirectory()
        let entries = try (0..<8).map { try directory.store("Subject: \($0)\r\n\r\nbody\r\n") }
        #expect(try directory.files("queue").sorted() == entries.map { "\($0.id).msg" }.sorted())
        #expect(try directory.files("tmp").isEmpty)
    }
}
