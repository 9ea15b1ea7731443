public import MailModel

/// One folder as a store lists it.
public struct FolderListing: Hashable, Sendable {
    public var name: MailboxName
    /// Cannot hold messages (`\Noselect` or `\NonExistent`): only a level in the hierarchy.
    public var isSelectable: Bool
    public var specialUse: SpecialUse?
    public var isSubscribed: Bool
    /// The number of messages, when the store can tell cheaply while listing (IMAP STATUS,
    /// a Maildir directory count); used for progress, ETA and to start the largest folders first.
    public var messageCount: Int?
    /// Set when the store lists a folder whose name cannot be read (invalid modified UTF-7,
    /// invalid UTF-8): the folder is a plan problem until it is excluded, never skipped silently.
    public var nameError: String?

    public init(
        name: MailboxName, isSelectable: Bool = true, specialUse: SpecialUse? = nil, isSubscribed: Bool = false,
        messageCount: Int? = nil
    ) {
        self.name = name
        self.isSelectable = isSelectable
        self.specialUse = specialUse
        self.isSubscribed = isSubscribed
        self.messageCount = messageCount
    }
}
