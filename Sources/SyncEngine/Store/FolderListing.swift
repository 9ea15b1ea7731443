public import MailModel

/// One folder as a store lists it.
public struct FolderListing: Hashable, Sendable {
    public var name: MailboxName
    /// Cannot hold messages (`\Noselect` or `\NonExistent`): only a level in the hierarchy.
    public var isSelectable: Bool
    public var specialUse: SpecialUse?
    public var isSubscribed: Bool

    public init(name: MailboxName, isSelectable: Bool = true, specialUse: SpecialUse? = nil, isSubscribed: Bool = false) {
        self.name = name
        self.isSelectable = isSelectable
        self.specialUse = specialUse
        self.isSubscribed = isSubscribed
    }
}
