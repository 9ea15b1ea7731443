public import MailModel

/// A folder found in a Dovecot Maildir.
public struct DovecotFolderEntry: Hashable, Sendable {
    /// Decoded levels; empty for INBOX.
    public let levels: [String]
    /// On-disk directory name, `nil` for INBOX.
    public let directoryName: String?
    public let path: String
    /// From `dovecot-uidlist`, when there is one.
    public let uidValidity: UIDValidity?
    public let nextUID: UID?
}
