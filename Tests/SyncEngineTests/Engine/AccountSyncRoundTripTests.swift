import Foundation
import MailModel
import MailTestSupport
import StateStore
import SyncEngine
import SyncTestSupport
import Synchronization
import Testing

/// What a run asks of the servers at once: both sides of a folder opened together, both
/// listings together, the state's records read while a folder opens.
@Suite struct AccountSyncRoundTripTests {
    /// On a re-run the destination folder is selected while the source folder is, not after:
    /// the source's open here waits until the destination's has begun, which a run opening
    /// them one after the other never lets happen (it would hit the time limit).
    @Test(.timeLimit(.minutes(1))) func aRerunOpensBothSidesOfAFolderAtOnce() async throws {
        let fixture = SyncFixture()
        defer { fixture.cleanUp() }
        AccountSyncTests().populate(fixture)
        #expect(try await fixture.sync().outcome == .complete)
        let (destinationOpening, signal) = AsyncStream<String>.makeStream()
        fixture.destination.withLock {
            fixture.destination.beforeOpen = { name in signal.yield(name) }
        }
        fixture.source.withLock {
            fixture.source.beforeOpen = { name in
                let wanted = SyncFixture.courierToDovecot(name)
                for await opening in destinationOpening where opening == wanted { return }
            }
        }
        let report = try await fixture.sync()
        #expect(report.outcome == .complete)
        #expect(report.folders.count == 5)
        AccountSyncTests().expectSameContent(fixture)
    }

    /// The plan asks both sides at the same time: here the source's listing waits until the
    /// destination's has begun, which planning one side after the other never lets happen.
    @Test(.timeLimit(.minutes(1))) func thePlanListsBothSidesAtOnce() async throws {
        let fixture = SyncFixture()
        defer { fixture.cleanUp() }
        AccountSyncTests().populate(fixture)
        let (destinationListing, signal) = AsyncStream<Void>.makeStream()
        fixture.destination.withLock {
            fixture.destination.beforeListing = { signal.yield() }
        }
        fixture.source.withLock {
            fixture.source.beforeListing = {
                for await _ in destinationListing { return }
            }
        }
        let report = try await fixture.sync()
        #expect(report.outcome == .complete)
        AccountSyncTests().expectSameContent(fixture)
    }

    /// On a re-run whose folder has no records read ahead (here one with new mail, worked on by
    /// two session pairs, which announce nothing) a folder's records are read while the folder
    /// is opened: here the read of INBOX's records on its own waits until the source's open of
    /// INBOX has begun, which a run reading them first never lets happen (it would hit the
    /// time limit).
    @Test(.timeLimit(.minutes(1))) func aRerunReadsAFoldersRecordsWhileOpeningIt() async throws {
        let fixture = SyncFixture()
        defer { fixture.cleanUp() }
        AccountSyncTests().populate(fixture)
        #expect(try await fixture.sync().outcome == .complete)
        fixture.source.deliver("Message-ID: <new@x>\r\nSubject: new\r\n\r\nnew body\r\n", flags: [])
        var options = fixture.options
        options.foldersInParallel = 2
        let (sourceOpening, signal) = AsyncStream<String>.makeStream()
        fixture.source.withLock {
            fixture.source.beforeOpen = { name in signal.yield(name) }
        }
        // INBOX's records are read only once the source has begun to open INBOX.
        let inboxReads = Mutex(0)
        let store = RecordsReadHook(base: try SQLiteStateStore(directory: fixture.stateDirectory)) { folder in
            guard folder == "INBOX" else { return }
            inboxReads.withLock { $0 += 1 }
            for await name in sourceOpening where name == folder { break }
        }
        let report = await AccountSync(
            account: "alice", source: InMemoryStore(server: fixture.source), destination: InMemoryStore(server: fixture.destination),
            stateStore: store, options: options, clock: TestClock(advance: .onSleep)
        ).run()
        #expect(report.outcome == .complete)
        #expect(report.copied == 1)
        #expect(inboxReads.withLock { $0 } == 1)
        AccountSyncTests().expectSameContent(fixture)
    }

    @Test func condstoreMakesANoOpRerunCheap() async throws {
        let fixture = SyncFixture()
        defer { fixture.cleanUp() }
        fixture.source.supportsCondstore = true
        AccountSyncTests().populate(fixture)
        _ = try await fixture.sync()
        let fetchesBefore = fixture.source.summaryFetches
        let report = try await fixture.sync()
        #expect(report.outcome == .complete)
        #expect(fixture.source.summaryFetches == fetchesBefore)
    }
}
