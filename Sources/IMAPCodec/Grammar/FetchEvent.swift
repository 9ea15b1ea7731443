import NIOCore

/// A FETCH response as a sequence of events, so that a body of any size passes through in
/// bounded memory:
///
/// ```
/// * 3 FETCH (UID 7 FLAGS (\Seen) BODY[] {11}\r\nHello World)\r\n
/// start(3) attribute(.uid(7)) attribute(.flags([\Seen])) streamingBegin(.body([]), 11)
/// streamingBytes("Hello World") streamingEnd finish
/// ```
public enum FetchEvent: Hashable, Sendable {
    /// `* <seq> FETCH (` was read.
    case start(SequenceNumber)
    /// A complete non-body data item.
    case attribute(FetchAttribute)
    /// A body literal (or quoted string) of exactly `byteCount` bytes follows.
    case streamingBegin(kind: StreamingKind, byteCount: Int)
    /// Some of the body's bytes, in order, at most ``IMAPDefaults/bodyChunkSize`` each.
    case streamingBytes(ByteBuffer)
    /// All `byteCount` bytes of the body were delivered.
    case streamingEnd
    /// The closing `)` of the FETCH response was read.
    case finish
}
