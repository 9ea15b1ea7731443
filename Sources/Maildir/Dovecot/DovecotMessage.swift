public import MailModel

/// A message as the destination Dovecot folder holds it (or will, after the pending
/// changes are committed).
public struct DovecotMessage: Hashable, Sendable {
    /// The UID in `dovecot-uidlist`; `nil` for a file Dovecot has not numbered yet.
    public let uid: UID?
    public let file: MaildirFileEntry
    /// Absolute path of the file (in `tmp/` while its addition is pending).
    public let path: String
    public let flags: Set<Flag>
    /// Keywords from the file name letters, resolved with `dovecot-keywords`.
    public let keywords: [String]
    /// Keyword letters with no entry in `dovecot-keywords` (Dovecot ignores them).
    public let unknownKeywordIndexes: [Int]
    public let pop3UIDL: String?
    public let pop3Order: Int?
    /// True while the message is staged and not yet committed.
    public let isPending: Bool

    public var base: String { file.base }
    public var internalDate: InternalDate { InternalDate(secondsSince1970: file.modificationTime) }
}
