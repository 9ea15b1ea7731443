public import MailModel

/// One message that could not be copied, with enough for a person to find it.
public struct MessageFailure: Hashable, Sendable, Codable {
    public var sourceFolder: String
    public var uid: UID
    public var size: Int
    public var internalDate: InternalDate?
    public var subject: String?
    public var messageID: String?
    /// The destination's reply or the local reason.
    public var reason: String

    public init(
        sourceFolder: String, uid: UID, size: Int, internalDate: InternalDate?, subject: String?, messageID: String?, reason: String
    ) {
        self.sourceFolder = sourceFolder
        self.uid = uid
        self.size = size
        self.internalDate = internalDate
        self.subject = subject
        self.messageID = messageID
        self.reason = reason
    }
}

/// A keyword the destination would not store, for one message.
public struct RefusedKeyword: Hashable, Sendable, Codable {
    public var sourceFolder: String
    public var uid: UID
    public var keyword: Flag

    public init(sourceFolder: String, uid: UID, keyword: Flag) {
        self.sourceFolder = sourceFolder
        self.uid = uid
        self.keyword = keyword
    }
}
