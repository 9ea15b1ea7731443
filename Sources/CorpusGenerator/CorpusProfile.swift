/// How much mail to generate for one account. Everything else (which folders, which edge
/// cases, sizes, dates, flags) follows from these numbers and the seed.
public struct CorpusProfile: Sendable, Equatable, Codable {
    /// Number of messages, large ones included.
    public var messages: Int
    /// How many of them are 1-25 MB messages with an attachment.
    public var largeMessages: Int
    /// Folders besides INBOX, taken in order from ``FolderCatalog``.
    public var folders: Int
    /// Upper bound of the large messages' size in bytes (tests lower it to stay fast).
    public var largeMaxBytes: Int

    public init(messages: Int, largeMessages: Int, folders: Int, largeMaxBytes: Int = 25 * 1_048_576) {
        self.messages = messages
        self.largeMessages = largeMessages
        self.folders = folders
        self.largeMaxBytes = largeMaxBytes
    }

    /// The benchmark account (`tbbench`): about 2,000 messages, 130 MB, 15 mailboxes.
    public static let benchmark = CorpusProfile(messages: 2_000, largeMessages: 9, folders: 14)
    /// An everyday account: a few hundred messages, every edge case, one large message.
    public static let standard = CorpusProfile(messages: 300, largeMessages: 1, folders: 14)

    /// Checks the numbers; the message says which flag to fix.
    public func validate() throws {
        guard messages >= 0, largeMessages >= 0, folders >= 0 else {
            throw CorpusError.invalidProfile("counts must not be negative")
        }
        guard largeMessages <= messages else {
            throw CorpusError.invalidProfile("--large (\(largeMessages)) cannot exceed --messages (\(messages))")
        }
        guard folders <= FolderCatalog.all.count else {
            throw CorpusError.invalidProfile("--folders is at most \(FolderCatalog.all.count)")
        }
        guard largeMaxBytes >= 1_048_576 else {
            throw CorpusError.invalidProfile("large messages are at least 1 MB")
        }
    }
}
