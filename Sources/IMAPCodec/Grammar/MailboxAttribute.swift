/// A mailbox name attribute in a LIST response (RFC 3501 §7.2.2, RFC 3348 CHILDREN,
/// RFC 5258 LIST-EXTENDED, RFC 6154 SPECIAL-USE). Open struct; compared case-insensitively.
public struct MailboxAttribute: Hashable, Sendable, CustomStringConvertible {
    /// The attribute as sent, e.g. `\HasChildren`.
    public let rawValue: String

    public init(_ rawValue: String) { self.rawValue = rawValue }

    public var description: String { rawValue }
    public static func == (lhs: MailboxAttribute, rhs: MailboxAttribute) -> Bool { lhs.normalized == rhs.normalized }
    public func hash(into hasher: inout Hasher) { hasher.combine(normalized) }
    private var normalized: String { rawValue.lowercased() }

    public static let noInferiors = MailboxAttribute("\\Noinferiors")
    public static let noSelect = MailboxAttribute("\\Noselect")
    public static let nonExistent = MailboxAttribute("\\NonExistent")
    public static let marked = MailboxAttribute("\\Marked")
    public static let unmarked = MailboxAttribute("\\Unmarked")
    public static let subscribed = MailboxAttribute("\\Subscribed")
    public static let remote = MailboxAttribute("\\Remote")
    public static let hasChildren = MailboxAttribute("\\HasChildren")
    public static let hasNoChildren = MailboxAttribute("\\HasNoChildren")

    // SPECIAL-USE (RFC 6154)
    public static let all = MailboxAttribute("\\All")
    public static let archive = MailboxAttribute("\\Archive")
    public static let drafts = MailboxAttribute("\\Drafts")
    public static let flagged = MailboxAttribute("\\Flagged")
    public static let junk = MailboxAttribute("\\Junk")
    public static let sent = MailboxAttribute("\\Sent")
    public static let trash = MailboxAttribute("\\Trash")

    /// The RFC 6154 special-use attributes.
    public static let specialUse: Set<MailboxAttribute> = [.all, .archive, .drafts, .flagged, .junk, .sent, .trash]

    /// True for a special-use attribute.
    public var isSpecialUse: Bool { MailboxAttribute.specialUse.contains(self) }

    /// True if the mailbox cannot be selected (`\Noselect` or `\NonExistent`).
    public var preventsSelect: Bool { self == .noSelect || self == .nonExistent }
}
