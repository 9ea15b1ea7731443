/// A Dovecot Maildir written directly on disk: the destination that keeps UIDs,
/// UIDVALIDITY and POP3 UIDLs. Folders are opened as ``DovecotFolder`` write sessions;
/// subscriptions are merged into `subscriptions`.
///
/// Every file and directory created gets ``ownership`` (taken from the destination's home
/// or Maildir, or given explicitly), as Dovecot needs them owned by the mail user.
public final class DovecotMaildir {
    public struct Options: Hashable, Sendable {
        public var lock: DovecotUIDListLock.Options
        /// Create the Maildir root (its parent must exist, unless `createHome`) when missing.
        public var createRoot: Bool
        /// Also create the root's parent (the user's home) when missing, with ``ownership``:
        /// only when the owner was given explicitly, never guessed.
        public var createHome: Bool
        public var durability: MaildirDurability

        public init(
            lock: DovecotUIDListLock.Options = .init(), createRoot: Bool = true, createHome: Bool = false,
            durability: MaildirDurability = .syncFileSystemAtCommit
        ) {
            self.lock = lock
            self.createRoot = createRoot
            self.createHome = createHome
            self.durability = durability
        }
    }

    public let root: String
    public let layout: DovecotLayout
    public let ownership: MaildirOwnership
    public let options: Options
    let names = MaildirUniqueName()

    public init(root: String, layout: DovecotLayout = DovecotLayout(), ownership: MaildirOwnership, options: Options = Options()) throws(MaildirError) {
        self.root = root
        self.layout = layout
        self.ownership = ownership
        self.options = options
        if try !Self.isComplete(root) {
            guard options.createRoot else { throw MaildirError(.notAMaildir, path: root, detail: "no cur/, new/ or tmp/ directory") }
            if try !FileSystem.isDirectory(FileSystem.parent(root)) {
                guard options.createHome, try FileSystem.isDirectory(FileSystem.parent(FileSystem.parent(root))) else {
                    throw MaildirError(.notAMaildir, path: root, detail: "the parent directory (the user's home) does not exist")
                }
                try ownership.makeDirectory(FileSystem.parent(root))
            }
            try createMaildir(at: root, isFolder: false)
        }
    }

    /// The directory of the folder with these levels (`[]` is INBOX, the root).
    public func folderPath(levels: [String]) throws(MaildirError) -> String {
        guard let name = try layout.directoryName(levels: levels) else { return root }
        return FileSystem.join(root, name)
    }

    /// Open a folder for writing, creating it (with `cur/ new/ tmp/` and `maildirfolder`)
    /// when `create` is true and it does not exist.
    public func openFolder(levels: [String], create: Bool = true) throws(MaildirError) -> DovecotFolder {
        let path = try folderPath(levels: levels)
        if try !Self.isComplete(path) {
            let exists = try FileSystem.isDirectory(FileSystem.join(path, "cur"))
            guard create || exists else {
                throw MaildirError(.notAMaildir, path: path, detail: "no such folder")
            }
            try createMaildir(at: path, isFolder: !levels.isEmpty)
        }
        return try DovecotFolder(
            levels: levels, path: path, rootPath: root, ownership: ownership, lockOptions: options.lock, names: names,
            durability: options.durability)
    }

    /// INBOX and every folder directory, with UIDVALIDITY and next UID where known.
    public func folders() throws(MaildirError) -> (folders: [DovecotFolderEntry], diagnostics: [MaildirDiagnostic]) {
        var result = [try entry(levels: [], directoryName: nil, path: root)]
        var diagnostics: [MaildirDiagnostic] = []
        let decoding: FolderNameDecoding = layout.encoding == .utf8 ? .utf8 : .modifiedUTF7
        for name in (try FileSystem.entries(of: root))?.names ?? [] where name.hasPrefix(".") {
            let path = FileSystem.join(root, name)
            guard try FileSystem.isDirectory(FileSystem.join(path, "cur")) else { continue }
            do throws(MaildirError) {
                let decoded = try MaildirFolderName.decode(directoryName: name, decoding: decoding, path: path)
                result.append(try entry(levels: decoded.levels, directoryName: name, path: path))
            } catch {
                diagnostics.append(MaildirDiagnostic(.error, .invalidFolderName, path: path, "\(error.detail); Dovecot cannot open it either"))
            }
        }
        result.sort { $0.levels.lexicographicallyPrecedes($1.levels) }
        return (result, diagnostics)
    }

    private func entry(levels: [String], directoryName: String?, path: String) throws(MaildirError) -> DovecotFolderEntry {
        let uidlistPath = FileSystem.join(path, DovecotUIDList.fileName)
        let list = try FileSystem.readFile(uidlistPath).map { (bytes) throws(MaildirError) in try DovecotUIDList.parse(bytes, path: uidlistPath).0 }
        return DovecotFolderEntry(
            levels: levels, directoryName: directoryName, path: path, uidValidity: list?.uidValidity, nextUID: list?.nextUID)
    }

    /// The current `subscriptions`, or `nil` when there is none.
    public func subscriptions() throws(MaildirError) -> DovecotSubscriptions? {
        let path = FileSystem.join(root, DovecotSubscriptions.fileName)
        return try FileSystem.readFile(path).map { DovecotSubscriptions.parse($0, path: path) }
    }

    /// Add subscriptions (by folder levels, `[]` for INBOX) to the existing ones; never
    /// removes any. Returns true if the file changed.
    @discardableResult
    public func subscribe(_ folders: [[String]]) throws(MaildirError) -> Bool {
        let existing = try subscriptions()
        var merged = existing ?? DovecotSubscriptions(format: layout.subscriptionsFormat)
        for levels in folders { merged.add(try layout.subscriptionEntry(levels: levels)) }
        guard merged != existing else { return false }
        if existing == nil, merged.entries.isEmpty { return false }
        try AtomicFile.write(
            merged.serialized(), to: FileSystem.join(root, DovecotSubscriptions.fileName), ownership: ownership,
            temporaryDirectory: FileSystem.join(root, "tmp"))
        return true
    }

    /// True when `cur/`, `new/` and `tmp/` all exist. Another writer (a parallel session, or
    /// Dovecot) may be creating the folder right now: whatever is missing is created, never
    /// assumed, so that a commit never meets a missing `new/` or `tmp/`.
    static func isComplete(_ path: String) throws(MaildirError) -> Bool {
        for sub in ["cur", "new", "tmp"] where try !FileSystem.isDirectory(FileSystem.join(path, sub)) { return false }
        return true
    }

    private func createMaildir(at path: String, isFolder: Bool) throws(MaildirError) {
        try ownership.makeDirectory(path)
        for sub in ["cur", "new", "tmp"] { try ownership.makeDirectory(FileSystem.join(path, sub)) }
        if isFolder {
            let marker = FileSystem.join(path, "maildirfolder")
            if try FileSystem.status(marker) == nil {
                try AtomicFile.write([], to: marker, ownership: ownership, temporaryDirectory: FileSystem.join(path, "tmp"))
            }
        }
        try FileSystem.syncDirectory(path)
        try FileSystem.syncDirectory(FileSystem.parent(path))
    }
}
