public import MailModel

/// A folder of a Courier Maildir++ tree: INBOX (the root) or a `.<name>` directory.
public struct CourierFolderEntry: Hashable, Sendable, CustomStringConvertible {
    /// Decoded levels below INBOX; empty for INBOX itself.
    public let levels: [String]
    /// The on-disk directory name (`.Sent.2023`), `nil` for INBOX.
    public let directoryName: String?
    /// Absolute path of the folder directory.
    public let path: String
    /// The on-disk encoding detected for the name, `nil` for ASCII names.
    public let encoding: FolderNameEncoding?

    public init(levels: [String], directoryName: String?, path: String, encoding: FolderNameEncoding?) {
        self.levels = levels
        self.directoryName = directoryName
        self.path = path
        self.encoding = encoding
    }

    public var isInbox: Bool { levels.isEmpty }

    /// The IMAP name Courier shows: `INBOX` or `INBOX.<levels>` with separator `.`.
    public var mailboxName: MailboxName {
        MailboxName(components: ["INBOX"] + levels, separator: MaildirFolderName.separator)
    }

    public var description: String { mailboxName.name }
}
