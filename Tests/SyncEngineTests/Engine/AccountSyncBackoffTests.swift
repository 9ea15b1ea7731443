import MailModel
import MailTestSupport
import SyncEngine
import SyncTestSupport
import Synchronization
import Testing

/// The driver waits out the machine's backoffs on the injected clock: a test clock whose
/// sleeps return at once tells when each would have ended, and nothing sleeps.
@Suite struct AccountSyncBackoffTests {
    /// The retries the sync announced, as "folder #attempt".
    final class RetryLog: SyncObserver, Sendable {
        private let entries = Mutex<[String]>([])
        var retries: [String] { entries.withLock { $0 } }
        func handle(_ event: SyncEvent) {
            if case .retrying(_, let folder, let attempt, _) = event { entries.withLock { $0.append("\(folder) #\(attempt)") } }
        }
    }

    static func fixture(maxAttempts: Int) -> SyncFixture {
        var fixture = SyncFixture()
        fixture.source.addFolder("INBOX.Sent")
        fixture.source.deliver("Subject: one\r\n\r\nbody\r\n")
        fixture.source.deliver("Subject: two\r\n\r\nbody\r\n")
        fixture.source.deliver("Subject: sent\r\n\r\nbody\r\n", to: "INBOX.Sent")
        fixture.options.foldersInParallel = 1
        fixture.options.maxAttempts = maxAttempts
        fixture.options.initialBackoff = .seconds(1)
        fixture.options.maxBackoff = .seconds(3)
        return fixture
    }

    static func at(_ seconds: Int64) -> TestClock.Instant { TestClock.Instant(offset: .seconds(seconds)) }

    @Test func aFolderWhoseConnectionKeepsDroppingIsRetriedAfterBackoffsThatDoubleUpToTheMaximum() async throws {
        let fixture = Self.fixture(maxAttempts: 4)
        defer { fixture.cleanUp() }
        for _ in 0..<3 { fixture.source.inject(.dropOnOpen) }
        let clock = TestClock(advance: .onSleep)
        let log = RetryLog()
        let report = try await fixture.sync(observer: log, clock: clock)
        #expect(report.outcome == .complete)
        #expect(clock.sleeps == [Self.at(1), Self.at(3), Self.at(6)])
        #expect(log.retries == ["INBOX #2", "INBOX #3", "INBOX #4"])
        #expect(report.seconds == 6)
        #expect(fixture.destination.messages(in: "INBOX").count == 2)
        #expect(fixture.destination.messages(in: "Sent").count == 1)
    }

    @Test func aFolderOutOfAttemptsIsReportedFailedAndTheNextStartsWithoutWaiting() async throws {
        let fixture = Self.fixture(maxAttempts: 2)
        defer { fixture.cleanUp() }
        for _ in 0..<2 { fixture.source.inject(.dropOnOpen) }
        let clock = TestClock(advance: .onSleep)
        let report = try await fixture.sync(clock: clock)
        #expect(clock.sleeps == [Self.at(1)])
        #expect(report.folders.map(\.sourceFolder) == ["INBOX", "INBOX.Sent"])
        #expect(report.folders.map(\.errorKind) == [.connection, nil])
        #expect(report.error == nil)
        #expect(fixture.destination.messages(in: "Sent").count == 1)
    }
}
