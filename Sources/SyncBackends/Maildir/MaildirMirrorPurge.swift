import Glibc
public import Maildir
public import MailModel

/// `mirror purge` on a Dovecot Maildir, on disk: the mirror's verified copies are removed
/// through the same writer that keeps UIDs, under Dovecot's `dovecot-uidlist.lock`.
///
/// Why on disk rather than over the new Dovecot's IMAP: the cutover keeps user logins on the
/// new server closed until *open*, and a `maildir:` destination has no IMAP account in the
/// config; and an IMAP EXPUNGE leaves the copies' records in `dovecot-uidlist` until
/// Dovecot's next sync of the folder. Here the file goes first, then its record, in one
/// commit; the folder's next UID never goes down (the copies were numbered above the UID
/// reserve, ``MirrorCopies``, so the source's UIDs below stay free for the final pass).
/// A running Dovecot takes the removals from the files, as it does for any expunge.
public enum MaildirMirrorPurge {
    /// What a message's header says about the mirror.
    public enum Tag: Sendable {
        /// No tag field: not a candidate.
        case none
        /// Exactly one tag field and it verifies under the mirror's key: a mirror copy.
        case verified
        /// A tag field that does not verify (forged, another mirror's key, two of them):
        /// never deleted, listed.
        case unverified
    }

    public struct Folder: Hashable, Sendable {
        /// The folder's directory name (`INBOX` for the root).
        public var name: String
        /// The verified copies removed (or, in a dry run, that would be), numbered by Dovecot
        /// or not.
        public var copies: Int
        /// Messages with a tag field that does not verify, by UID: left in place.
        public var unverified: [UID] = []
    }

    /// The most attempts on a folder whose `dovecot-uidlist` Dovecot changed while it was
    /// read (a delivery): each attempt reads the folder again.
    static let attempts = 3

    /// Look at every message of every folder of the Maildir at `root` and, with `apply`,
    /// remove exactly the verified copies. `classify` reads a message's header section; a
    /// header longer than ``MirrorCopies/headerLimit`` is not a copy's (the mirror adds one
    /// short line) and is not looked at, nor is a file gone meanwhile. No Maildir at `root`:
    /// nothing to purge.
    public static func run(
        root: String, layout: DovecotLayout, ownership: MaildirOwnership, apply: Bool,
        classify: @escaping @Sendable (_ header: [UInt8]) -> Tag
    ) async throws -> [Folder] {
        try await MaildirIO.run {
            var isMaildir = stat()
            guard stat(root + "/cur", &isMaildir) == 0 else { return [] }
            let maildir = try DovecotMaildir(root: root, layout: layout, ownership: ownership, options: .init(createRoot: false))
            var result: [Folder] = []
            for entry in try maildir.folders().folders {
                var attempt = 1
                while true {
                    let folder = try maildir.openFolder(levels: entry.levels, create: false)
                    var report = Folder(name: entry.directoryName ?? "INBOX", copies: 0)
                    for message in folder.messages() {
                        guard let header = try MirrorCopies.header(ofFileAt: message.path) else { continue }
                        switch classify(header) {
                        case .none: continue
                        case .unverified:
                            // Not a copy either way; one Dovecot has not numbered is not visible yet.
                            if let uid = message.uid { report.unverified.append(uid) }
                        case .verified:
                            // Dovecot's LMTP saves without a UID when the uid list is locked
                            // (a presync writing): such a copy is removed as a file.
                            report.copies += 1
                            guard apply else { continue }
                            if let uid = message.uid {
                                try folder.expunge(uid: uid)
                            } else {
                                try folder.discardUnnumbered(base: message.base)
                            }
                        }
                    }
                    if try !commit(folder, retryable: attempt < attempts) {
                        attempt += 1
                        continue
                    }
                    if report.copies > 0 || !report.unverified.isEmpty { result.append(report) }
                    break
                }
            }
            return result
        }
    }

    /// Commits the removals; false (nothing changed) when Dovecot changed the folder's
    /// metadata since it was read and another attempt is allowed.
    private static func commit(_ folder: DovecotFolder, retryable: Bool) throws(MaildirError) -> Bool {
        guard folder.hasPendingChanges else { return true }
        do {
            _ = try folder.commit()
            return true
        } catch {
            guard error.kind == .conflict, retryable else { throw error }
            try? folder.discardPendingChanges()
            return false
        }
    }
}
