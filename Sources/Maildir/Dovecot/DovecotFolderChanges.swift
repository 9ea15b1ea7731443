import MailModel

/// What a ``DovecotFolder`` session staged over its ``DovecotFolderSnapshot``, as one value:
/// the uid list and keywords as they will be written, message files waiting in `tmp/`, flag
/// renames, files to remove, and what the commit must do beyond writing them. Staging changes
/// only this value; forgetting every staged change is starting it again from the snapshot.
struct DovecotFolderChanges {
    struct Addition: Hashable {
        var written: WrittenMessage
        var uid: UID?
        var fileName: MaildirFilename
        var location: MaildirFileEntry.Location
        var modificationTime: Int64
    }

    /// The uid list as it will be written (the snapshot's plus staged records).
    private(set) var uidlist: DovecotUIDList?
    /// The keywords as they will be written (the snapshot's plus staged letters).
    var keywords: DovecotKeywords
    /// base → UID of the records in `uidlist`.
    private(set) var uidByBase: [String: UID] = [:]
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

    /// Nothing staged over `snapshot`.
    init(over snapshot: DovecotFolderSnapshot) {
        uidlist = snapshot.uidlist
        keywords = snapshot.keywords
        rebuildIndex()
    }

    /// True when files are staged, renamed or removed.
    var touchesFiles: Bool { !additions.isEmpty || !renames.isEmpty || !removals.isEmpty }

    /// True when a commit over `snapshot` has something to write.
    func isPending(over snapshot: DovecotFolderSnapshot) -> Bool {
        touchesFiles || uidlist != snapshot.uidlist || keywords != snapshot.keywords
    }

    /// UIDs another writer handed out, as the snapshot's uid list records them; a new
    /// UIDVALIDITY starts with none (`nil` before the folder has a UIDVALIDITY).
    func watermark(over snapshot: DovecotFolderSnapshot) -> DovecotUIDWatermark? {
        uidValidityChanged ? DovecotUIDWatermark() : snapshot.watermark
    }

    /// Replace the uid list (and so the base index).
    mutating func setUIDList(_ list: DovecotUIDList?) {
        uidlist = list
        rebuildIndex()
    }

    /// Insert a record into the staged uid list, raising the next UID past it.
    mutating func insertRecord(uid: UID, base: String, fields: [DovecotUIDList.Field], belowDiskNextUID: Bool) {
        guard var list = uidlist else { return }
        let position = list.records.firstIndex { $0.uid > uid } ?? list.records.endIndex
        list.records.insert(DovecotUIDList.Record(uid: uid, fields: fields, base: base), at: position)
        if uid >= list.nextUID { list.nextUID = UID(exactly: uid.rawValue + 1) }
        if belowDiskNextUID { reusesUIDsBelowDisk = true }
        uidlist = list
        uidByBase[base] = uid
    }

    /// Raise the staged uid list's next UID to `uid` (never lowers it).
    mutating func raiseNextUID(to uid: UID) {
        guard var list = uidlist, uid > list.nextUID else { return }
        list.nextUID = uid
        uidlist = list
    }

    /// Change the fields of the record of `uid`; returns false when there is no such record.
    @discardableResult
    mutating func updateFields(uid: UID, _ update: (inout DovecotUIDList.Record) -> Void) -> Bool {
        guard var list = uidlist, let index = list.records.firstIndex(where: { $0.uid == uid }) else { return false }
        update(&list.records[index])
        uidlist = list
        return true
    }

    /// Remove the record of `uid`; returns its base when there was one.
    @discardableResult
    mutating func removeRecord(uid: UID) -> String? {
        guard var list = uidlist, let index = list.records.firstIndex(where: { $0.uid == uid }) else { return nil }
        let base = list.records.remove(at: index).base
        uidlist = list
        uidByBase[base] = nil
        return base
    }

    private mutating func rebuildIndex() {
        uidByBase = [:]
        for record in uidlist?.records ?? [] { uidByBase[record.base] = record.uid }
    }
}
