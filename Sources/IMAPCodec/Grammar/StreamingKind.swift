/// Which FETCH data item a streamed body belongs to.
public enum StreamingKind: Hashable, Sendable {
    /// `BODY[section]<offset>` (what `BODY.PEEK[...]` returns too).
    case body(SectionSpecifier, offset: Int?)
    /// `BINARY[part]<offset>` (RFC 3516).
    case binary(part: [Int], offset: Int?)
    /// `RFC822`: the whole message.
    case rfc822
    case rfc822Header
    case rfc822Text
}
