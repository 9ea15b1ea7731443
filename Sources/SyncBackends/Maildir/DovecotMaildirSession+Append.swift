import Glibc
import MailModel
import Maildir
import SyncEngine

extension DovecotMaildirSession {
    /// Stage every message of the batch under its source UID, then commit once: flush,
    /// `dovecot-uidlist`, renames. Only then are the receipts returned.
    ///
    /// A message already there under its UID byte for byte (a batch repeated after a crash)
    /// is confirmed without a second copy; a file with the same bytes that the uid list does
    /// not number (left by a replaced UIDVALIDITY) is given the UID instead of a second copy.
    /// A UID that another message holds is refused for that message only.
    func appendBatch(_ messages: [OutgoingMessage], to name: MailboxName) throws -> [AppendOutcome] {
        let folder: DovecotFolder
        if let current, current.name == name, try !current.folder.changedOnDisk() {
            folder = current.folder
        } else {
            folder = try openFolder(name, create: false)  // Dovecot changed it meanwhile: read it again
        }
        guard let validity = folder.uidValidity else {
            throw StoreError(.protocolViolation, "\(name): append before the folder took the source's UIDVALIDITY")
        }
        let orphans = folder.recordsWithoutFiles()
        var unnumbered = UnnumberedFiles(folder.unnumberedFiles())
        let identities = folder.levels.isEmpty ? store.pop3Board?.identities(inboxValidity: validity) : nil
        var outcomes: [AppendOutcome] = []
        var storageFull: AppendRejection?
        do {
            for message in messages {
                if let storageFull {
                    outcomes.append(.rejected(storageFull))
                    continue
                }
                do {
                    let spec = Self.spec(for: message, pop3: identities?[message.sourceUID], orphan: orphans[message.sourceUID])
                    outcomes.append(try stage(message, spec: spec, in: folder, validity: validity, unnumbered: &unnumbered))
                } catch {
                    guard let error = error as? MaildirError, error.errno == ENOSPC || error.errno == EDQUOT else { throw error }
                    storageFull = AppendRejection(kind: .overQuota, text: error.description)
                    outcomes.append(.rejected(storageFull!))
                }
            }
        } catch {
            try? folder.discardPendingChanges()
            current = nil
            throw error
        }
        if folder.hasPendingChanges { try commit(folder) }
        return outcomes
    }

    private func stage(
        _ message: OutgoingMessage, spec: DovecotMessageSpec, in folder: DovecotFolder, validity: UIDValidity,
        unnumbered: inout UnnumberedFiles
    ) throws -> AppendOutcome {
        let uid = message.sourceUID
        if let present = folder.message(uid: uid) {
            guard try Self.fingerprint(of: present, in: folder) == message.fingerprint else {
                return .rejected(AppendRejection(
                    kind: folder.wasHandedOutByAnotherWriter(uid) ? .uidHandedOut : .other,
                    text: "UID \(uid) is already used in this folder by another message (\(present.base)): was mail delivered "
                        + "into the destination folder directly? Remove that message, or replace the folder's UIDs with --overwrite-uidvalidity"))
            }
            return .appended(AppendReceipt(uid: uid, uidValidity: validity, droppedFlags: Self.dropped(message.flags, kept: present)))
        }
        if let refusal = folder.handedOutRefusal(uid) {
            return .rejected(AppendRejection(kind: .uidHandedOut, text: refusal.detail))
        }
        if let twin = try unnumbered.take(size: Int64(message.body.count), fingerprint: message.fingerprint, in: folder) {
            try folder.adopt(base: twin.base, uid: uid, pop3UIDL: spec.pop3UIDL, pop3Order: spec.pop3Order)
            try folder.setFlags(uid: uid, flags: spec.flags, keywords: spec.keywords)
            let kept = folder.message(uid: uid) ?? twin
            return .appended(AppendReceipt(uid: uid, uidValidity: validity, droppedFlags: Self.dropped(message.flags, kept: kept)))
        }
        let writer = try folder.makeMessageWriter()
        do {
            try message.body.forEachChunk { try writer.write($0) }
        } catch {
            writer.abort()
            throw error
        }
        let written = try writer.finish(modificationTime: message.internalDate?.secondsSince1970)
        do {
            let added = try folder.add(written, spec: spec)
            return .appended(AppendReceipt(uid: uid, uidValidity: validity, droppedFlags: Self.dropped(message.flags, kept: added)))
        } catch {
            guard error.kind == .conflict || error.kind == .uidHandedOut else { throw error }
            unlink(written.temporaryPath)
            return .rejected(AppendRejection(kind: error.kind == .uidHandedOut ? .uidHandedOut : .other, text: error.detail))
        }
    }

    static func spec(for message: OutgoingMessage, pop3: POP3IdentityBoard.Identity?, orphan: String?) -> DovecotMessageSpec {
        let flags = message.flags.subtracting([.recent])
        return DovecotMessageSpec(
            uid: message.sourceUID, preferredBase: orphan, flags: flags.filter(\.isSystemFlag),
            keywords: flags.filter(\.isKeyword).map(\.stringValue).sorted(), internalDate: message.internalDate,
            pop3UIDL: pop3?.uidl, pop3Order: pop3?.order)
    }

    /// The flags asked for that the file does not carry (a 27th keyword, an unknown system flag).
    static func dropped(_ requested: Set<Flag>, kept message: DovecotMessage) -> Set<Flag> {
        let kept = message.flags.union(message.keywords.map(Flag.init))
        return requested.subtracting([.recent]).subtracting(kept)
    }

    /// SHA-256 of a message file's bytes.
    static func fingerprint(of message: DovecotMessage, in folder: DovecotFolder) throws(MaildirError) -> MessageFingerprint? {
        let path: String
        if access(message.path, F_OK) == 0 {
            path = message.path
        } else if let current = try folder.currentPath(base: message.base) {
            path = current
        } else {
            return nil
        }
        let reader = try MessageFileReader(path: path)
        defer { reader.close() }
        var hasher = MessageFingerprint.Hasher()
        var buffer = [UInt8](repeating: 0, count: 256 * 1024)
        while true {
            let count = try reader.read(into: &buffer)
            if count == 0 { break }
            buffer.withUnsafeBytes { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
        }
        return hasher.finalize()
    }
}
