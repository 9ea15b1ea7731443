public import MailModel

/// A fetched message: its bytes, their fingerprint and the start of its header (for
/// reports: Subject and Message-ID).
public struct StagedMessage: Sendable {
    public var uid: UID
    public var body: StagedBody
    public var fingerprint: MessageFingerprint
    /// Up to ``MessageStager/headerPrefixLimit`` bytes from the start of the message.
    public var headerPrefix: [UInt8]

    public var size: Int { body.count }
}
