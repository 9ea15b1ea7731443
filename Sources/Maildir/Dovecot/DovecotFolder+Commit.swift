import Glibc

extension DovecotFolder {
    /// What a commit did.
    public struct CommitSummary: Hashable, Sendable {
        public var messagesAdded = 0
        public var messagesRenamed = 0
        public var messagesRemoved = 0
        public var uidlistWritten = false
        public var keywordsWritten = false
        public var indexFilesRemoved: [String] = []

        public init() {}
    }

    /// Make every staged change durable and visible, under `dovecot-uidlist.lock`: the writes
    /// of ``DovecotCommitPlan`` (whose documentation gives their order and why), planned from
    /// the snapshot and the staged changes. Afterwards the folder holds the new snapshot and
    /// nothing staged.
    ///
    /// Dovecot's index files stay, so that its HIGHESTMODSEQ keeps growing and CONDSTORE
    /// clients see every change: a running Dovecot picks up new records above its next UID,
    /// renamed and removed files by itself.
    /// Refuses (``MaildirError/Kind/conflict``) if someone else changed `dovecot-uidlist` or
    /// `dovecot-keywords` since the folder was opened; nothing is then changed on disk.
    ///
    /// With `rewritingMetadata`, `dovecot-uidlist` and `dovecot-keywords` are rewritten
    /// (byte-identical when nothing changed) and the index files removed even without
    /// staged changes: the "overwrite" re-run.
    @discardableResult
    public func commit(rewritingMetadata: Bool = false) throws(MaildirError) -> CommitSummary {
        guard let committed = try commit(snapshot, changes, rewritingMetadata: rewritingMetadata) else { return CommitSummary() }
        replaceSnapshot(committed.snapshot)
        return committed.summary
    }

    /// Carry out the commit of `changes` over `snapshot`: the one place that writes the
    /// folder's metadata files and moves, renames or removes its message files. Returns the
    /// snapshot the folder is in afterwards, or `nil` when there was nothing to write.
    func commit(
        _ snapshot: DovecotFolderSnapshot, _ changes: DovecotFolderChanges, rewritingMetadata: Bool
    ) throws(MaildirError) -> (snapshot: DovecotFolderSnapshot, summary: CommitSummary)? {
        guard let plan = try DovecotCommitPlan(
            snapshot: snapshot, changes: changes, rewritingMetadata: rewritingMetadata, now: Int64(time(nil)), folder: path)
        else { return nil }
        var summary = CommitSummary()
        var files = snapshot.files
        var lock: DovecotUIDListLock?
        do throws(MaildirError) {
            for step in plan.steps {
                switch step {
                case .flushFileSystem:
                    try flushFileSystem(path)
                    // Flushed once: a retry after a failure under the lock need not flush again.
                    self.changes.needsFileSystemSync = false
                case .lock:
                    let acquired = try DovecotUIDListLock.acquire(folderPath: path, ownership: ownership, options: lockOptions)
                    lock = acquired
                    diagnostics += acquired.diagnostics
                    if let changed = try snapshot.changedFile(folder: path) {
                        throw MaildirError(
                            .conflict, path: changed, detail: "changed by another process since the folder was opened; nothing written, re-run")
                    }
                case .writeKeywords(let keywords, let modificationTime):
                    try AtomicFile.write(
                        keywords.serialized(), to: FileSystem.join(path, DovecotKeywords.fileName), ownership: ownership,
                        temporaryDirectory: FileSystem.join(path, "tmp"), modificationTime: modificationTime)
                    summary.keywordsWritten = true
                case .removeFile(let base, let relativePath):
                    var removed = try FileSystem.remove(FileSystem.join(path, relativePath))
                    if !removed, let current = try currentFile(base: base) {
                        // Renamed meanwhile (a flag change by a running server): remove it under its new name.
                        removed = try FileSystem.remove(FileSystem.join(path, current.relativePath))
                    }
                    files[base] = nil
                    if removed { summary.messagesRemoved += 1 }
                case .syncDirectories:
                    try FileSystem.syncDirectory(FileSystem.join(path, "cur"))
                    try FileSystem.syncDirectory(FileSystem.join(path, "new"))
                case .writeUIDList(let list):
                    try AtomicFile.write(
                        list.serialized(), to: FileSystem.join(path, DovecotUIDList.fileName), ownership: ownership,
                        temporaryDirectory: FileSystem.join(path, "tmp"))
                    summary.uidlistWritten = true
                case .moveIntoPlace(let base, let temporaryPath, let relativePath):
                    try FileSystem.renameWithoutReplacing(temporaryPath, FileSystem.join(path, relativePath))
                    if let addition = changes.additions[base] {
                        files[base] = MaildirFileEntry(
                            location: addition.location, name: addition.fileName.rawValue, size: addition.written.size,
                            modificationTime: addition.modificationTime)
                    }
                    summary.messagesAdded += 1
                case .renameFlags(let base, let entry, let wanted):
                    if let renamed = try renameMergingFlags(base: base, snapshot: entry, wanted: wanted) {
                        files[base] = renamed
                        summary.messagesRenamed += 1
                    }
                case .removeIndexFiles(let listIndexToo):
                    summary.indexFilesRemoved = try DovecotIndexFiles.remove(inFolder: path)
                    if listIndexToo {
                        summary.indexFilesRemoved += try DovecotIndexFiles.removeListIndex(root: rootPath)
                    } else if !summary.indexFilesRemoved.isEmpty {
                        diagnostics.append(MaildirDiagnostic(
                            .warning, .uidConflict, path: path,
                            "UIDs below Dovecot's next UID were filled; its index files were removed so that it keeps them, "
                                + "which starts HIGHESTMODSEQ over: CONDSTORE/QRESYNC clients of this folder resynchronise it"))
                    }
                case .unlock:
                    let held = lock
                    lock = nil
                    try held?.release()
                }
            }
        } catch {
            if let lock { _ = try? lock.release() }
            throw error
        }
        return (try DovecotFolderSnapshot.committed(plan.uidlist, changes.keywords, files: files, folder: path), summary)
    }

