import MailModel
import SyncEngine

/// Both sides of a sync over an ``InMemoryMailServer``.
struct InMemoryStore: SourceStore, DestinationStore {
    let server: InMemoryMailServer
    var displayName: String { "memory://test" }
    var preservesSourceUIDs = false

    func withSession<T: Sendable>(_ body: (any MailboxReader) async throws -> T) async throws -> T {
        try server.withLock { try server.countSession() }
        return try await body(InMemorySession(server: server))
    }

    func withSession<T: Sendable>(_ body: (any MailboxWriter) async throws -> T) async throws -> T {
        try server.withLock { try server.countSession() }
        return try await body(InMemorySession(server: server))
    }
}

/// One session: remembers the open folder, like an IMAP connection's selected state.
final class InMemorySession: MailboxWriter, @unchecked Sendable {
    let server: InMemoryMailServer
    private var selected: String?

    init(server: InMemoryMailServer) { self.server = server }

    private func openFolder() throws -> String {
        guard let selected else { throw StoreError(.protocolViolation, "no folder open") }
        return selected
    }

    func hierarchy() async throws -> StoreHierarchy { server.hierarchyValue }
    func listFolders() async throws -> [FolderListing] { server.withLock { server.listing() } }

    func open(_ folder: MailboxName) async throws -> FolderStatus {
        let status = try server.withLock { try server.open(folder.name) }
        selected = folder.name
        return status
    }

    func summaries(from: UID?, changedSince: ModSeq?) async throws -> [MessageSummary] {
        let folder = try openFolder()
        return server.withLock { server.summaries(folder, from: from, changedSince: changedSince) }
    }

    func fetchBodies(_ uids: [UID], into sink: any MessageBodySink) async throws {
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

    func create(_ folder: MailboxName, uidValidity: UIDValidity?) async throws {
        try server.withLock { try server.create(folder.name, validity: uidValidity) }
    }

    func subscribe(_ folder: MailboxName) async throws { server.withLock { server.subscribe(folder.name) } }

    func subscriptions() async throws -> Set<MailboxName> {
        Set(server.subscriptionNames().map { MailboxName($0, separator: server.hierarchyValue.separator) })
    }

    func append(_ messages: [OutgoingMessage], to folder: MailboxName) async throws -> [AppendOutcome] {
        try server.withLock { try server.append(messages, to: folder.name) }
    }

    func storeFlags(_ uids: [UID], adding: Set<Flag>, removing: Set<Flag>) async throws {
        let folder = try openFolder()
        server.withLock { server.storeFlags(folder, uids, adding: adding, removing: removing) }
    }

    func expunge(_ uids: [UID]) async throws {
        let folder = try openFolder()
        server.withLock { server.expunge(folder, uids) }
    }
}
