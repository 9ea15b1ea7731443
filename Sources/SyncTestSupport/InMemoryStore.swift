import MailModel
import SyncEngine

/// Both sides of a sync over an ``InMemoryMailServer``.
public struct InMemoryStore: SourceStore, DestinationStore {
    public let server: InMemoryMailServer
    /// Also the destination's identity in the state: two servers with one name pass for one.
    public var displayName: String
    public var preservesSourceUIDs = false

    public init(server: InMemoryMailServer, preservesSourceUIDs: Bool = false, displayName: String = "memory://test") {
        self.server = server
        self.preservesSourceUIDs = preservesSourceUIDs
        self.displayName = displayName
    }

    public func withSession<T: Sendable>(_ body: (any MailboxReader) async throws -> T) async throws -> T {
        try server.withLock { try server.countSession() }
        defer { server.sessionClosed() }
        return try await body(InMemorySession(server: server))
    }

    public func withSession<T: Sendable>(_ body: (any MailboxWriter) async throws -> T) async throws -> T {
        try server.withLock { try server.countSession() }
        defer { server.sessionClosed() }
        return try await body(InMemorySession(server: server))
    }
}

/// One session: remembers the open folder, like an IMAP connection's selected state.
public final class InMemorySession: MailboxWriter, @unchecked Sendable {
    public let server: InMemoryMailServer
    private var selected: String?
    /// The message count the last open reported. Like the IMAP session, which knows only what
    /// SELECT said, a listing of a folder that was empty when opened returns nothing, even
    /// after messages were appended on this session: the engine must open the folder again to
    /// see them.
    private var countAtOpen = 0

    public init(server: InMemoryMailServer) { self.server = server }

    private func openFolder() throws -> String {
        guard let selected else { throw StoreError(.protocolViolation, "no folder open") }
        return selected
    }

    public func hierarchy() async throws -> StoreHierarchy { server.hierarchyValue }
    public func listFolders() async throws -> [FolderListing] {
        if let beforeListing = server.withLock({ server.beforeListing }) { await beforeListing() }
        return server.withLock { server.listing() }
    }

    public var readsAhead: Bool { server.withLock { server.readsAhead } }

    public func openAhead(_ folders: [PlannedOpen]) async throws {
        guard readsAhead, let hook = server.withLock({ server.beforeOpenAhead }) else { return }
        await hook(folders.map(\.folder.name))
    }

    public func open(_ folder: MailboxName) async throws -> FolderStatus {
        if let beforeOpen = server.withLock({ server.beforeOpen }) { await beforeOpen(folder.name) }
        let status = try server.withLock { try server.open(folder.name) }
        selected = folder.name
        countAtOpen = status.messageCount
        return status
    }

    /// When no size is needed, like IMAP without RFC822.SIZE: every size 0, so the engine's
    /// handling of unknown sizes is what the tests exercise. Bodies come after the listing.
    public func summaries(_ request: SummaryRequest) async throws -> [MessageSummary] {
        let folder = try openFolder()
        guard countAtOpen > 0 || request.changedSince != nil else { return [] }
        let summaries: [MessageSummary]
        if request.needsSizes {
            summaries = server.withLock { server.summaries(folder, from: request.from, changedSince: request.changedSince) }
        } else {
            summaries = server.withLock { server.summariesWithoutSizes(folder) }.filter { request.includes($0.uid) }
        }
        return try await streamingBodies(of: summaries, for: request)
    }

    public func fetchBodies(_ uids: [UID], into sink: any MessageBodySink) async throws {
        let folder = try openFolder()
        let bodies = server.withLock { server.bodies(folder, uids) }
        for (uid, bytes) in bodies {
            try sink.begin(uid: uid, size: bytes.count)
            // Feed in odd-sized pieces to exercise chunk handling.
            var offset = 0
            while offset < bytes.count {
                let end = min(offset + 1000, bytes.count)
                try bytes[offset..<end].withUnsafeBytes { try sink.append($0) }
                offset = end
            }
            try sink.end()
        }
    }

    public func create(_ folder: MailboxName, uidValidity: UIDValidity?) async throws {
        try server.withLock { try server.create(folder.name, validity: uidValidity) }
    }

    public func subscribe(_ folder: MailboxName) async throws { server.withLock { server.subscribe(folder.name) } }

    public func subscriptions() async throws -> Set<MailboxName> {
        Set(server.subscriptionNames().map { MailboxName($0, separator: server.hierarchyValue.separator) })
    }

    public func append(_ messages: [OutgoingMessage], to folder: MailboxName) async throws -> [AppendOutcome] {
        try server.withLock { try server.append(messages, to: folder.name) }
    }

    public func storeFlags(_ uids: [UID], adding: Set<Flag>, removing: Set<Flag>) async throws {
        let folder = try openFolder()
        server.withLock { server.storeFlags(folder, uids, adding: adding, removing: removing) }
    }

    public func expunge(_ uids: [UID]) async throws {
        let folder = try openFolder()
        server.withLock { server.expunge(folder, uids) }
    }
}
