import Foundation
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

/// Two openings that wait for each other: only concurrent opening sees both. The first to
/// arrive waits for the second's arrival; a deadline (5 s, a bound for the serial opening this
/// catches, never reached when the openings are concurrent) lets it go on alone.
private final class Meeting: Sendable {
    private let state = Mutex<(arrived: Int, first: CheckedContinuation<Bool, Never>?)>((0, nil))
    /// How many of the two saw the other arrive while they waited.
    private let sightings = Mutex(0)
    var sawBoth: Bool { sightings.withLock { $0 } == 2 }
    private enum Role { case waitForTheOther, meet(CheckedContinuation<Bool, Never>?), late }

    func arrive() async {
        let sawOther = await withCheckedContinuation { (waiter: CheckedContinuation<Bool, Never>) in
            let role = state.withLock { state -> Role in
                state.arrived += 1
                switch state.arrived {
                case 1:
                    state.first = waiter
                    return .waitForTheOther
                case 2:
                    defer { state.first = nil }
                    return .meet(state.first)
                default: return .late
                }
            }
            switch role {
            case .waitForTheOther:
                DispatchQueue.global().asyncAfter(deadline: .now() + 5) { [self] in
                    state.withLock { $0.first.take() }?.resume(returning: false)
                }
            case .meet(let first):
                // nil: the first gave up waiting before this one arrived.
                first?.resume(returning: true)
                waiter.resume(returning: first != nil)
            case .late:
                waiter.resume(returning: false)
            }
        }
        if sawOther { sightings.withLock { $0 += 1 } }
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
