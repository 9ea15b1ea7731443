/// The writes of one commit of a ``DovecotFolder``, in order, planned from a snapshot and a
/// change set without touching the disk; ``DovecotFolder/commit(rewritingMetadata:)`` carries
/// them out and is the only place that writes a folder's metadata or moves its files.
///
/// The order is the crash reasoning, and it can be checked on the plan alone:
/// - staged files reach stable storage (``Step/flushFileSystem``) before the lock, so that
///   Dovecot's deliveries do not wait on a slow flush, and before anything points at them;
/// - `dovecot-keywords` is written before any file name carries a new letter, so no letter
///   appears before its meaning;
/// - expunged files are deleted and the deletions made durable before `dovecot-uidlist`
///   forgets their records, so a crash never resurrects one under a new UID;
/// - `dovecot-uidlist` is written before the files move out of `tmp/`, so no file appears
///   without its UID (a crash in between leaves records without files, which a re-run refills);
/// - Dovecot's index files are removed last, only when Dovecot could not take the change
///   from the files: a new UIDVALIDITY, or a record below the next UID on disk (Dovecot may
///   hold it as expunged and would give the message a new UID).
struct DovecotCommitPlan: Hashable {
    enum Step: Hashable, CustomStringConvertible {
        /// `syncfs`: every staged file written without fsync reaches stable storage.
        case flushFileSystem
        /// Take `dovecot-uidlist.lock` and refuse if the metadata files changed since the snapshot.
        case lock
        case writeKeywords(DovecotKeywords, modificationTime: Int64)
        /// Delete an expunged message's file (or the file holding its base now, if renamed).
        case removeFile(base: String, relativePath: String)
        /// fsync `cur/` and `new/`.
        case syncDirectories
        case writeUIDList(DovecotUIDList)
        /// Rename a staged file out of `tmp/`; refused if the target appeared meanwhile.
        case moveIntoPlace(base: String, temporaryPath: String, relativePath: String)
        /// Apply a flag change to the file holding `base` as it is then (merging a user's change).
        case renameFlags(base: String, from: MaildirFileEntry, to: MaildirFlagLetters)
        /// Remove the folder's index files, and the mailbox list index when `listIndexToo`.
        case removeIndexFiles(listIndexToo: Bool)
        case unlock

        var description: String {
            switch self {
            case .flushFileSystem: "flush"
            case .lock: "lock"
            case .writeKeywords(let keywords, _):
                "write dovecot-keywords " + keywords.names.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            case .removeFile(_, let relativePath): "remove " + relativePath
            case .syncDirectories: "sync cur new"
            case .writeUIDList(let list): "write dovecot-uidlist V\(list.uidValidity) N\(list.nextUID) " + list.records.map { "\($0.uid)" }.joined(separator: ",")
            case .moveIntoPlace(_, _, let relativePath): "move " + relativePath
            case .renameFlags(_, let from, let to): "rename \(from.relativePath) +\(to)"
            case .removeIndexFiles(let listIndexToo): listIndexToo ? "remove indexes and list index" : "remove indexes"
            case .unlock: "unlock"
            }
        }
    }

    var steps: [Step]
    /// The uid list this commit leaves (the change set's, stamped with the watermark).
    var uidlist: DovecotUIDList?
    /// Index files are removed because a UID below Dovecot's next UID was filled: the
    /// commit warns that HIGHESTMODSEQ starts over when it removed any.
    var warnsOfRefilledUIDs: Bool

    /// The writes that make `changes` durable over `snapshot`; `nil` when there is nothing
    /// to write. With `rewritingMetadata`, `dovecot-uidlist` and `dovecot-keywords` are
    /// rewritten (byte-identical when nothing changed) and the index files removed even
    /// without staged changes: the "overwrite" re-run. `now` is the wall clock in seconds.
    /// Throws, before anything is written, when the uid list would be one Dovecot rejects.
    init?(
        snapshot: DovecotFolderSnapshot, changes: DovecotFolderChanges, rewritingMetadata: Bool = false, now: Int64, folder path: String
    ) throws(MaildirError) {
        guard changes.isPending(over: snapshot) || rewritingMetadata else { return nil }
        var steps: [Step] = []
        if changes.needsFileSystemSync { steps.append(.flushFileSystem) }
        steps.append(.lock)
        let keywordsWritten = changes.keywords != snapshot.keywords || (rewritingMetadata && !changes.keywords.names.isEmpty)
        if keywordsWritten {
            steps.append(.writeKeywords(changes.keywords, modificationTime: Self.keywordsModificationTime(after: snapshot, now: now)))
        }
        if !changes.removals.isEmpty {
            for (base, entry) in changes.removals.sorted(by: { $0.key < $1.key }) {
                steps.append(.removeFile(base: base, relativePath: entry.relativePath))
            }
            steps.append(.syncDirectories)
        }
        var uidlist = changes.uidlist
        var uidlistWritten = false
        if var list = uidlist, list != snapshot.uidlist || rewritingMetadata {
            list = (changes.watermark(over: snapshot) ?? DovecotUIDWatermark()).stamped(list)
            try list.validate(path: FileSystem.join(path, DovecotUIDList.fileName))
            uidlist = list
            steps.append(.writeUIDList(list))
            uidlistWritten = true
        }
        for (base, addition) in changes.additions.sorted(by: { $0.key < $1.key }) {
            steps.append(.moveIntoPlace(
                base: base, temporaryPath: addition.written.temporaryPath, relativePath: addition.location.rawValue + "/" + addition.fileName.rawValue))
        }
        for (base, wanted) in changes.renames.sorted(by: { $0.key < $1.key }) {
            guard let entry = snapshot.files[base] else { continue }
            steps.append(.renameFlags(base: base, from: entry, to: wanted.flags))
        }
        steps.append(.syncDirectories)
        let metadataRewritten = uidlistWritten || keywordsWritten
        var warnsOfRefilledUIDs = false
        if changes.uidValidityChanged || changes.reusesUIDsBelowDisk || (rewritingMetadata && metadataRewritten) {
            let listIndexToo = changes.uidValidityChanged || rewritingMetadata
            steps.append(.removeIndexFiles(listIndexToo: listIndexToo))
            warnsOfRefilledUIDs = !listIndexToo
        }
        steps.append(.unlock)
        self.steps = steps
        self.uidlist = uidlist
        self.warnsOfRefilledUIDs = warnsOfRefilledUIDs
    }

    /// Dovecot re-reads `dovecot-keywords` only when its mtime (whole seconds) changed, and
    /// meanwhile names the letters it does not know `unknown-N`: every replacement gets a
    /// strictly newer second than the file it replaces, even within the same second.
    static func keywordsModificationTime(after snapshot: DovecotFolderSnapshot, now: Int64) -> Int64 {
        guard let previous = snapshot.keywordsIdentity?.modificationSeconds else { return now }
        return max(now, previous + 1)
    }
}
