public import NIOCore

/// What an SMTP connection reads: bytes, or the marker that TLS was inserted.
///
/// Bytes before `.tlsStarted` were read in plaintext before the TLS handler existed; after
/// a STARTTLS they must be discarded (CVE-2011-0411), and the marker tells the reader exactly
/// where plaintext ends, however the reads were batched.
public enum SMTPInboundPart: Sendable {
    case bytes(ByteBuffer)
    case tlsStarted
}
