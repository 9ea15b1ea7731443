/// The awkward messages every corpus contains at least once (when it has enough messages),
/// recorded per message in the manifest so tests can find them.
public enum EdgeCase: String, Sendable, Codable, CaseIterable {
    /// No Message-ID header at all.
    case noMessageID
    /// Shares its Message-ID with another message whose bytes differ.
    case duplicateMessageID
    /// Raw UTF-8 in Subject and From (no RFC 2047 encoding).
    case eightBitHeaders
    /// RFC 2047 encoded words (B and Q, UTF-8 and ISO-8859-1) in Subject and From.
    case encodedWordHeaders
    /// An ISO-8859-1 body sent as 8bit.
    case latin1Body
    /// Headers, the blank line, and nothing after it.
    case emptyBody
    /// The last line has no line feed.
    case noFinalNewline
    /// A Subject folded over several lines.
    case foldedHeader
    /// Still in `new/` (delivered, never seen by an IMAP client): no `:2,` suffix.
    case inNew
    /// 1-25 MB with a base64 attachment.
    case large
}
