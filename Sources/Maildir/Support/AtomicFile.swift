import DurableFile

/// Durable replacement of a small Maildir file (the uid list, keywords, markers, Courier UID
/// ledgers) through mailferry's one durable-file writer, with the Maildir's ownership and
/// its failures as ``MaildirError``.
enum AtomicFile {
    /// Replace `path` with `bytes`. `temporaryDirectory` (the Maildir's own `tmp/` when there
    /// is one) must be on the same file system. `modificationTime` (seconds) is set before
    /// the rename, so that no reader ever sees the new content with another mtime.
    static func write(
        _ bytes: [UInt8], to path: String, ownership: MaildirOwnership, temporaryDirectory: String? = nil,
        modificationTime: Int64? = nil
    ) throws(MaildirError) {
        let options = DurableFile.Options(
            mode: UInt32(ownership.fileMode), uid: ownership.uid, gid: ownership.gid, temporaryDirectory: temporaryDirectory,
            modificationTime: modificationTime)
        do {
            try DurableFile.replace(path, with: bytes, options: options)
        } catch {
            throw MaildirError(.io, path: error.path, errno: error.errno, detail: "\(error.operation) failed")
        }
    }
}
