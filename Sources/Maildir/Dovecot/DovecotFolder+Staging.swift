import Glibc
public import MailModel

extension DovecotFolder {
    /// Give the folder its UIDVALIDITY and raise its next UID (never lowers it).
    ///
    /// Refuses (``MaildirError/Kind/uidValidityMismatch``) when the folder already has
    /// another UIDVALIDITY, unless `allowingChange`: then every existing UID is void, the
    /// uid list starts over, existing files stay and can be re-adopted with ``adopt(base:uid:pop3UIDL:pop3Order:)``.
    public func setIdentity(uidValidity: UIDValidity, nextUID: UID, allowingChange: Bool = false) throws(MaildirError) {
        guard uidValidity.rawValue != 0 else {
            throw MaildirError(.invalidArgument, path: path, detail: "UIDVALIDITY 0 is not valid")
        }
        if let list = uidlist {
            if list.uidValidity == uidValidity {
                changes.raiseNextUID(to: nextUID)
                return
            }
            guard allowingChange else {
                throw MaildirError(
                    .uidValidityMismatch, path: FileSystem.join(path, DovecotUIDList.fileName),
                    detail: "the destination has UIDVALIDITY \(list.uidValidity), the source \(uidValidity); "
                        + "clients would re-download this folder. Refusing unless told to replace it")
            }
            diagnostics.append(MaildirDiagnostic(
                .warning, .uidConflict, path: FileSystem.join(path, DovecotUIDList.fileName),
                "UIDVALIDITY \(list.uidValidity) replaced by \(uidValidity); \(list.records.count) old UIDs dropped"))
        }
        // A new UIDVALIDITY: the watermark starts empty (``DovecotFolderChanges/watermark(over:)``).
        changes.setUIDList(DovecotUIDList(uidValidity: uidValidity, nextUID: nextUID, mailboxGUID: uidlist?.mailboxGUID))
        changes.uidValidityChanged = true
        for addition in changes.additions.values where addition.uid != nil {
            // Staged additions keep their UIDs under the new UIDVALIDITY.
            try insertRecord(uid: addition.uid!, base: addition.fileName.base, fields: [])
        }
    }

    /// A writer for a new message file in `tmp/`; pass its result to ``add(_:spec:)``.
    /// Without the virtual size, a generated base name carries only `,S=` (Dovecot then
    /// computes RFC822.SIZE itself).
    public func makeMessageWriter(computeFingerprint: Bool = false, computeVirtualSize: Bool = true) throws(MaildirError) -> MessageFileWriter {
        let temporary = FileSystem.join(FileSystem.join(path, "tmp"), names.next() + ".mailferry")
        return try MessageFileWriter(
            temporaryPath: temporary, ownership: ownership, computeFingerprint: computeFingerprint,
            computeVirtualSize: computeVirtualSize, syncOnFinish: durability == .fsyncEachFile)
    }

