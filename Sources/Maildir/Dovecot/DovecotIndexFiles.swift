/// Dovecot's index files are caches: "Index files can be deleted and rebuilt without any
/// side effects" (Dovecot's Maildir documentation). After UIDs are written behind
/// Dovecot's back they must go, or Dovecot keeps serving what it cached.
enum DovecotIndexFiles {
    /// Remove `dovecot.index*` (index, log, log.2, cache) in a folder directory.
    static func remove(inFolder path: String) throws(MaildirError) -> [String] {
        try remove(in: path, prefix: "dovecot.index")
    }

    /// Remove `dovecot.list.index*` (it caches every folder's UIDVALIDITY) in the root.
    static func removeListIndex(root: String) throws(MaildirError) -> [String] {
        try remove(in: root, prefix: "dovecot.list.index")
    }

    private static func remove(in directory: String, prefix: String) throws(MaildirError) -> [String] {
        var removed: [String] = []
        for name in (try FileSystem.entries(of: directory))?.names.sorted() ?? [] where name.hasPrefix(prefix) {
            let full = FileSystem.join(directory, name)
            guard try FileSystem.status(full, followLinks: false)?.isRegularFile == true else { continue }
            if try FileSystem.remove(full) { removed.append(full) }
        }
        return removed
    }
}
