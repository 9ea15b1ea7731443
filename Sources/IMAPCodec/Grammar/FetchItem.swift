/// A data item to request in FETCH (`fetch-att`).
public enum FetchItem: Hashable, Sendable {
    case uid
    case flags
    case internalDate
    case rfc822Size
    /// RFC 7162 (needs CONDSTORE).
    case modSeq
    case envelope
    case bodyStructure
    /// `BODY[section]<offset.length>`, or `BODY.PEEK[...]` when `peek` (does not set \Seen).
    case body(SectionSpecifier, peek: Bool, partial: ClosedRange<Int>? = nil)
}
