public import MailModel

/// A fetched message: its bytes, their fingerprint and the start of its header (for
/// reports: Subject and Message-ID).
public struct StagedMessage: Sendable {
    public var uid: UID
    public var body: StagedBody
    public var fingerprint: MessageFingerprint
    /// The start of a message in a file (staged or the source's); one in memory has it in its
    /// body, so keeping it here too would hold every in-memory message's first bytes twice per
    /// batch.
    private var filePrefix: [UInt8]

    public var size: Int { body.count }

    /// Up to ``MessageStager/headerPrefixLimit`` bytes from the start of the message.
    public var headerPrefix: [UInt8] {
        switch body {
        case .memory(let bytes): return Array(bytes.prefix(MessageStager.headerPrefixLimit))
        case .file, .source: return filePrefix
        }
    }

    /// - Parameter headerPrefix: the start of the message; kept only for a body in a file.
    public init(uid: UID, body: StagedBody, fingerprint: MessageFingerprint, headerPrefix: [UInt8]) {
        self.uid = uid
        self.body = body
        self.fingerprint = fingerprint
        if case .memory = body {
            filePrefix = []
        } else {
            filePrefix = Array(headerPrefix.prefix(MessageStager.headerPrefixLimit))
        }
    }
}
