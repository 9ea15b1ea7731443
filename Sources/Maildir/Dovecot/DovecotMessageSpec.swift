public import MailModel

/// What to write for one message: the identity and metadata the source had.
public struct DovecotMessageSpec: Hashable, Sendable {
    /// The UID to record; `nil` lets Dovecot number the message (from the next UID up).
    public var uid: UID?
    /// The base name to keep (e.g. the source file's), so that UID lists and POP3 UIDLs keyed
    /// on it stay valid; a fresh unique name is used when absent, invalid or taken.
    public var preferredBase: String?
    /// System flags; `\Recent` is ignored.
    public var flags: Set<Flag>
    /// Keywords; those that do not fit in the 26 file name letters are reported.
    public var keywords: [String]
    /// Other `:2,` letters to keep (such as `P`).
    public var otherFlagLetters: [UInt8]
    /// Text after the flags in the source name (`:2,<flags>,<extra>`), kept as is.
    public var extraInfo: String?
    /// INTERNALDATE, stored as the file's modification time.
    public var internalDate: InternalDate?
    /// `.new` keeps an unseen, flagless message in `new/` (`\Recent` for the next client).
    public var location: MaildirFileEntry.Location
    public var pop3UIDL: String?
    public var pop3Order: Int?

    public init(
        uid: UID?, preferredBase: String? = nil, flags: Set<Flag> = [], keywords: [String] = [], otherFlagLetters: [UInt8] = [],
        extraInfo: String? = nil, internalDate: InternalDate? = nil, location: MaildirFileEntry.Location = .cur,
        pop3UIDL: String? = nil, pop3Order: Int? = nil
    ) {
        self.uid = uid
        self.preferredBase = preferredBase
        self.flags = flags
        self.keywords = keywords
        self.otherFlagLetters = otherFlagLetters
        self.extraInfo = extraInfo
        self.internalDate = internalDate
        self.location = location
        self.pop3UIDL = pop3UIDL
        self.pop3Order = pop3Order
    }
}
