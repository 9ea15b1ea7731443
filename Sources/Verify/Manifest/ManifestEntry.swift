public import MailModel

/// One message as verify sees it: the fingerprint of its exact bytes plus the metadata a
/// migration must keep and what a person needs to find it.
public struct ManifestEntry: Hashable, Sendable, Codable {
    public var uid: UInt32
    public var sha256: String
    public var size: Int
    /// INTERNALDATE as seconds since 1970 (`nil` if the store has none).
    public var internalDate: Int64?
    /// Flags and keywords, sorted, without `\Recent`.
    public var flags: [String]
    public var messageID: String?
    public var subject: String?

    public init(
        uid: UID, fingerprint: MessageFingerprint, size: Int, internalDate: InternalDate?, flags: Set<Flag>,
        messageID: String? = nil, subject: String? = nil
    ) {
        self.uid = uid.rawValue
        self.sha256 = fingerprint.hex
        self.size = size
        self.internalDate = internalDate?.secondsSince1970
        self.flags = flags.subtracting([.recent]).map(\.stringValue).sorted()
        self.messageID = messageID
        self.subject = subject
    }

    /// Flags compared case-insensitively, as IMAP does.
    var flagSet: Set<Flag> { Set(flags.map(Flag.init)) }
}
