public import MailModel

/// What a sync destination needs beyond staging and committing: re-reading the folder when
/// someone else (Dovecot) changed it, the files Dovecot has not numbered, and POP3 data of
/// messages already present.
extension DovecotFolder {
    /// Forget staged changes and read the folder from disk again.
    public func reloadFromDisk() throws(MaildirError) {
        try discardPendingChanges()
        try reload()
    }

    /// True when `dovecot-uidlist` or `dovecot-keywords` changed on disk since they were read.
    public func changedOnDisk() throws(MaildirError) -> Bool {
        try snapshot.changedFile(folder: path) != nil
    }

    /// Message files in `cur/` and `new/` that `dovecot-uidlist` does not number (delivered
    /// behind Dovecot's back, or left when the folder's UIDVALIDITY was replaced).
    public func unnumberedFiles() -> [DovecotMessage] {
        files.keys.filter { uidByBase[$0] == nil && changes.removals[$0] == nil }.sorted().compactMap { message(base: $0) }
    }

    /// Set (or, with `nil`, remove) the POP3 UIDL and order of a recorded message. Returns
    /// true if the record changed; an invalid UIDL is reported and not stored.
    @discardableResult
    public func setPOP3(uid: UID, uidl: String?, order: Int?) throws(MaildirError) -> Bool {
        guard let list = uidlist, let index = list.records.firstIndex(where: { $0.uid == uid }) else {
            throw MaildirError(.invalidArgument, path: path, detail: "no record for UID \(uid)")
        }
        var record = list.records[index]
        let before = record
        record.set("O", order.map(String.init))  // O before P, as add(_:spec:) writes them
        if let uidl, !Self.isValidUIDL(uidl) {
            diagnostics.append(MaildirDiagnostic(
                .error, .pop3UIDLInvalid, path: path, messageBase: record.base, "POP3 UIDL '\(uidl)' has characters POP3 forbids; not kept"))
        } else {
            record.set("P", uidl)
        }
        guard record != before else { return false }
        changes.updateFields(uid: uid) { $0 = record }
        return true
    }

    /// The path of the file holding `base` now: a running Dovecot renames a file when its
    /// flags change. `nil` when it is gone.
    public func currentPath(base: String) throws(MaildirError) -> String? {
        try currentFile(base: base).map { FileSystem.join(path, $0.relativePath) }
    }
}
