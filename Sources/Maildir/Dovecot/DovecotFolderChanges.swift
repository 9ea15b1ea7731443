import MailModel

/// What a ``DovecotFolder`` session staged since it read the folder, as one value: message
/// files waiting in `tmp/`, flag renames, files to remove, and what the commit must do
/// beyond writing them. Forgetting every staged change is resetting this value.
struct DovecotFolderChanges {
    struct Addition {
        var written: WrittenMessage
        var uid: UID?
        var fileName: MaildirFilename
        var location: MaildirFileEntry.Location
        var modificationTime: Int64
    }

    /// Staged message files, by base.
    var additions: [String: Addition] = [:]
    /// New names of files already in the folder, by base.
    var renames: [String: MaildirFilename] = [:]
    /// Files to remove (expunged by request), by base.
    var removals: [String: MaildirFileEntry] = [:]
    /// Staged files were written without fsync: flush the file system before committing.
    var needsFileSystemSync = false
    /// The uid list starts over under a new UIDVALIDITY.
    var uidValidityChanged = false
    /// A record was staged at a UID below the next UID on disk (a refilled file, a gap, a
    /// renumbering): a running Dovecot may hold that UID as expunged in its index and would
    /// renumber the message, so its index must be rebuilt at commit.
    var reusesUIDsBelowDisk = false

    /// True when files are staged, renamed or removed.
    var touchesFiles: Bool { !additions.isEmpty || !renames.isEmpty || !removals.isEmpty }
}
