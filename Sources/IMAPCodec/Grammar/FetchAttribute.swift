import MailModel

/// One non-streamed data item of a FETCH response (`msg-att-dynamic` / `msg-att-static`,
/// RFC 7162 `fetch-mod-resp`). Bodies arrive as streaming events instead (``FetchEvent``).
public enum FetchAttribute: Hashable, Sendable {
    case uid(UID)
    case flags([Flag])
    case internalDate(InternalDate)
    case rfc822Size(Int)
    case modSeq(ModSeq)
    /// A body item whose value is `NIL` (the server has no such section, or the message was
    /// expunged by another session).
    case nilBody(StreamingKind)
    /// An item this codec does not model (`ENVELOPE`, `BODYSTRUCTURE`, extensions). Its value
    /// was parsed and skipped; the name is uppercased.
    case other(String)
}
