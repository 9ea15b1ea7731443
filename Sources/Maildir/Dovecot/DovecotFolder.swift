public import MailModel

/// One folder of a Dovecot Maildir, opened for writing: the destination side of a sync.
///
/// Reading happens at open: an immutable ``DovecotFolderSnapshot`` (uid list, keywords,
/// files). Changes are staged in one value, ``DovecotFolderChanges``: message files are
/// written into `tmp/`, records, keywords and flag changes are remembered, and nothing a
/// running Dovecot could see changes until ``commit()``, which plans its writes from the
/// snapshot and the changes (``DovecotCommitPlan``: lock, `dovecot-keywords`, expunged
/// files, `dovecot-uidlist`, renames out of `tmp/`, directory fsyncs, index files only when
/// a UID below Dovecot's next UID or the UIDVALIDITY changed, unlock) and carries them out.
/// Commit at checkpoints; a crash before a commit leaves only files in `tmp/` (which Dovecot
/// cleans up), never a message without its UID.
///
/// Not thread-safe: one folder, one task.
public final class DovecotFolder {
    public let levels: [String]
    public let path: String
    let rootPath: String
    let ownership: MaildirOwnership
    let lockOptions: DovecotUIDListLock.Options
    let names: MaildirUniqueName
    let durability: MaildirDurability
    /// How the file system is flushed (`syncfs`); tests observe when it happens.
    var flushFileSystem: (String) throws(MaildirError) -> Void = { path throws(MaildirError) in
        try FileSystem.syncFileSystem(containing: path)
    }
    /// The folder on disk as last read or committed.
    private(set) var snapshot = DovecotFolderSnapshot.absent
    /// Everything staged since: the only state staging changes.
    var changes = DovecotFolderChanges(over: .absent)
    public internal(set) var diagnostics: [MaildirDiagnostic] = []
    /// Keywords that could not be stored in file names (more than 26 in the folder), by
    /// message base: Dovecot keeps such keywords only in its index, so they must be set
    /// over IMAP (`STORE +FLAGS`) after the migration, or they are lost.
    public internal(set) var unstorableKeywords: [String: [String]] = [:]

    init(
        levels: [String], path: String, rootPath: String, ownership: MaildirOwnership, lockOptions: DovecotUIDListLock.Options,
        names: MaildirUniqueName, durability: MaildirDurability = .fsyncEachFile
    ) throws(MaildirError) {
        self.levels = levels
        self.path = path
        self.rootPath = rootPath
        self.ownership = ownership
        self.lockOptions = lockOptions
        self.names = names
        self.durability = durability
        try reload()
    }

    /// Read the folder from disk again, with nothing staged (staged files must have been
    /// discarded first).
    func reload() throws(MaildirError) {
        let (read, found) = try DovecotFolderSnapshot.read(folder: path)
        diagnostics += found
        replaceSnapshot(read)
    }

    /// Take `newSnapshot` as the folder on disk, with nothing staged over it.
    func replaceSnapshot(_ newSnapshot: DovecotFolderSnapshot) {
        snapshot = newSnapshot
        changes = DovecotFolderChanges(over: newSnapshot)
    }

    /// The uid list as it will be written (disk state plus staged changes).
    var uidlist: DovecotUIDList? { changes.uidlist }
    /// The keywords as they will be written (disk state plus staged changes).
    var keywords: DovecotKeywords { changes.keywords }
    /// Files in cur/ and new/ by base, as on disk.
    var files: [String: MaildirFileEntry] { snapshot.files }
    /// base → UID of the records in `uidlist`.
    var uidByBase: [String: UID] { changes.uidByBase }
    /// UIDs Dovecot handed out (read from the uid list on disk); `nil` before the folder has
    /// a UIDVALIDITY, and after a new one was set.
    var watermark: DovecotUIDWatermark? { changes.watermark(over: snapshot) }

    /// UIDVALIDITY recorded in `dovecot-uidlist` (with staged changes), if any.
    public var uidValidity: UIDValidity? { uidlist?.uidValidity }

    /// The next UID (with staged changes); 1 for a folder without uid list.
    public var nextUID: UID { uidlist?.nextUID ?? UID(exactly: 1) }

    /// True when there are staged changes.
    public var hasPendingChanges: Bool { changes.isPending(over: snapshot) }

    /// Every message, sorted by UID (unnumbered files last, by name).
    public func messages() -> [DovecotMessage] {
        var result: [DovecotMessage] = []
        var bases = Set(files.keys).subtracting(changes.removals.keys)
        bases.formUnion(changes.additions.keys)
        for base in bases {
            if let message = message(base: base) { result.append(message) }
        }
        return result.sorted { a, b in
            switch (a.uid, b.uid) {
            case let (x?, y?): return x < y
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return a.file.name < b.file.name
            }
        }
    }

    /// Records of `dovecot-uidlist` whose file is in neither `cur/` nor `new/`.
    public func recordsWithoutFiles() -> [UID: String] {
        var result: [UID: String] = [:]
        for record in uidlist?.records ?? [] where files[record.base] == nil && changes.additions[record.base] == nil {
            result[record.uid] = record.base
        }
        return result
    }

    public func message(uid: UID) -> DovecotMessage? {
        guard let record = record(uid: uid) else {
            return changes.additions.first { $0.value.uid == uid }.flatMap { message(base: $0.key) }
        }
        return message(base: record.base)
    }

    /// The message stored under `base`, or `nil` when there is no such file.
    public func message(base: String) -> DovecotMessage? {
        let record = uidByBase[base].flatMap { self.record(uid: $0) }
        if let pending = changes.additions[base] {
            let entry = MaildirFileEntry(
                location: pending.location, name: pending.fileName.rawValue, size: pending.written.size,
                modificationTime: pending.modificationTime)
            return describe(entry: entry, path: pending.written.temporaryPath, uid: pending.uid ?? record?.uid, record: record, pending: true)
        }
        guard var entry = files[base], changes.removals[base] == nil else { return nil }
        if let renamed = changes.renames[base] {
            entry = MaildirFileEntry(
                location: renamed.hasStandardInfo ? .cur : entry.location, name: renamed.rawValue, size: entry.size,
                modificationTime: entry.modificationTime, changeTime: entry.changeTime)
        }
        return describe(entry: entry, path: FileSystem.join(path, entry.relativePath), uid: record?.uid, record: record, pending: false)
    }

    func record(uid: UID) -> DovecotUIDList.Record? {
        guard let records = uidlist?.records else { return nil }
        var low = 0
        var high = records.count
        while low < high {
            let middle = (low + high) / 2
            if records[middle].uid == uid { return records[middle] }
            if records[middle].uid < uid { low = middle + 1 } else { high = middle }
        }
        return nil
    }

    private func describe(entry: MaildirFileEntry, path: String, uid: UID?, record: DovecotUIDList.Record?, pending: Bool) -> DovecotMessage {
        let letters = entry.fileName.flags
        var names: [String] = []
        var unknown: [Int] = []
        for index in letters.keywordIndexes {
            if let name = keywords.names[index] { names.append(name) } else { unknown.append(index) }
        }
        return DovecotMessage(
            uid: uid, file: entry, path: path, flags: letters.systemFlags, keywords: names.sorted(), unknownKeywordIndexes: unknown,
            pop3UIDL: record?.pop3UIDL, pop3Order: record?.pop3Order, isPending: pending)
    }
}
