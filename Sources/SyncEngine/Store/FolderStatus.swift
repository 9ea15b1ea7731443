public import MailModel

/// What a store says about a folder when it is opened for reading and writing.
public struct FolderStatus: Hashable, Sendable {
    public var uidValidity: UIDValidity
    /// The UID the next message will get.
    public var uidNext: UInt32
    public var messageCount: Int
    /// Present when the store supports CONDSTORE (RFC 7162) for this folder.
    public var highestModSeq: ModSeq?
    /// The flags that can be stored permanently; `nil` if the store did not say (assume all).
    public var permanentFlags: Set<Flag>?
    /// Whether new keywords can be created (`\*` in PERMANENTFLAGS).
    public var acceptsNewKeywords: Bool
    /// Messages the store left out of this open for a later run: a Courier Maildir read
    /// with a settle window does not number mail of the last seconds yet (``messageCount``
    /// and the listing leave them out), so the run that skips them is not complete.
    public var deferred = 0

    public init(
        uidValidity: UIDValidity, uidNext: UInt32, messageCount: Int, highestModSeq: ModSeq? = nil,
        permanentFlags: Set<Flag>? = nil, acceptsNewKeywords: Bool = true
    ) {
        self.uidValidity = uidValidity
        self.uidNext = uidNext
        self.messageCount = messageCount
        self.highestModSeq = highestModSeq
        self.permanentFlags = permanentFlags
        self.acceptsNewKeywords = acceptsNewKeywords
    }

    /// True if the store keeps `flag` on a message (a keyword the store refuses is reported, not fatal).
    public func canStore(_ flag: Flag) -> Bool {
        guard let permanentFlags else { return true }
        if permanentFlags.contains(flag) { return true }
        return flag.isKeyword && acceptsNewKeywords
    }
}
