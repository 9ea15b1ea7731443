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

    /// Make every staged change durable and visible, under `dovecot-uidlist.lock`.
    ///
    /// Staged files that were written without fsync are flushed first, before the lock is
    /// taken: a flush can take seconds on a busy disk, and Dovecot's deliveries to this folder
    /// wait on the same lock. Then, under the lock: `dovecot-keywords` (so no letter appears
    /// before its meaning), the files of expunged messages are deleted (a crash never
    /// resurrects one under a new UID), `dovecot-uidlist` (so no file appears without its
    /// UID), the renames out of `tmp/` and the flag renames, fsync of `cur/` and `new/`.
    ///
    /// Dovecot's index files stay, so that its HIGHESTMODSEQ keeps growing and CONDSTORE
    /// clients see every change: a running Dovecot picks up new records above its next UID,
    /// renamed and removed files by itself. They are removed only when Dovecot could not
    /// take the change from the files: a new UIDVALIDITY, or a record at a UID below the
    /// next UID on disk (Dovecot may hold it as expunged and would give the message a new UID).
    /// Refuses (``MaildirError/Kind/conflict``) if someone else changed `dovecot-uidlist` or
    /// `dovecot-keywords` since the folder was opened; nothing is then changed on disk.
    ///
    /// With `rewritingMetadata`, `dovecot-uidlist` and `dovecot-keywords` are rewritten
    /// (byte-identical when nothing changed) and the index files removed even without
    /// staged changes: the "overwrite" re-run.
    @discardableResult
    public func commit(rewritingMetadata: Bool = false) throws(MaildirError) -> CommitSummary {
        var summary = CommitSummary()
        guard hasPendingChanges || rewritingMetadata else { return summary }
        if changes.needsFileSystemSync {
            // Every staged file reaches stable storage before anything points at it. Nothing
            // is staged between here and the lock, so nothing escapes the flush.
            try flushFileSystem(path)
            changes.needsFileSystemSync = false
        }
        let lock = try DovecotUIDListLock.acquire(folderPath: path, ownership: ownership, options: lockOptions)
        diagnostics += lock.diagnostics
        do throws(MaildirError) {
            try checkUnchangedOnDisk()
            if keywords != onDisk.keywords || (rewritingMetadata && !keywords.names.isEmpty) {
                try AtomicFile.write(
                    keywords.serialized(), to: FileSystem.join(path, DovecotKeywords.fileName), ownership: ownership,
                    temporaryDirectory: FileSystem.join(path, "tmp"), modificationTime: keywordsModificationTime())
                summary.keywordsWritten = true
            }
            if !changes.removals.isEmpty {
                try removeExpungedFiles(&summary)
                // The deletions must be durable before the uid list forgets the records.
                try FileSystem.syncDirectory(FileSystem.join(path, "cur"))
                try FileSystem.syncDirectory(FileSystem.join(path, "new"))
            }
            if var list = uidlist, list != onDisk.uidlist || rewritingMetadata {
                list = (watermark ?? DovecotUIDWatermark()).stamped(list)
                uidlist = list
                let uidlistPath = FileSystem.join(path, DovecotUIDList.fileName)
                try list.validate(path: uidlistPath)
                try AtomicFile.write(list.serialized(), to: uidlistPath, ownership: ownership, temporaryDirectory: FileSystem.join(path, "tmp"))
                summary.uidlistWritten = true
            }
            try moveFilesIntoPlace(&summary)
            try FileSystem.syncDirectory(FileSystem.join(path, "cur"))
            try FileSystem.syncDirectory(FileSystem.join(path, "new"))
            let metadataRewritten = summary.uidlistWritten || summary.keywordsWritten
            if changes.uidValidityChanged || changes.reusesUIDsBelowDisk || (rewritingMetadata && metadataRewritten) {
                summary.indexFilesRemoved = try DovecotIndexFiles.remove(inFolder: path)
                if changes.uidValidityChanged || rewritingMetadata {
                    summary.indexFilesRemoved += try DovecotIndexFiles.removeListIndex(root: rootPath)
                } else if !summary.indexFilesRemoved.isEmpty {
                    diagnostics.append(MaildirDiagnostic(
                        .warning, .uidConflict, path: path,
                        "UIDs below Dovecot's next UID were filled; its index files were removed so that it keeps them, "
                            + "which starts HIGHESTMODSEQ over: CONDSTORE/QRESYNC clients of this folder resynchronise it"))
                }
            }
        } catch {
            _ = try? lock.release()
            throw error
        }
        try lock.release()
        onDisk = try DovecotFolderSnapshot.committed(uidlist, keywords, folder: path)
        changes = DovecotFolderChanges()
        watermark = onDisk.watermark
        return summary
    }

    /// Dovecot re-reads `dovecot-keywords` only when its mtime (whole seconds) changed, and
    /// meanwhile names the letters it does not know `unknown-N`: every replacement gets a
    /// strictly newer second than the file it replaces, even within the same second.
    private func keywordsModificationTime() -> Int64 {
        let now = Int64(time(nil))
        guard let previous = onDisk.keywordsIdentity?.modificationSeconds else { return now }
        return max(now, previous + 1)
    }

    /// Abort every staged message file and forget staged changes (the folder returns to
    /// its state on disk).
    public func discardPendingChanges() throws(MaildirError) {
        for addition in changes.additions.values { _ = try? FileSystem.remove(addition.written.temporaryPath) }
        changes = DovecotFolderChanges()
        uidlist = onDisk.uidlist
        keywords = onDisk.keywords
        watermark = onDisk.watermark
        rebuildIndex()
    }

    private func checkUnchangedOnDisk() throws(MaildirError) {
        if let changed = try onDisk.changedFile(folder: path) {
            throw MaildirError(.conflict, path: changed, detail: "changed by another process since the folder was opened; nothing written, re-run")
        }
    }

    private func removeExpungedFiles(_ summary: inout CommitSummary) throws(MaildirError) {
        for (base, entry) in changes.removals.sorted(by: { $0.key < $1.key }) {
            var removed = try FileSystem.remove(FileSystem.join(path, entry.relativePath))
            if !removed, let current = try currentFile(base: base) {
                // Renamed meanwhile (a flag change by a running server): remove it under its new name.
                removed = try FileSystem.remove(FileSystem.join(path, current.relativePath))
            }
            files[base] = nil
            changes.removals[base] = nil
            if removed { summary.messagesRemoved += 1 }
        }
    }

    /// The file currently holding `base`, looked up again on disk.
    func currentFile(base: String) throws(MaildirError) -> MaildirFileEntry? {
        try MessageDirectoryScanner.scan(folder: path).entries.first { $0.base == base }
    }

    private func moveFilesIntoPlace(_ summary: inout CommitSummary) throws(MaildirError) {
        for (base, addition) in changes.additions.sorted(by: { $0.key < $1.key }) {
            let target = FileSystem.join(path, addition.location.rawValue + "/" + addition.fileName.rawValue)
            guard try FileSystem.status(target, followLinks: false) == nil else {
                throw MaildirError(.conflict, path: target, detail: "a file with this name appeared meanwhile; not overwritten")
            }
            try FileSystem.rename(addition.written.temporaryPath, target)
            files[base] = MaildirFileEntry(
                location: addition.location, name: addition.fileName.rawValue, size: addition.written.size,
                modificationTime: addition.modificationTime)
            changes.additions[base] = nil
            summary.messagesAdded += 1
        }
        for (base, wanted) in changes.renames.sorted(by: { $0.key < $1.key }) {
            changes.renames[base] = nil
            guard let snapshot = files[base] else { continue }
            if let renamed = try renameMergingFlags(base: base, snapshot: snapshot, wanted: wanted.flags) {
                files[base] = renamed
                summary.messagesRenamed += 1
            }
        }
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