    /// Stage a written message. It appears in ``messages()`` at once and on disk at
    /// ``commit()``. Throws when its UID is taken.
    @discardableResult
    public func add(_ written: WrittenMessage, spec: DovecotMessageSpec) throws(MaildirError) -> DovecotMessage {
        if let uid = spec.uid {
            try refuseHandedOut(uid)
            guard uid.rawValue < UInt32.max - 1 else { throw MaildirError(.invalidArgument, path: path, detail: "UID \(uid) out of range") }
            guard uidlist != nil else {
                throw MaildirError(.invalidArgument, path: path, detail: "set the folder's UIDVALIDITY before adding messages with UIDs")
            }
            if let existing = record(uid: uid), !isRefill(existing, spec: spec, written: written) {
                throw MaildirError(.conflict, path: path, detail: "UID \(uid) is already used by \(existing.base)")
            }
            if changes.additions.values.contains(where: { $0.uid == uid }) {
                throw MaildirError(.conflict, path: path, detail: "UID \(uid) is already staged")
            }
        }
        var refill: DovecotUIDList.Record?
        if let uid = spec.uid, let existing = record(uid: uid), isRefill(existing, spec: spec, written: written) {
            refill = existing
        }
        let base = refill?.base ?? chooseBase(spec.preferredBase, written: written)
        let letters = flagLetters(flags: spec.flags, keywords: spec.keywords, other: spec.otherFlagLetters, base: base)
        let inNew = spec.location == .new && letters == .empty && spec.extraInfo == nil
        let fileName = inNew ? MaildirFilename(base) : MaildirFilename(base: base, flags: letters, extraInfo: spec.extraInfo)
        var fields: [DovecotUIDList.Field] = []
        if let order = spec.pop3Order { fields.append(.init(key: "O", value: String(order))) }
        if let uidl = spec.pop3UIDL {
            if Self.isValidUIDL(uidl) {
                fields.append(.init(key: "P", value: uidl))
            } else {
                diagnostics.append(MaildirDiagnostic(
                    .error, .pop3UIDLInvalid, path: path, messageBase: base, "POP3 UIDL '\(uidl)' has characters POP3 forbids; not kept"))
            }
        }
        if let existing = refill {
            // The record survived a crash that lost its file: fill the file in again.
            try updateFields(uid: existing.uid, fields: fields)
            changes.reusesUIDsBelowDisk = true
        } else if let uid = spec.uid {
            try insertRecord(uid: uid, base: base, fields: fields)
        } else if !fields.isEmpty {
            diagnostics.append(MaildirDiagnostic(.warning, .pop3UIDLInvalid, path: path, messageBase: base, "POP3 data needs a UID; not kept"))
        }
        if !written.isDurable { changes.needsFileSystemSync = true }
        let modificationTime = spec.internalDate?.secondsSince1970 ?? Int64(time(nil))
        changes.additions[base] = DovecotFolderChanges.Addition(
            written: written, uid: spec.uid, fileName: fileName, location: inNew ? .new : .cur, modificationTime: modificationTime)
        return message(base: base)!
    }

    /// Record a UID for a file that is already in the folder without one (e.g. after a
    /// crash between two runs, or after a UIDVALIDITY change).
    public func adopt(base: String, uid: UID, pop3UIDL: String? = nil, pop3Order: Int? = nil) throws(MaildirError) {
        guard files[base] != nil, uidByBase[base] == nil else {
            throw MaildirError(.invalidArgument, path: path, detail: "no unnumbered file with base \(base)")
        }
        try refuseHandedOut(uid)
        guard record(uid: uid) == nil else { throw MaildirError(.conflict, path: path, detail: "UID \(uid) is already used") }
        var fields: [DovecotUIDList.Field] = []
        if let pop3Order { fields.append(.init(key: "O", value: String(pop3Order))) }
        if let pop3UIDL, Self.isValidUIDL(pop3UIDL) { fields.append(.init(key: "P", value: pop3UIDL)) }
        try insertRecord(uid: uid, base: base, fields: fields)
    }

    /// Remove a message (by UID) at the next commit: its file is deleted, then its record.
    /// The next UID does not go down, so the UID is never given again. Only for messages the
    /// caller was asked to remove; returns false when there is no such message.
    @discardableResult
    public func expunge(uid: UID) throws(MaildirError) -> Bool {
        guard let current = message(uid: uid) else { return false }
        if let pending = changes.additions.removeValue(forKey: current.base) {
            _ = try? FileSystem.remove(pending.written.temporaryPath)
        } else if let entry = files[current.base] {
            changes.removals[current.base] = entry
            changes.renames[current.base] = nil
        }
        changes.removeRecord(uid: uid)
        return true
    }

