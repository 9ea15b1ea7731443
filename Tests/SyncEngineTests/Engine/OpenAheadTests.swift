import Foundation
import MailModel
import MailTestSupport
import StateStore
import SyncEngine
import SyncTestSupport
import Synchronization
import Testing

/// A worker that has the account to itself announces the folders it will open (so a store can
/// read them all in one round trip); one that shares the account with other workers does not.
@Suite struct OpenAheadTests {
    @Test func aRerunAnnouncesEveryFolderOnBothSidesOnce() async throws {
        let fixture = SyncFixture()
        defer { fixture.cleanUp() }
        AccountSyncTests().populate(fixture)
        #expect(try await fixture.sync().outcome == .complete)

        let heard = Announcements()
        let report = try await run(fixture, heard: heard)
        #expect(report.outcome == .complete)
        #expect(report.copied == 0)
        let source = heard.source.withLock { $0 }
        let destination = heard.destination.withLock { $0 }
        #expect(source.count == 1, "one announcement for all folders: \(source)")
        #expect(Set(source.first?.map(\.folder) ?? []) == ["INBOX", "INBOX.Archive", "INBOX.Archive.2019", "INBOX.Entwürfe", "INBOX.Sent"])
        #expect(source.first?.first?.folder == "INBOX", "in the order the folders are taken: INBOX first")
        // Without CONDSTORE each folder's flags below the last run's UIDNEXT are announced.
        let pairs = Dictionary(uniqueKeysWithValues: try await SQLiteStateStore(directory: fixture.stateDirectory)
            .folderPairs(account: "alice").map { ($0.sourceFolder, UID($0.sourceUIDNext)) })
        for open in source.first ?? [] {
            #expect(open.flagsBelow == pairs[open.folder] ?? nil, "\(open.folder)")
        }
        #expect(destination.map { Set($0.map(\.folder)) } == [["INBOX", "Archive", "Archive/2019", "Entwürfe", "Sent"]])
        #expect(destination.first?.allSatisfy { $0.flagsBelow == nil } == true)
        AccountSyncTests().expectSameContent(fixture)
    }

    /// A first run with mail to copy works with more than one worker: none announces.
    @Test func workersSharingAnAccountAnnounceNothing() async throws {
        let fixture = SyncFixture()
        defer { fixture.cleanUp() }
        AccountSyncTests().populate(fixture)
        let heard = Announcements()
        var options = fixture.options
        options.foldersInParallel = 2
        let report = try await run(fixture, heard: heard, options: options)
        #expect(report.outcome == .complete)
        #expect(report.copied == 8)
        #expect(heard.source.withLock { $0 }.isEmpty)
        #expect(heard.destination.withLock { $0 }.isEmpty)
        AccountSyncTests().expectSameContent(fixture)
    }

    /// From a store that reads ahead, on sessions that did not read the state while logging in
    /// (here the second pair, after the first lost its connection at the first open), the
    /// announced folders' records are read while the store answers the announcement: its
    /// read-ahead here waits for the first read, which a run reading them folder by folder
    /// afterwards never lets happen (it would hit the time limit). Each folder's records are
    /// read on their own once: its sync takes them from what was read ahead.
    @Test(.timeLimit(.minutes(1))) func theAnnouncedFoldersRecordsAreReadWhileTheStoreReadsAhead() async throws {
        let fixture = SyncFixture()
        defer { fixture.cleanUp() }
        AccountSyncTests().populate(fixture)
        #expect(try await fixture.sync().outcome == .complete)
        let (recordsRead, signal) = AsyncStream<Void>.makeStream()
        let announcements = Mutex(0)
        fixture.source.inject(.dropOnOpen)
        fixture.source.withLock {
            fixture.source.readsAhead = true
            fixture.source.beforeOpenAhead = { _ in
                // The first pair's announcement has the records read while it logged in.
                guard announcements.withLock({ $0 += 1; return $0 }) > 1 else { return }
                for await _ in recordsRead { return }
            }
        }
        let reads = Mutex<[String]>([])
        let store = RecordsReadHook(base: try SQLiteStateStore(directory: fixture.stateDirectory)) { folder in
            reads.withLock { $0.append(folder) }
            signal.yield()
        }
        let report = await rerun(fixture, stateStore: store)
        #expect(report.outcome == .complete)
        #expect(report.copied == 0)
        #expect(announcements.withLock { $0 } == 2)
        let read = reads.withLock { $0 }
        #expect(read.sorted() == ["INBOX", "INBOX.Archive", "INBOX.Archive.2019", "INBOX.Entwürfe", "INBOX.Sent"], "\(read)")
        AccountSyncTests().expectSameContent(fixture)
    }

