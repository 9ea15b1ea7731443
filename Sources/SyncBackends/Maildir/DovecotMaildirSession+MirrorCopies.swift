import Logging
import MailModel
import Maildir
import SyncEngine

extension DovecotMaildirSession {
    /// Every message of `folder` when each one is a mirror copy whose tag verifies (the
    /// folder is then mailferry's own), in UID order; `nil` as soon as one is not, or when
    /// the folder holds no message file at all.
    func onlyMirrorCopies(_ folder: DovecotFolder, _ copies: MirrorCopies) throws -> [DovecotMessage]? {
        let messages = folder.messages()
        guard !messages.isEmpty else { return nil }
        for message in messages {
            guard let header = try MirrorCopies.header(ofFileAt: message.path), copies.isVerifiedCopy(header) else { return nil }
        }
        return messages
    }

    /// Give the adopted copies UIDs from `first` on (above the reserve, under the source's
    /// UIDVALIDITY just set), in the order Dovecot had them.
    func renumber(_ adopted: [DovecotMessage], in folder: DovecotFolder, from first: UID, sourceValidity: UIDValidity) throws {
        var uid = first.rawValue
        for message in adopted {
            try folder.adopt(base: message.base, uid: UID(exactly: uid))
            uid += 1
        }
        let text =
            "\(folder.path): held only the mirror's verified copies (\(adopted.count)) under Dovecot's own UIDVALIDITY: the folder "
                + "takes the source's UIDVALIDITY \(sourceValidity) and the copies UIDs \(first)-\(uid - 1), above the source's; "
                + "`mirror purge` removes them"
        store.logger.notice("\(text)", metadata: ["maildir.code": "mirror-folder-adopted"])
    }
}