    /// Remove a file Dovecot has not numbered yet at the next commit (there is no record to
    /// forget). Safe against a running Dovecot: it numbers files only under
    /// `dovecot-uidlist.lock`, and the commit refuses if `dovecot-uidlist` changed since the
    /// folder was read, so the file is still unnumbered when it goes; to Dovecot that is a
    /// file another Maildir client removed. Only for files the caller was asked to remove.
    public func discardUnnumbered(base: String) throws(MaildirError) {
        guard let entry = files[base], uidByBase[base] == nil else {
            throw MaildirError(.invalidArgument, path: path, detail: "no unnumbered file with base \(base)")
        }
        changes.removals[base] = entry
        changes.renames[base] = nil
    }

    /// Move a record to another UID, keeping its fields (the source server renumbered a
    /// message whose UID was still provisional when it was copied).
    public func renumber(base: String, to uid: UID) throws(MaildirError) {
        guard let list = uidlist, let from = uidByBase[base], let index = list.records.firstIndex(where: { $0.uid == from }) else {
            throw MaildirError(.invalidArgument, path: path, detail: "no record for base \(base)")
        }
        guard from != uid else { return }
        try refuseHandedOut(uid)
        guard record(uid: uid) == nil else { throw MaildirError(.conflict, path: path, detail: "UID \(uid) is already used") }
        let fields = list.records[index].fields
        changes.removeRecord(uid: from)
        try insertRecord(uid: uid, base: base, fields: fields)
    }

    /// Change the flags and keywords of a message (by UID). Returns false when they already
    /// match, so nothing is rewritten.
    @discardableResult
    public func setFlags(uid: UID, flags: Set<Flag>, keywords newKeywords: [String], otherFlagLetters: [UInt8]? = nil) throws(MaildirError) -> Bool {
        guard let current = message(uid: uid) else {
            throw MaildirError(.invalidArgument, path: path, detail: "no message with UID \(uid)")
        }
        let other = otherFlagLetters ?? current.file.fileName.flags.otherLetters
        let letters = flagLetters(flags: flags, keywords: newKeywords, other: other, base: current.base)
        let currentLetters = current.file.fileName.flags
        let keepsUnknown = currentLetters.letters.filter { letter in
            MaildirFlagLetters.isKeywordLetter(letter) && keywords.names[Int(letter - UInt8(ascii: "a"))] == nil
        }
        let target = MaildirFlagLetters(letters: letters.letters + keepsUnknown)
        if target == currentLetters && (current.file.location == .cur || target == .empty) { return false }
        let renamed = current.file.fileName.with(flags: target)
        if var pending = changes.additions[current.base] {
            pending.fileName = renamed
            pending.location = .cur
            changes.additions[current.base] = pending
        } else {
            changes.renames[current.base] = renamed
        }
        return true
    }

    /// True when another writer (a live Dovecot delivering, e.g. a mirror copy) handed out
    /// `uid` since a mailferry commit: a client may have seen it, even if it is gone now.
    public func wasHandedOutByAnotherWriter(_ uid: UID) -> Bool {
        watermark?.contains(uid) ?? false
    }

    func refuseHandedOut(_ uid: UID) throws(MaildirError) {
        if let refusal = handedOutRefusal(uid) { throw refusal }
    }

    /// Why `uid` cannot be given to a message here, when another writer handed it out.
    public func handedOutRefusal(_ uid: UID) -> MaildirError? {
        guard wasHandedOutByAnotherWriter(uid) else { return nil }
        return MaildirError(
            .uidHandedOut, path: FileSystem.join(path, DovecotUIDList.fileName),
            detail: "UID \(uid) was given by Dovecot to a message it delivered after mailferry's last commit (a copy delivered "
                + "straight to the new server, such as a mirror copy), and a client may have seen it: it is not given to "
                + "another message. Replace the folder's UIDs with --overwrite-uidvalidity (clients download it again), or "
                + "keep deliveries out of this folder until its final sync")
    }

