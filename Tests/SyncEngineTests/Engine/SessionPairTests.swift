import MailModel
@testable import SyncEngine
import SyncTestSupport
import Synchronization
import Testing

/// Source and destination sessions open at the same time, both are closed whatever
/// happens, and the source's failure is the one reported when both fail.
@Suite struct SessionPairTests {
    @Test func bothSidesAreOpenedAtTheSameTime() async throws {
        let meeting = Meeting()
        let source = Opening(base: InMemoryStore(server: Self.server()), meeting: meeting)
        let destination = Opening(base: InMemoryStore(server: Self.server()), meeting: meeting)
        let folders = try await SessionPair.open(source: source, destination: destination) { reader, writer in
            try await reader.listFolders().count + writer.listFolders().count
        }
        #expect(folders == 2)
        #expect(meeting.sawBoth, "one side finished opening before the other started")
        #expect(source.openNow == 0 && destination.openNow == 0)
    }

    @Test(arguments: [true, false])
    func aSideThatCannotOpenFailsThePairAndTheOtherIsClosed(sourceFails: Bool) async throws {
        let source = Opening(base: InMemoryStore(server: Self.server()), failure: sourceFails ? StoreError(.connection, "source down") : nil)
        let destination = Opening(base: InMemoryStore(server: Self.server()), failure: StoreError(.connection, "destination down"))
        var bodyRan = false
        await #expect(throws: StoreError.self) {
            do {
                try await SessionPair.open(source: source, destination: destination) { _, _ in bodyRan = true }
            } catch let error as StoreError {
                #expect(error.message == (sourceFails ? "source down" : "destination down"))
                throw error
            }
        }
        #expect(!bodyRan)
        #expect(source.openNow == 0 && destination.openNow == 0)
    }

    @Test func aFailingBodyClosesBothSessions() async throws {
        let source = Opening(base: InMemoryStore(server: Self.server()))
        let destination = Opening(base: InMemoryStore(server: Self.server()))
        await #expect(throws: StoreError.self) {
            try await SessionPair.open(source: source, destination: destination) { _, _ in throw StoreError(.folder, "body failed") }
        }
        #expect(source.openNow == 0 && destination.openNow == 0)
    }

    static func server() -> InMemoryMailServer {
        let server = InMemoryMailServer(hierarchy: StoreHierarchy(prefix: "", separator: "/"))
        server.addFolder("INBOX")
        return server
    }
}

/// Two openings that wait (at most 2 s) for each other: only concurrent opening sees both.
private final class Meeting: Sendable {
    private let arrived = Mutex(0)
    /// How many of the two saw the other arrive while they waited.
    private let sightings = Mutex(0)
    var sawBoth: Bool { sightings.withLock { $0 } == 2 }

    func arrive() async {
        arrived.withLock { $0 += 1 }
        for _ in 0..<200 {
            if arrived.withLock({ $0 }) >= 2 {
                sightings.withLock { $0 += 1 }
                return
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
    }
}

/// A store that counts its open sessions, can refuse to open, and can meet another.
private final class Opening: SourceStore, DestinationStore, Sendable {
    let base: InMemoryStore
    let meeting: Meeting?
    let failure: StoreError?
    private let open = Mutex(0)
    var openNow: Int { open.withLock { $0 } }
    var displayName: String { base.displayName }
    var preservesSourceUIDs: Bool { false }

    init(base: InMemoryStore, meeting: Meeting? = nil, failure: StoreError? = nil) {
        self.base = base
        self.meeting = meeting
        self.failure = failure
    }

    func withSession<T: Sendable>(_ body: (any MailboxReader) async throws -> T) async throws -> T {
        try await session { try await base.withSession { (reader: any MailboxReader) in try await body(reader) } }
    }

    func withSession<T: Sendable>(_ body: (any MailboxWriter) async throws -> T) async throws -> T {
        try await session { try await base.withSession { (writer: any MailboxWriter) in try await body(writer) } }
    }

    private func session<T>(_ body: () async throws -> T) async throws -> T {
        await meeting?.arrive()
        if let failure { throw failure }
        open.withLock { $0 += 1 }
        defer { open.withLock { $0 -= 1 } }
        return try await body()
    }
}
