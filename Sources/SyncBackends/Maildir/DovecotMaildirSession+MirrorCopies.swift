import Logging
import MailModel
import Maildir
import SyncEngine

extension DovecotMaildirSession {
    /// Every message of `folder` when each one is a mirror copy whose tag verifies (the
    /// folder is then mailferry's own), in UID order; `nil` as soon as one is not. A folder
    /// without any message file (its copies purged, Dovecot's records of them not yet
    /// dropped) gives an empty list: it holds nothing a new UIDVALIDITY could hide.
    func onlyMirrorCopies(_ folder: DovecotFolder, _ copies: MirrorCopies) throws -> [DovecotMessage]? {
        let messages = folder.messages()
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
        guard !adopted.isEmpty else {
            let text = "\(folder.path): held no message, only Dovecot's records of purged copies: it takes the source's "
                + "UIDVALIDITY \(sourceValidity)"
            store.logger.notice("\(text)", metadata: ["maildir.code": "mirror-folder-adopted"])
            return
        }
        let text =
            "\(folder.path): held only the mirror's verified copies (\(adopted.count)) under Dovecot's own UIDVALIDITY: the folder "
                + "takes the source's UIDVALIDITY \(sourceValidity) and the copies UIDs \(first)-\(uid - 1), above the source's; "
                + "`mirror purge` removes them"
        store.logger.notice("\(text)", metadata: ["maildir.code": "mirror-folder-adopted"])
    }
}
