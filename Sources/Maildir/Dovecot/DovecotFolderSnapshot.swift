/// A Dovecot folder's metadata files as read at one moment: `dovecot-uidlist` and
/// `dovecot-keywords`, each with the identity (inode, size, mtime) of the file it came from,
/// so that a commit can tell whether anyone replaced them since. Immutable: a commit that
/// writes them takes a new snapshot.
struct DovecotFolderSnapshot {
    /// `nil` when the folder has no uid list yet.
    let uidlist: DovecotUIDList?
    let uidlistIdentity: FileStatus?
    let keywords: DovecotKeywords
    let keywordsIdentity: FileStatus?

    static let absent = DovecotFolderSnapshot(uidlist: nil, uidlistIdentity: nil, keywords: DovecotKeywords(), keywordsIdentity: nil)

    /// Read both files of the folder at `path`; what their parsers noticed comes with it.
    static func read(folder path: String) throws(MaildirError) -> (DovecotFolderSnapshot, [MaildirDiagnostic]) {
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

    /// The snapshot after a commit wrote `uidlist` and `keywords`: their files' identities now.
    static func committed(_ uidlist: DovecotUIDList?, _ keywords: DovecotKeywords, folder path: String) throws(MaildirError) -> DovecotFolderSnapshot {
        DovecotFolderSnapshot(
            uidlist: uidlist, uidlistIdentity: try FileSystem.status(FileSystem.join(path, DovecotUIDList.fileName)), keywords: keywords,
            keywordsIdentity: try FileSystem.status(FileSystem.join(path, DovecotKeywords.fileName)))
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
