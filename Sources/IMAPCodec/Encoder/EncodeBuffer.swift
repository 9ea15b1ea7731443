import MailModel
import NIOCore

/// Writes IMAP syntax: the wire bytes, cut into chunks at synchronizing literals, and in
/// parallel a description that is safe to log.
///
/// `@discardableResult mutating func writeX(...) -> Int` returns the bytes written.
public struct EncodeBuffer: Sendable {
    private var chunks: [CommandChunk] = []
    private var current = ByteBuffer()
    private(set) var log = ""
    let options: CommandEncodingOptions
    /// Literals in responses (server side, used by tests and the bench) never wait.
    private let isServer: Bool

    public init(options: CommandEncodingOptions = CommandEncodingOptions(), isServer: Bool = false) {
        self.options = options
        self.isServer = isServer
    }

    /// Takes the chunks written so far (the last one does not wait).
    public mutating func finish() -> (chunks: [CommandChunk], log: String) {
        if current.readableBytes > 0 || chunks.isEmpty {
            chunks.append(CommandChunk(bytes: current, waitForContinuation: false))
        }
        defer {
            chunks = []
            current = ByteBuffer()
            log = ""
        }
        return (chunks, log)
    }

    /// All bytes written, ignoring chunk boundaries (for servers and tests).
    public mutating func finishBytes() -> ByteBuffer {
        var all = ByteBuffer()
        for chunk in finish().chunks { all.writeImmutableBuffer(chunk.bytes) }
        return all
    }

    /// Text that is protocol syntax, logged as is.
    @discardableResult
    public mutating func writeRaw(_ text: String) -> Int {
        log += text
        return current.writeString(text)
    }

    /// Bytes written to the wire but logged as `placeholder`.
    @discardableResult
    mutating func writeRedacted<Bytes: Collection>(_ bytes: Bytes, as placeholder: String) -> Int where Bytes.Element == UInt8 {
        log += placeholder
        return current.writeBytes(bytes)
    }

    /// Message bytes: written, logged as their count.
    @discardableResult
    public mutating func writePayload(_ bytes: ByteBuffer) -> Int {
        log += "[\(bytes.readableBytes) bytes]"
        return current.writeImmutableBuffer(bytes)
    }

    // astring = 1*ASTRING-CHAR / string
    /// Writes the shortest safe form: atom, quoted string, or literal.
    @discardableResult
    public mutating func writeAString(_ bytes: [UInt8], redacted: Bool = false, field: String) throws(CommandEncodingError) -> Int {
        if !bytes.isEmpty, bytes.allSatisfy({ EncodeBuffer.isAtomChar($0) || $0 == UInt8(ascii: "]") }) {
            return redacted ? writeRedacted(bytes, as: "[redacted]") : writeRaw(String(decoding: bytes, as: UTF8.self))
        }
        return try writeString(bytes, redacted: redacted, field: field)
    }

    // string = quoted / literal
    @discardableResult
    public mutating func writeString(_ bytes: [UInt8], redacted: Bool = false, field: String) throws(CommandEncodingError) -> Int {
        if bytes.contains(0) { throw CommandEncodingError(.nulByte, field: field) }
        if canQuote(bytes) { return writeQuoted(bytes, redacted: redacted) }
        return writeLiteral(bytes, redacted: redacted)
    }

    // quoted = DQUOTE *QUOTED-CHAR DQUOTE ; QUOTED-CHAR = <any TEXT-CHAR except quoted-specials> / "\" quoted-specials
    @discardableResult
    mutating func writeQuoted(_ bytes: [UInt8], redacted: Bool) -> Int {
        var escaped: [UInt8] = [UInt8(ascii: "\"")]
        for byte in bytes {
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { escaped.append(UInt8(ascii: "\\")) }
            escaped.append(byte)
        }
        escaped.append(UInt8(ascii: "\""))
        return redacted ? writeRedacted(escaped, as: "\"[redacted]\"") : writeRedacted(escaped, as: String(decoding: escaped, as: UTF8.self))
    }

    // literal = "{" number64 ["+"] "}" CRLF *CHAR8
    @discardableResult
    mutating func writeLiteral(_ bytes: [UInt8], redacted: Bool) -> Int {
        var written = writeLiteralHeader(byteCount: bytes.count)
        written += writeRedacted(bytes, as: redacted ? "[redacted]" : "[\(bytes.count) bytes]")
        return written
    }

    /// `{n}` CRLF or `{n+}` CRLF; after a synchronizing header the chunk ends and the next
    /// bytes go out only after the server's continuation request.
    @discardableResult
    public mutating func writeLiteralHeader(byteCount: Int) -> Int {
        let wait = !isServer && !options.sendsWithoutContinuation(byteCount: byteCount)
        let written = writeRaw("{\(byteCount)\(wait || isServer ? "" : "+")}\r\n")
        if wait {
            chunks.append(CommandChunk(bytes: current, waitForContinuation: true))
            current = ByteBuffer()
        }
        return written
    }

    /// Quoted is possible for printable ASCII, and for UTF-8 once UTF8=ACCEPT is on.
    private func canQuote(_ bytes: [UInt8]) -> Bool {
        if bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return true }
        guard options.utf8Accepted, !bytes.contains(where: { $0 < 0x20 || $0 == 0x7F }) else { return false }
        return String(validating: bytes, as: UTF8.self) != nil
    }

    /// An ATOM-CHAR as written: 7-bit only (see ``AtomChar``).
    static func isAtomChar(_ byte: UInt8) -> Bool {
        AtomChar.contains(byte, eightBit: false)
    }
}
