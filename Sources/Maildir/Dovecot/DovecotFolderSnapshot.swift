/// A Dovecot folder as it is on disk at one moment: `dovecot-uidlist` and `dovecot-keywords`,
/// each with the identity (inode, size, mtime) of the file it came from, so that a commit can
/// tell whether anyone replaced them since, and the message files of `cur/` and `new/`.
///
/// Immutable: staging never changes it (``DovecotFolderChanges`` holds what is staged), and
/// a commit (``DovecotCommitPlan``) yields the next snapshot. What a crash can leave behind
/// is therefore always a question about one snapshot, one change set and one plan.
struct DovecotFolderSnapshot {
    /// `nil` when the folder has no uid list yet.
    let uidlist: DovecotUIDList?
    let uidlistIdentity: FileStatus?
    let keywords: DovecotKeywords
    let keywordsIdentity: FileStatus?
    /// Message files in `cur/` and `new/` by base (the first one found when two share a base).
    let files: [String: MaildirFileEntry]

    init(
        uidlist: DovecotUIDList?, uidlistIdentity: FileStatus? = nil, keywords: DovecotKeywords = DovecotKeywords(),
        keywordsIdentity: FileStatus? = nil, files: [String: MaildirFileEntry] = [:]
    ) {
        self.uidlist = uidlist
        self.uidlistIdentity = uidlistIdentity
        self.keywords = keywords
        self.keywordsIdentity = keywordsIdentity
        self.files = files
    }

    static let absent = DovecotFolderSnapshot(uidlist: nil)

    /// Read the metadata files and the message files of the folder at `path`; what the
    /// parsers and the scan noticed comes with it.
    static func read(folder path: String) throws(MaildirError) -> (DovecotFolderSnapshot, [MaildirDiagnostic]) {
        let (metadata, found) = try readMetadata(folder: path)
        var diagnostics = found
        let scan = try MessageDirectoryScanner.scan(folder: path)
        diagnostics += scan.diagnostics
        var files: [String: MaildirFileEntry] = [:]
        for entry in scan.entries {
            if let existing = files[entry.base] {
                diagnostics.append(MaildirDiagnostic(
                    .warning, .duplicateMessageBase, path: FileSystem.join(path, entry.relativePath), messageBase: entry.base,
                    "same base as \(existing.relativePath); Dovecot will rename one of them and give it a new UID"))
                continue
            }
            files[entry.base] = entry
        }
        return (metadata.with(files: files), diagnostics)
    }

    /// The same metadata over other message files.
    func with(files: [String: MaildirFileEntry]) -> DovecotFolderSnapshot {
        DovecotFolderSnapshot(
            uidlist: uidlist, uidlistIdentity: uidlistIdentity, keywords: keywords, keywordsIdentity: keywordsIdentity, files: files)
    }

    private static func readMetadata(folder path: String) throws(MaildirError) -> (DovecotFolderSnapshot, [MaildirDiagnostic]) {
        var diagnostics: [MaildirDiagnostic] = []
        let uidlistPath = FileSystem.join(path, DovecotUIDList.fileName)
        let uidlistIdentity = try FileSystem.status(uidlistPath)
        var uidlist: DovecotUIDList?
        if let bytes = try FileSystem.readFile(uidlistPath) {
            let (list, found) = try DovecotUIDList.parse(bytes, path: uidlistPath)
            uidlist = list
            diagnostics += found
        }
        let keywordsPath = FileSystem.join(path, DovecotKeywords.fileName)
        let keywordsIdentity = try FileSystem.status(keywordsPath)
        var keywords = DovecotKeywords()
        if let bytes = try FileSystem.readFile(keywordsPath) {
            let (parsed, found) = DovecotKeywords.parse(bytes, path: keywordsPath)
            keywords = parsed
            diagnostics += found
        }
        let snapshot = DovecotFolderSnapshot(
            uidlist: uidlist, uidlistIdentity: uidlistIdentity, keywords: keywords, keywordsIdentity: keywordsIdentity)
        return (snapshot, diagnostics)
    }

    /// The snapshot after a commit wrote `uidlist` and `keywords` and left `files`: the
    /// metadata files' identities are read again.
    static func committed(
        _ uidlist: DovecotUIDList?, _ keywords: DovecotKeywords, files: [String: MaildirFileEntry], folder path: String
    ) throws(MaildirError) -> DovecotFolderSnapshot {
        DovecotFolderSnapshot(
            uidlist: uidlist, uidlistIdentity: try FileSystem.status(FileSystem.join(path, DovecotUIDList.fileName)), keywords: keywords,
            keywordsIdentity: try FileSystem.status(FileSystem.join(path, DovecotKeywords.fileName)), files: files)
    }

    /// What Dovecot handed out, as recorded in this uid list.
    var watermark: DovecotUIDWatermark? { uidlist.map(DovecotUIDWatermark.init(reading:)) }

    /// The file (`dovecot-uidlist` or `dovecot-keywords`) someone replaced or changed since
    /// this snapshot, if any.
    func changedFile(folder path: String) throws(MaildirError) -> String? {
        let uidlistPath = FileSystem.join(path, DovecotUIDList.fileName)
        if try !Self.sameFile(FileSystem.status(uidlistPath), uidlistIdentity) { return uidlistPath }
        let keywordsPath = FileSystem.join(path, DovecotKeywords.fileName)
        if try !Self.sameFile(FileSystem.status(keywordsPath), keywordsIdentity) { return keywordsPath }
        return nil
    }

    static func sameFile(_ a: FileStatus?, _ b: FileStatus?) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case let (x?, y?):
            return x.inode == y.inode && x.size == y.size && x.modificationSeconds == y.modificationSeconds
                && x.modificationNanoseconds == y.modificationNanoseconds
        default: return false
        }
    }
}
