import NIOCore

/// What the connection writes into the channel. The handler needs to know where commands
/// start (to time their responses) and which one is STARTTLS (to upgrade right after its OK).
enum IMAPOutboundPart: Sendable {
    /// The first bytes of a tagged command: a response is now awaited.
    case commandStart(tag: String, ByteBuffer)
    /// More bytes of a command already started (literal data, message bytes, a SASL line).
    case bytes(ByteBuffer)
    /// The STARTTLS command: after its tagged OK the handler inserts TLS before any other
    /// byte is read.
    case startTLS(tag: String, ByteBuffer)

    /// The bytes this part puts on the wire.
    var byteCount: Int {
        switch self {
        case .commandStart(_, let bytes), .bytes(let bytes), .startTLS(_, let bytes): return bytes.readableBytes
        }
    }
}
