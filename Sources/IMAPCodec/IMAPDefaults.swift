/// Named limits and defaults of the IMAP codec, in one place so they can be found and tuned.
///
/// Every limit bounds memory whatever the server sends: a response is refused with a typed
/// error (``IMAPParseError``) as soon as it crosses one, before more bytes are buffered.
public enum IMAPDefaults {
    /// The most bytes one response may occupy in memory: its text plus the literals that are
    /// kept inline (mailbox names, envelope strings). Streamed FETCH bodies do not count.
    /// Big enough for `* SEARCH` of a million UIDs (about 8 MB of digits); small enough that a
    /// hostile server cannot exhaust memory.
    public static let lineLengthLimit = 16 * 1024 * 1024

    /// The largest literal kept in memory (anything but a FETCH body, which is streamed).
    public static let literalSizeLimit = 1024 * 1024

    /// The largest FETCH body literal the parser accepts. The body is streamed, so this does
    /// not bound memory; it refuses absurd claims (`{99999999999999}`) early.
    public static let streamedLiteralSizeLimit: UInt64 = 64 * 1024 * 1024 * 1024

    /// How deeply parenthesized lists may nest (BODYSTRUCTURE of a multipart message nests a
    /// few levels; a hostile server could nest thousands to exhaust the stack).
    public static let nestingDepthLimit = 64

    /// The largest chunk of body bytes handed out in one ``FetchEvent/streamingBytes(_:)``.
    public static let bodyChunkSize = 64 * 1024

    /// Non-synchronizing literals under LITERAL- (RFC 7888) may carry at most this many bytes.
    public static let literalMinusLimit = 4096
}