    /// A re-run's records are read, all at once, while its first sessions log in and list: the
    /// listing here waits until they were read, which a run reading them only once the listing
    /// is in never lets happen (it would hit the time limit). No folder's records are read again
    /// on their own, and the run ends as the first left everything.
    @Test(.timeLimit(.minutes(1))) func theRecordsAreReadWhileTheFirstSessionsLogIn() async throws {
        let fixture = SyncFixture()
        defer { fixture.cleanUp() }
        AccountSyncTests().populate(fixture)
        #expect(try await fixture.sync().outcome == .complete)
        let folders = ["INBOX", "INBOX.Archive", "INBOX.Archive.2019", "INBOX.Entwürfe", "INBOX.Sent"]
        let (readAhead, signal) = AsyncStream<[String]>.makeStream()
        let readTogether = Mutex<[String]>([])
        fixture.source.withLock {
            fixture.source.beforeListing = {
                for await folders in readAhead {
                    readTogether.withLock { $0 = folders }
                    return
                }
            }
        }
        let reads = Mutex<[String]>([])
        var store = RecordsReadHook(base: try SQLiteStateStore(directory: fixture.stateDirectory)) { folder in
            reads.withLock { $0.append(folder) }
        }
        store.afterReadingSeveral = { folders in signal.yield(folders) }
        let report = await rerun(fixture, stateStore: store)
        #expect(report.outcome == .complete)
        #expect(report.copied == 0)
        #expect(readTogether.withLock { $0 }.sorted() == folders)
        #expect(reads.withLock { $0 }.isEmpty)
        AccountSyncTests().expectSameContent(fixture)
    }

    /// The fixture's account synced again with `stateStore` (a hook over its state).
    private func rerun(_ fixture: SyncFixture, stateStore: any SyncStateStore) async -> AccountReport {
        await AccountSync(
            account: "alice", source: InMemoryStore(server: fixture.source), destination: InMemoryStore(server: fixture.destination),
            stateStore: stateStore, options: fixture.options, clock: TestClock(advance: .onSleep)
        ).run()
    }

    private func run(_ fixture: SyncFixture, heard: Announcements, options: SyncOptions? = nil) async throws -> AccountReport {
        let store = try SQLiteStateStore(directory: fixture.stateDirectory)
        return await AccountSync(
            account: "alice",
            source: AnnouncedStore(base: InMemoryStore(server: fixture.source)) { opens in heard.source.withLock { $0.append(opens) } },
            destination: AnnouncedStore(base: InMemoryStore(server: fixture.destination)) { opens in
                heard.destination.withLock { $0.append(opens) }
            },
            stateStore: store, options: options ?? fixture.options, clock: TestClock(advance: .onSleep)
        ).run()
    }
}

/// What the sessions of one run heard announced, per side: each announcement's folders.
private final class Announcements: Sendable {
    struct Open: Sendable, Equatable {
        var folder: String
        var flagsBelow: UID?
    }
    let source = Mutex<[[Open]]>([])
    let destination = Mutex<[[Open]]>([])
}

/// An in-memory store whose sessions record ``MailboxReader/openAhead(_:)``.
private struct AnnouncedStore: SourceStore, DestinationStore {
    let base: InMemoryStore
    let heard: @Sendable ([Announcements.Open]) -> Void
    var displayName: String { base.displayName }
    var preservesSourceUIDs: Bool { base.preservesSourceUIDs }

    func withSession<T: Sendable>(_ body: (any MailboxReader) async throws -> T) async throws -> T {
        try await base.withSession { (session: any MailboxWriter) in try await body(AnnouncedSession(base: session, heard: heard)) }
    }

    func withSession<T: Sendable>(_ body: (any MailboxWriter) async throws -> T) async throws -> T {
        try await base.withSession { (session: any MailboxWriter) in try await body(AnnouncedSession(base: session, heard: heard)) }
    }
}

private struct AnnouncedSession: MailboxWriter {
    let base: any MailboxWriter
    let heard: @Sendable ([Announcements.Open]) -> Void

    var readsAhead: Bool { base.readsAhead }

    func openAhead(_ folders: [PlannedOpen]) async throws {
        let opens = folders.map { Announcements.Open(folder: $0.folder.name, flagsBelow: $0.expecting?.flagsOnlyBelow) }
        heard(opens)
        try await base.openAhead(folders)
    }

    func hierarchy() async throws -> StoreHierarchy { try await base.hierarchy() }
    func listFolders() async throws -> [FolderListing] { try await base.listFolders() }
    func open(_ folder: MailboxName) async throws -> FolderStatus { try await base.open(folder) }
    func open(_ folder: MailboxName, expecting request: SummaryRequest) async throws -> FolderStatus {
        try await base.open(folder, expecting: request)
    }
    func summaries(_ request: SummaryRequest) async throws -> [MessageSummary] { try await base.summaries(request) }
    func fetchBodies(_ uids: [UID], into sink: any MessageBodySink) async throws { try await base.fetchBodies(uids, into: sink) }
    func create(_ folder: MailboxName, uidValidity: UIDValidity?) async throws { try await base.create(folder, uidValidity: uidValidity) }
    func adoptIdentity(of source: FolderStatus, for folder: MailboxName) async throws -> IdentityAdoption {
        try await base.adoptIdentity(of: source, for: folder)
    }
    func subscribe(_ folder: MailboxName) async throws { try await base.subscribe(folder) }
    func subscriptions() async throws -> Set<MailboxName> { try await base.subscriptions() }
    func append(_ messages: [OutgoingMessage], to folder: MailboxName) async throws -> [AppendOutcome] {
        try await base.append(messages, to: folder)
    }
    func storeFlags(_ uids: [UID], adding: Set<Flag>, removing: Set<Flag>) async throws {
        try await base.storeFlags(uids, adding: adding, removing: removing)
    }
    func expunge(_ uids: [UID]) async throws { try await base.expunge(uids) }
}