    /// Abort every staged message file and forget staged changes (the folder returns to
    /// its state on disk).
    public func discardPendingChanges() throws(MaildirError) {
        for addition in changes.additions.values { _ = try? FileSystem.remove(addition.written.temporaryPath) }
        changes = DovecotFolderChanges(over: snapshot)
    }

    /// The file currently holding `base`, looked up again on disk.
    func currentFile(base: String) throws(MaildirError) -> MaildirFileEntry? {
        try MessageDirectoryScanner.scan(folder: path).entries.first { $0.base == base }
    }

    /// Apply this session's flag change to the file as it is now. A live Dovecot renames a
    /// file when a user changes its flags, without `dovecot-uidlist.lock`: the letters this
    /// session added or removed (against the snapshot it read) are applied to the current
    /// name, so that a flag the user set or cleared meanwhile stays as the user left it.
    /// Returns the new entry, or `nil` when there was nothing to rename.
    private func renameMergingFlags(base: String, snapshot: MaildirFileEntry, wanted: MaildirFlagLetters) throws(MaildirError) -> MaildirFileEntry? {
        let added = Set(wanted.letters).subtracting(snapshot.fileName.flags.letters)
        let removed = Set(snapshot.fileName.flags.letters).subtracting(wanted.letters)
        var current = snapshot
        // Bounded: each retry means the file was renamed again between the look-up and ours.
        for _ in 0..<3 {
            let merged = MaildirFlagLetters(letters: Set(current.fileName.flags.letters).subtracting(removed).union(added))
            if merged == current.fileName.flags && current.location == .cur { return nil }
            let name = current.fileName.with(flags: merged)
            do throws(MaildirError) {
                try FileSystem.rename(FileSystem.join(path, current.relativePath), FileSystem.join(path, "cur/" + name.rawValue))
                return MaildirFileEntry(
                    location: .cur, name: name.rawValue, size: snapshot.size, modificationTime: snapshot.modificationTime,
                    changeTime: snapshot.changeTime)
            } catch where error.errno == 2 {
                guard let found = try currentFile(base: base) else { break }
                current = found
            }
        }
        diagnostics.append(MaildirDiagnostic(
            .warning, .skippedLine, path: FileSystem.join(path, snapshot.relativePath), messageBase: base,
            "renamed or removed by another process meanwhile; its flags were not changed"))
        return nil
    }
}
