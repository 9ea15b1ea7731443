import IMAPClient
import Maildir
import MailferryConfig
import MailModel
import Relay
import SyncBackends

extension MirrorPurge {
    /// `mirror purge` on a Dovecot Maildir (`maildir:/var/vmail/alice/Maildir`), on disk
    /// through the UID-keeping writer (``MaildirMirrorPurge``): the verified copies' files and
    /// records go in one commit under Dovecot's lock, so `dovecot-uidlist` never keeps a
    /// purged copy's record; a copy Dovecot has not numbered yet goes as a file. Tag fields that do not verify are left and listed, as over IMAP.
    public static func run(maildir url: String, owner: String?, tag: MirrorTag, apply: Bool) async throws -> Report {
        var spec = EndpointSpec(
            side: .destination, url: url, tls: .init(), startTLS: false, allowPlaintext: false, timeoutSeconds: 0)
        spec.owner = owner
        let parsed = try spec.maildirURL()
        guard parsed.format ?? .dovecot == .dovecot else {
            throw ConfigError("\(url): mirror copies are purged from the new server's Dovecot Maildir (format=dovecot), never from Courier's")
        }
        let ownership: MaildirOwnership
        if let given = try spec.givenOwnership() {
            ownership = given
        } else {
            do {
                ownership = try MaildirOwnership.inferred(maildirRoot: parsed.path)
            } catch {
                // No Maildir there yet: nothing to purge, nothing is written.
                ownership = .currentProcess
            }
        }
        let folders = try await MaildirMirrorPurge.run(root: parsed.path, layout: spec.layout(parsed), ownership: ownership, apply: apply) { header in
            if tag.verifyHeader(header) != nil { return .verified }
            return MirrorTag.tagFields(in: header) > 0 ? .unverified : .none
        }
        var report = Report(user: parsed.path, applied: apply)
        report.folders = folders.map { folder in
            Report.Folder(name: folder.name, copies: folder.copies, unverified: folder.unverified)
        }
        return report
    }
}
