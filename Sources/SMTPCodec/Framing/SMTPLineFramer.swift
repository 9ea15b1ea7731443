public import NIOCore

/// Finds line ends in an SMTP byte stream, with a hard length limit.
///
/// ```
/// | MAIL FROM:<a@b>\r\nRC | PT TO:<c@d>\r\n |  ->  | MAIL FROM:<a@b> | RCPT TO:<c@d> |
/// ```
/// A line ends at LF. A line whose LF is not preceded by CR is reported as `bareLF` so the
/// caller can reject it: SMTP is CRLF-only. A line longer than `limit` octets (terminator
/// included) is skipped up to its LF and reported once as `.tooLong`; its bytes are dropped
/// as they arrive, so memory stays bounded however long the line is (RFC 5321 §4.5.3.1).
public struct SMTPLineFramer: Sendable {
    public enum Line: Hashable, Sendable {
        /// One line without its terminator.
        case complete(ByteBuffer, bareLF: Bool)
        /// A line longer than the limit was discarded.
        case tooLong
    }

    /// Maximum octets per line, CRLF included.
    public var limit: Int
    private var discarding = false
    private var scannedBytes = 0

    /// Initialize a framer.
    public init(limit: Int) {
        self.limit = limit
    }

    /// The next line from `buffer`, consuming it; nil if more bytes are needed.
    public mutating func nextLine(from buffer: inout ByteBuffer) -> Line? {
        let view = buffer.readableBytesView
        let start = view.startIndex
        if let newline = view[(start + scannedBytes)...].firstIndex(of: UInt8(ascii: "\n")) {
            let length = newline - start + 1
            scannedBytes = 0
            if discarding {
                discarding = false
                buffer.moveReaderIndex(forwardBy: length)
                return .tooLong
            }
            if length > limit {
                buffer.moveReaderIndex(forwardBy: length)
                return .tooLong
            }
            let crlf = length >= 2 && view[newline - 1] == UInt8(ascii: "\r")
            let line = buffer.readSlice(length: length - (crlf ? 2 : 1))!
            buffer.moveReaderIndex(forwardBy: crlf ? 2 : 1)
            return .complete(line, bareLF: !crlf)
        }
        if discarding || view.count > limit {
            discarding = true
            buffer.moveReaderIndex(forwardBy: view.count)
            scannedBytes = 0
            return nil
        }
        scannedBytes = view.count
        return nil
    }

    /// Forget any partial line (after STARTTLS, or when switching to DATA).
    public mutating func reset() {
        discarding = false
        scannedBytes = 0
    }
}
