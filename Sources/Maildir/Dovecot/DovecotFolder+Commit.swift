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
    /// Order: `dovecot-keywords` (so no letter appears before its meaning), then the files of
    /// expunged messages are deleted (a crash never resurrects one under a new UID), then
    /// `dovecot-uidlist` (so no file appears without its UID), then the renames out of
    /// `tmp/` and the flag renames, then fsync of `cur/` and `new/`, then removal of
    /// Dovecot's index files if UIDs changed, so that Dovecot rebuilds them from the files.
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
        let lock = try DovecotUIDListLock.acquire(folderPath: path, ownership: ownership, options: lockOptions)
        diagnostics += lock.diagnostics
        do throws(MaildirError) {
            try checkUnchangedOnDisk()
            if needsFileSystemSync {
                // Every staged file reaches stable storage before anything points at it.
                try FileSystem.syncFileSystem(containing: path)
                needsFileSystemSync = false
            }
            if keywords != keywordsOnDisk || (rewritingMetadata && !keywords.names.isEmpty) {
                try AtomicFile.write(
                    keywords.serialized(), to: FileSystem.join(path, DovecotKeywords.fileName), ownership: ownership,
                    temporaryDirectory: FileSystem.join(path, "tmp"))
                summary.keywordsWritten = true
            }
            if !pendingRemovals.isEmpty {
                try removeExpungedFiles(&summary)
                // The deletions must be durable before the uid list forgets the records.
                try FileSystem.syncDirectory(FileSystem.join(path, "cur"))
                try FileSystem.syncDirectory(FileSystem.join(path, "new"))
            }
            if let list = uidlist, list != uidlistOnDisk || rewritingMetadata {
                let uidlistPath = FileSystem.join(path, DovecotUIDList.fileName)
                try list.validate(path: uidlistPath)
                try AtomicFile.write(list.serialized(), to: uidlistPath, ownership: ownership, temporaryDirectory: FileSystem.join(path, "tmp"))
                summary.uidlistWritten = true
            }
            try moveFilesIntoPlace(&summary)
            try FileSystem.syncDirectory(FileSystem.join(path, "cur"))
            try FileSystem.syncDirectory(FileSystem.join(path, "new"))
            if summary.uidlistWritten || summary.keywordsWritten {
                summary.indexFilesRemoved = try DovecotIndexFiles.remove(inFolder: path)
                if uidValidityChanged || rewritingMetadata {
                    summary.indexFilesRemoved += try DovecotIndexFiles.removeListIndex(root: rootPath)
                }
            }
        } catch {
            _ = try? lock.release()
            throw error
        }
        try lock.release()
        uidlistOnDisk = uidlist
        keywordsOnDisk = keywords
        uidlistIdentity = try FileSystem.status(FileSystem.join(path, DovecotUIDList.fileName))
        keywordsIdentity = try FileSystem.status(FileSystem.join(path, DovecotKeywords.fileName))
        uidValidityChanged = false
        return summary
    }

    /// Abort every staged message file and forget staged changes (the folder returns to
    /// its state on disk).
    public func discardPendingChanges() throws(MaildirError) {
        for addition in pendingAdditions.values { _ = try? FileSystem.remove(addition.written.temporaryPath) }
        pendingAdditions = [:]
        pendingRenames = [:]
        pendingRemovals = [:]
        uidlist = uidlistOnDisk
        keywords = keywordsOnDisk
        uidValidityChanged = false
        rebuildIndex()
    }

    private func checkUnchangedOnDisk() throws(MaildirError) {
        let uidlistPath = FileSystem.join(path, DovecotUIDList.fileName)
        let keywordsPath = FileSystem.join(path, DovecotKeywords.fileName)
        if try !Self.sameFile(FileSystem.status(uidlistPath), uidlistIdentity) {
            throw MaildirError(.conflict, path: uidlistPath, detail: "changed by another process since the folder was opened; nothing written, re-run")
        }
        if try !Self.sameFile(FileSystem.status(keywordsPath), keywordsIdentity) {
            throw MaildirError(.conflict, path: keywordsPath, detail: "changed by another process since the folder was opened; nothing written, re-run")
        }
    }

    private func removeExpungedFiles(_ summary: inout CommitSummary) throws(MaildirError) {
        for (base, entry) in pendingRemovals.sorted(by: { $0.key < $1.key }) {
            var removed = try FileSystem.remove(FileSystem.join(path, entry.relativePath))
            if !removed, let current = try currentFile(base: base) {
                // Renamed meanwhile (a flag change by a running server): remove it under its new name.
                removed = try FileSystem.remove(FileSystem.join(path, current.relativePath))
            }
            files[base] = nil
            pendingRemovals[base] = nil
            if removed { summary.messagesRemoved += 1 }
        }
    }

    /// The file currently holding `base`, looked up again on disk.
    func currentFile(base: String) throws(MaildirError) -> MaildirFileEntry? {
        try MessageDirectoryScanner.scan(folder: path).entries.first { $0.base == base }
    }

    private func moveFilesIntoPlace(_ summary: inout CommitSummary) throws(MaildirError) {
        for (base, addition) in pendingAdditions.sorted(by: { $0.key < $1.key }) {
            let target = FileSystem.join(path, addition.location.rawValue + "/" + addition.fileName.rawValue)
            guard try FileSystem.status(target, followLinks: false) == nil else {
                throw MaildirError(.conflict, path: target, detail: "a file with this name appeared meanwhile; not overwritten")
            }
            try FileSystem.rename(addition.written.temporaryPath, target)
            files[base] = MaildirFileEntry(
                location: addition.location, name: addition.fileName.rawValue, size: addition.written.size,
                modificationTime: addition.modificationTime)
            pendingAdditions[base] = nil
            summary.messagesAdded += 1
        }
        for (base, newName) in pendingRenames.sorted(by: { $0.key < $1.key }) {
            guard let entry = files[base] else { continue }
            let target = FileSystem.join(path, "cur/" + newName.rawValue)
            do throws(MaildirError) {
                do throws(MaildirError) {
                    try FileSystem.rename(FileSystem.join(path, entry.relativePath), target)
                } catch where error.errno == 2 {
                    guard let current = try currentFile(base: base) else { throw error }
                    try FileSystem.rename(FileSystem.join(path, current.relativePath), target)
                }
            } catch where error.errno == 2 {
                diagnostics.append(MaildirDiagnostic(
                    .warning, .skippedLine, path: FileSystem.join(path, entry.relativePath), messageBase: base,
                    "renamed or removed by another process meanwhile; its flags were not changed"))
                pendingRenames[base] = nil
                continue
            }
            files[base] = MaildirFileEntry(
                location: .cur, name: newName.rawValue, size: entry.size, modificationTime: entry.modificationTime,
                changeTime: entry.changeTime)
            pendingRenames[base] = nil
            summary.messagesRenamed += 1
        }
    }
}
