import Glibc
import Logging
import MailModel
import Maildir
import SyncEngine

/// One reading session over a Courier Maildir: the open folder is a snapshot taken by
/// ``open(_:)``, as an IMAP SELECT is.
///
/// The engine uses a session from one task at a time, and the session hands its blocking
/// work to ``MaildirIO`` one piece at a time; hence the unchecked `Sendable`.
final class CourierMaildirSession: MailboxReader, @unchecked Sendable {
    let store: CourierMaildirStore
    let maildir: CourierMaildir
    private var folders: [CourierFolderEntry]?
    private var current: (folder: CourierFolderEntry, snapshot: CourierFolderSnapshot, byUID: [UID: CourierMessage])?

    init(store: CourierMaildirStore, maildir: CourierMaildir) {
        self.store = store
        self.maildir = maildir
    }

    func hierarchy() async throws -> StoreHierarchy {
        StoreHierarchy(prefix: CourierMaildir.namespacePrefix, separator: CourierMaildir.separator)
    }

    func listFolders() async throws -> [FolderListing] {
        try await MaildirIO.run { try StoreError.translating { try self.readListing() } }
    }

    func open(_ folder: MailboxName) async throws -> FolderStatus {
        try await MaildirIO.run { try StoreError.translating { try self.openFolder(folder) } }
    }

    /// Everything comes from the snapshot ``open(_:)`` read (no CONDSTORE: every message of
    /// the range), sizes included at no cost; bodies, when asked for, are read afterwards.
    func summaries(_ request: SummaryRequest) async throws -> [MessageSummary] {
        guard let current else { throw StoreError(.protocolViolation, "no folder open") }
        let summaries: [MessageSummary] = current.snapshot.messages.compactMap { message in
            guard let uid = message.uid, request.includes(uid) else { return nil }
            let flags = message.flags.union(message.keywords.map(Flag.init))
            return MessageSummary(uid: uid, flags: flags, internalDate: message.internalDate, size: Int(message.size))
        }
        return try await streamingBodies(of: summaries, for: request)
    }

    func fetchBodies(_ uids: [UID], into sink: any MessageBodySink) async throws {
        guard let current else { throw StoreError(.protocolViolation, "no folder open") }
        let target = Unchecked(sink)
        try await MaildirIO.run { try self.stream(uids, from: current.folder, messages: current.byUID, into: target.value) }
    }

    private func readListing() throws -> [FolderListing] {
        let (found, diagnostics) = try maildir.folders()
        folders = found
        var subscribed: Set<[String]> = []
        if let (entries, problems) = try maildir.subscriptions() {
            log(problems)
            for entry in entries {
                switch entry {
                case .inbox: subscribed.insert([])
                case .folder(let levels): subscribed.insert(levels)
                case .shared: continue
                }
            }
        }
        var listings = found.map { folder in
            FolderListing(
                name: folder.mailboxName, isSubscribed: subscribed.contains(folder.levels), messageCount: try? maildir.messageCount(folder))
        }
        // A folder whose name cannot be read is a plan problem until it is excluded, as over IMAP.
        for diagnostic in diagnostics where diagnostic.code == .invalidFolderName && diagnostic.severity == .error {
            let directory = diagnostic.path == maildir.root ? ".?" : String(diagnostic.path.split(separator: "/").last ?? "?")
            var listing = FolderListing(
                name: MailboxName(CourierMaildir.namespacePrefix + directory.dropFirst(), separator: CourierMaildir.separator))
            listing.nameError = diagnostic.message
            listings.append(listing)
        }
        log(diagnostics.filter { $0.code != .invalidFolderName || $0.severity != .error })
        return listings
    }

    private func openFolder(_ name: MailboxName) throws -> FolderStatus {
        current = nil
        let all = try folders ?? maildir.folders().folders
        folders = all
        guard let folder = all.first(where: { $0.mailboxName == name }) else {
            throw StoreError(.folder, "\(maildir.root): no folder \(name)")
        }
        let previous = try store.ledger?.load(folderPath: folder.path)
        let snapshot = try maildir.read(folder, ledger: previous, now: Int64(time(nil)))
        if let ledger = store.ledger, store.updatesLedger, let updated = snapshot.ledger,
            updated.serialized() != previous?.serialized()
        {
            // Durable before any message numbered by it can be journaled and copied.
            try ledger.save(updated, folderPath: folder.path)
        }
        log(snapshot.diagnostics)
        guard let validity = snapshot.uidValidity else {
            throw StoreError(.folder, "\(folder.path): no UIDVALIDITY")
        }
        var byUID: [UID: CourierMessage] = [:]
        var identities: [UID: POP3IdentityBoard.Identity] = [:]
        for message in snapshot.messages {
            guard let uid = message.uid else { continue }
            byUID[uid] = message
            if let pop3 = message.pop3 { identities[uid] = .init(uidl: pop3.uidl, order: pop3.order) }
        }
        if folder.isInbox, let board = store.pop3Board {
            board.publish(inboxValidity: validity, identities: identities)
        }
        current = (folder, snapshot, byUID)
        var status = FolderStatus(uidValidity: validity, uidNext: snapshot.nextUID.rawValue, messageCount: byUID.count)
        // A UID-keeping read leaves a message unnumbered only inside the settle window.
        status.deferred = snapshot.messages.filter { $0.uid == nil }.count
        return status
    }

    /// Stream each message's file, exactly as it is on disk. A message whose file is gone
    /// (expunged since the folder was opened) is skipped, as IMAP skips expunged UIDs.
    /// Each message goes to the sink as its open file (``SourceFile``): the engine's stager
    /// keeps the file instead of a copy, so a batch holds descriptors, not bytes.
    private func stream(_ uids: [UID], from folder: CourierFolderEntry, messages: [UID: CourierMessage], into sink: any MessageBodySink) throws {
        for uid in uids {
            guard let message = messages[uid],
                let reader = try StoreError.translating({ try maildir.openMessage(message, in: folder) })
            else { continue }
            let file = SourceFile(descriptor: reader.takeDescriptor(), size: Int(reader.size), path: reader.path)
            do {
                try sink.adopt(uid: uid, file: file)
            } catch let error as StagingError where error.kind == .sizeMismatch {
                throw StoreError(.other, "\(reader.path) changed size while being read: \(error.message)")
            }
        }
    }

    private func log(_ diagnostics: [MaildirDiagnostic]) {
        for diagnostic in diagnostics {
            let level: Logger.Level = diagnostic.severity == .error ? .error : diagnostic.severity == .warning ? .warning : .info
            store.logger.log(level: level, "\(diagnostic)", metadata: ["maildir.code": "\(diagnostic.code)"])
        }
    }
}
