/// Everything decided about one message before its bytes are composed.
public struct MessagePlan: Sendable, Equatable {
    /// Position in the corpus; also the message's sub-stream of randomness.
    public let index: Int
    /// Index into the corpus' folder list.
    public let folder: Int
    /// The Date header, seconds since 1970 (UTC).
    public let date: Int64
    /// The Date header's zone offset in minutes.
    public let zoneMinutes: Int
    /// INTERNALDATE: the file's mtime, a little after `date` (delivery delay).
    public let internalDate: Int64
    /// Maildir flag letters in ASCII order, e.g. `FS`.
    public let flags: String
    /// IMAP keywords (Courier `courierimapkeywords/`).
    public let keywords: [String]
    /// Target size in bytes (the composed message is within a few hundred bytes of it).
    public let targetSize: Int
    /// Message-ID without angle brackets, nil when the message has none.
    public let messageID: String?
    public let edgeCases: Set<EdgeCase>

    /// Delivered but never seen: stored in `new/` without an info suffix.
    public var inNew: Bool { edgeCases.contains(.inNew) }
}
