import Glibc
import Logging
import MailModel
import Maildir
import SyncEngine

/// One session over a Dovecot Maildir: at most one folder open at a time (as an IMAP
/// SELECT), read from disk by ``open(_:)``; writes are staged in it and committed durably
/// before each call returns.
///
/// The engine uses a session from one task at a time, and the session hands its blocking
/// work to ``MaildirIO`` one piece at a time; hence the unchecked `Sendable`.
final class DovecotMaildirSession: MailboxWriter, @unchecked Sendable {
    let store: DovecotMaildirStore
    private var maildirHandle: DovecotMaildir?
    var current: (name: MailboxName, folder: DovecotFolder, logged: Int)?

    init(store: DovecotMaildirStore) {
        self.store = store
    }

    /// Run on the I/O pool, translating Maildir failures for the engine.
    func io<T>(_ body: @escaping () throws -> T) async throws -> T {
        try await MaildirIO.run { try StoreError.translating(body) }
    }

    /// The Maildir; `nil` when it does not exist and `create` is false (reading never creates it).
    func maildir(create: Bool) throws -> DovecotMaildir? {
        if let maildirHandle { return maildirHandle }
        var isMaildir = stat()
        if stat(store.root + "/cur", &isMaildir) != 0, !create { return nil }
        let ownership: MaildirOwnership
        if let owner = store.owner {
            ownership = owner
        } else {
            do {
                ownership = try MaildirOwnership.inferred(maildirRoot: store.root)
            } catch {
                throw StoreError(.other, "\(error.description); pass --owner so that mailferry creates the home directory for the mail user")
            }
        }
        let options = DovecotMaildir.Options(
            lock: store.options.lock, createRoot: true, createHome: store.owner != nil, durability: store.options.durability)
        let maildir = try DovecotMaildir(root: store.root, layout: store.layout, ownership: ownership, options: options)
        maildirHandle = maildir
        return maildir
    }

    /// Open `name` afresh from disk (creating it if asked) and make it the current folder.
    func openFolder(_ name: MailboxName, create: Bool) throws -> DovecotFolder {
        current = nil
        guard let maildir = try maildir(create: create) else { throw StoreError(.folder, "\(store.root): no Maildir here") }
        let folder = try maildir.openFolder(levels: try store.layout.levels(of: name), create: create)
        current = (name, folder, 0)
        logDiagnostics()
        return folder
    }

    /// The open folder, which must be `name` when given.
    func openedFolder(_ name: MailboxName? = nil) throws -> DovecotFolder {
        guard let current, name == nil || current.name == name else { throw StoreError(.protocolViolation, "no folder open") }
        return current.folder
    }

    func hierarchy() async throws -> StoreHierarchy {
        StoreHierarchy(prefix: store.layout.namespacePrefix, separator: store.layout.namespaceSeparator)
    }

    func listFolders() async throws -> [FolderListing] {
        try await io {
            guard let maildir = try self.maildir(create: false) else { return [] }
            let (folders, diagnostics) = try maildir.folders()
            self.log(diagnostics)
            let subscribed = Set(try self.subscribedLevels(maildir))
            return folders.map { folder in
                FolderListing(name: self.store.layout.mailboxName(levels: folder.levels), isSubscribed: subscribed.contains(folder.levels))
            }
        }
    }

    func open(_ name: MailboxName) async throws -> FolderStatus {
        try await io {
            self.current = nil
            guard let maildir = try self.maildir(create: false), let levels = try? self.store.layout.levels(of: name) else {
                throw StoreError(.folder, "\(self.store.root): no folder \(name)")
            }
            var folderIsThere = stat()
            guard stat(try maildir.folderPath(levels: levels) + "/cur", &folderIsThere) == 0 else {
                throw StoreError(.folder, "\(self.store.root): no folder \(name)")
            }
            return self.status(of: try self.openFolder(name, create: false))
        }
    }

    /// A folder Dovecot has never numbered has no UIDVALIDITY yet: 0 stands for that.
    func status(of folder: DovecotFolder) -> FolderStatus {
        let numbered = folder.messages().filter { $0.uid != nil }.count
        return FolderStatus(uidValidity: folder.uidValidity ?? UIDValidity(0), uidNext: folder.nextUID.rawValue, messageCount: numbered)
    }

    /// Only messages `dovecot-uidlist` numbers: a file Dovecot has not numbered yet has no UID.
    /// Everything comes from the folder read at open (no CONDSTORE: every message of the
    /// range), sizes included at no cost; bodies, when asked for, are read afterwards.
    func summaries(_ request: SummaryRequest) async throws -> [MessageSummary] {
        let from = request.from
        let summaries = try await io {
            try self.openedFolder().messages().compactMap { message -> MessageSummary? in
                guard let uid = message.uid, !message.isPending, from.map({ uid >= $0 }) ?? true else { return nil }
                let flags = message.flags.union(message.keywords.map(Flag.init))
                return MessageSummary(uid: uid, flags: flags, internalDate: message.internalDate, size: Int(message.file.size))
            }
        }
        return try await streamingBodies(of: summaries, for: request)
    }

    func fetchBodies(_ uids: [UID], into sink: any MessageBodySink) async throws {
        let target = Unchecked(sink)
        try await io {
            let folder = try self.openedFolder()
            var buffer = [UInt8](repeating: 0, count: 256 * 1024)
            for uid in uids {
                guard let message = folder.message(uid: uid), let reader = try Self.reader(for: message, in: folder) else { continue }
                defer { reader.close() }
                try target.value.begin(uid: uid, size: Int(reader.size))
                var total: Int64 = 0
                while true {
                    let count = try reader.read(into: &buffer)
                    if count == 0 { break }
                    total += Int64(count)
                    guard total <= reader.size else { break }
                    try buffer.withUnsafeBytes { try target.value.append(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
                }
                guard total == reader.size else { throw StoreError(.other, "\(reader.path) changed size while being read") }
                try target.value.end()
            }
        }
    }

    /// The message's file, looked up again if it was renamed meanwhile; `nil` if it is gone.
    static func reader(for message: DovecotMessage, in folder: DovecotFolder) throws -> MessageFileReader? {
        do throws(MaildirError) {
            return try MessageFileReader(path: message.path)
        } catch where error.errno == ENOENT {
            guard let path = try folder.currentPath(base: message.base) else { return nil }
            return try MessageFileReader(path: path)
        }
    }

    func subscribedLevels(_ maildir: DovecotMaildir) throws -> [[String]] {
        guard let subscriptions = try maildir.subscriptions() else { return [] }
        return subscriptions.entries.compactMap { try? store.layout.levels(subscriptionEntry: $0) }
    }

    func logDiagnostics() {
        guard let current else { return }
        log(Array(current.folder.diagnostics.dropFirst(current.logged)))
        self.current?.logged = current.folder.diagnostics.count
    }

    func log(_ diagnostics: [MaildirDiagnostic]) {
        for diagnostic in diagnostics {
            let level: Logger.Level = diagnostic.severity == .error ? .error : diagnostic.severity == .warning ? .warning : .info
            store.logger.log(level: level, "\(diagnostic)", metadata: ["maildir.code": "\(diagnostic.code)"])
        }
    }
}