    /// True when `existing` is a record for exactly this message whose file is missing
    /// (the uid list was committed, the rename out of `tmp/` was not).
    func isRefill(_ existing: DovecotUIDList.Record, spec: DovecotMessageSpec, written: WrittenMessage) -> Bool {
        guard files[existing.base] == nil, changes.additions[existing.base] == nil, let preferred = spec.preferredBase else { return false }
        var expected = preferred
        if let recorded = MaildirFilename(preferred).sizeField, recorded != written.size {
            expected = MaildirFilename.base(preferred, replacingSize: written.size)
        }
        return existing.base == expected
    }

    func updateFields(uid: UID, fields: [DovecotUIDList.Field]) throws(MaildirError) {
        changes.updateFields(uid: uid) { record in
            for field in fields { record.set(field.keyCharacter, field.value) }
        }
    }

    func insertRecord(uid: UID, base: String, fields: [DovecotUIDList.Field]) throws(MaildirError) {
        guard uidlist != nil else {
            throw MaildirError(.invalidArgument, path: path, detail: "set the folder's UIDVALIDITY first")
        }
        if let taken = uidByBase[base] {
            throw MaildirError(.conflict, path: path, detail: "base \(base) already has UID \(taken)")
        }
        let belowDisk = !changes.uidValidityChanged && snapshot.uidlist.map { uid < $0.nextUID } == true
        changes.insertRecord(uid: uid, base: base, fields: fields, belowDiskNextUID: belowDisk)
    }

    func chooseBase(_ preferred: String?, written: WrittenMessage) -> String {
        if let preferred, MaildirFilename.isValid(preferred), !preferred.contains(":"), files[preferred] == nil,
            changes.additions[preferred] == nil, uidByBase[preferred] == nil
        {
            if let recorded = MaildirFilename(preferred).sizeField, recorded != written.size {
                let fixed = MaildirFilename.base(preferred, replacingSize: written.size)
                diagnostics.append(MaildirDiagnostic(
                    .warning, .sizeMismatch, path: path, messageBase: preferred,
                    "the name says S=\(recorded) but the message has \(written.size) bytes; written as \(fixed) so Dovecot reads it whole"))
                return chooseBase(fixed, written: written)
            }
            return preferred
        }
        return names.next() + ",S=\(written.size)" + (written.virtualSize.map { ",W=\($0)" } ?? "")
    }

    func flagLetters(flags: Set<Flag>, keywords wanted: [String], other: [UInt8], base: String) -> MaildirFlagLetters {
        var indexes: [Int] = []
        var invalid: [String] = []
        var unstorable: [String] = []
        for keyword in wanted {
            guard Flag(keyword).isValidKeyword else {
                invalid.append(keyword)
                continue
            }
            if keywords.index(of: keyword) == nil { _ = changes.keywords.assign([keyword]) }
            if let index = keywords.index(of: keyword) { indexes.append(index) } else { unstorable.append(keyword) }
        }
        if !invalid.isEmpty {
            diagnostics.append(MaildirDiagnostic(
                .error, .keywordInvalid, path: path, messageBase: base, "not valid IMAP keywords, not copied: \(invalid.joined(separator: ", "))"))
        }
        if !unstorable.isEmpty {
            unstorableKeywords[base] = unstorable
            diagnostics.append(MaildirDiagnostic(
                .error, .keywordNotStorable, path: path, messageBase: base,
                "more than 26 keywords in this folder; Dovecot cannot store these in the file name: \(unstorable.joined(separator: " "))"))
        }
        return MaildirFlagLetters(systemFlags: flags, keywordIndexes: indexes, otherLetters: other)
    }

    /// POP3 UIDLs are 1–70 characters in 0x21–0x7E (RFC 1939).
    static func isValidUIDL(_ uidl: String) -> Bool {
        (1...70).contains(uidl.utf8.count) && uidl.utf8.allSatisfy { $0 >= 0x21 && $0 <= 0x7E }
    }
}
