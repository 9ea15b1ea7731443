import NIOCore

/// Splits the server's byte stream into the segments of IMAP responses, without knowing the
/// grammar: lines of text, the literal headers that end a line (`{n}`, `~{n}`), and the
/// literal bytes that follow them.
///
/// ```
///  bytes:    * 1 FETCH (UID 7 BODY[] {5}\r\nHello)\r\n
///  segments: |literalHeader("* 1 FETCH (UID 7 BODY[] {5}", 5)|literalBytes("Hello")|line(")")|
/// ```
///
/// Three facts make this small:
/// - A literal header is recognised only immediately before a line terminator. A quoted
///   string can never contain CR or LF, so `"{5}"` or `"a{5}" "b"` is never mistaken for a
///   literal, and an unbalanced `"` in human-readable text cannot swallow the end of a line:
///   quoted strings need no tracking here.
/// - Literal bytes are never scanned: a CRLF inside a literal is data.
/// - A CR or LF split across reads is harmless: the parser scans for LF and keeps unconsumed
///   bytes in the caller's buffer; `scanOffset` remembers how far it looked, so feeding one
///   byte at a time costs linear, not quadratic, time.
///
/// Bare LF is accepted as a line terminator (some servers send it); a CR not followed by LF
/// is left to the grammar, which rejects it.
public struct FramingParser: Sendable {
    /// One piece of a response.
    public enum Segment: Hashable, Sendable {
        /// Text that ends a response, without its line terminator.
        case line(ByteBuffer)
        /// Text ending in a literal header, without the terminator; `length` literal bytes follow.
        /// `binary` is true for `~{n}` (RFC 3516 literal8).
        case literalHeader(ByteBuffer, length: UInt64, binary: Bool)
        /// Bytes of the current literal, at most `maximumChunkSize` of them.
        case literalBytes(ByteBuffer)
    }

    private enum State: Hashable, Sendable {
        /// Looking for the LF that ends the current text; bytes before `scanOffset` hold none.
        case findingLineEnd(scanOffset: Int)
        /// Inside a literal; this many bytes are still to come.
        case readingLiteral(remaining: UInt64)
    }

    private var state: State = .findingLineEnd(scanOffset: 0)
    private let lineLengthLimit: Int
    private let literalSizeLimit: UInt64
    private let maximumChunkSize: Int

    /// - Parameters:
    ///   - lineLengthLimit: the longest text segment accepted.
    ///   - literalSizeLimit: the largest literal length accepted in a header.
    ///   - maximumChunkSize: the largest ``Segment/literalBytes(_:)`` handed out.
    public init(lineLengthLimit: Int, literalSizeLimit: UInt64, maximumChunkSize: Int) {
        self.lineLengthLimit = lineLengthLimit
        self.literalSizeLimit = literalSizeLimit
        self.maximumChunkSize = maximumChunkSize
    }

    /// True between segments of text, false inside a literal.
    public var isInsideLiteral: Bool {
        if case .readingLiteral = state { return true }
        return false
    }

    /// The next segment, or `nil` when `buffer` does not hold one yet (need more bytes).
    /// Consumes exactly the bytes of the returned segment.
    public mutating func parse(_ buffer: inout ByteBuffer) throws(IMAPParseError) -> Segment? {
        switch state {
        case .readingLiteral(let remaining):
            guard buffer.readableBytes > 0 else { return nil }
            let count = Int(min(remaining, UInt64(min(buffer.readableBytes, maximumChunkSize))))
            let chunk = buffer.readSlice(length: count)!
            let left = remaining - UInt64(count)
            state = left == 0 ? .findingLineEnd(scanOffset: 0) : .readingLiteral(remaining: left)
            return .literalBytes(chunk)
        case .findingLineEnd(let scanOffset):
            return try findLine(&buffer, from: scanOffset)
        }
    }

    private mutating func findLine(_ buffer: inout ByteBuffer, from scanOffset: Int) throws(IMAPParseError) -> Segment? {
        let found: Int? = buffer.withUnsafeReadableBytes { raw in
            guard scanOffset < raw.count else { return nil }
            return raw[scanOffset...].firstIndex(of: UInt8(ascii: "\n"))
        }
        guard let lfIndex = found else {
            if buffer.readableBytes > lineLengthLimit {
                throw IMAPParseError(.lineTooLong(limit: lineLengthLimit), offset: buffer.readableBytes)
            }
            state = .findingLineEnd(scanOffset: buffer.readableBytes)
            return nil
        }
        var textLength = lfIndex
        if textLength > 0, buffer.getInteger(at: buffer.readerIndex + textLength - 1, as: UInt8.self) == UInt8(ascii: "\r") {
            textLength -= 1
        }
        if textLength > lineLengthLimit {
            throw IMAPParseError(.lineTooLong(limit: lineLengthLimit), offset: textLength)
        }
        let text = buffer.readSlice(length: textLength)!
        buffer.moveReaderIndex(forwardBy: lfIndex + 1 - textLength)
        state = .findingLineEnd(scanOffset: 0)
        guard let header = try FramingParser.literalHeader(endingAt: text) else { return .line(text) }
        if header.length > literalSizeLimit {
            throw IMAPParseError(.literalTooLarge(claimed: header.length, limit: literalSizeLimit), offset: textLength)
        }
        if header.length > 0 { state = .readingLiteral(remaining: header.length) }
        return .literalHeader(text, length: header.length, binary: header.binary)
    }

    /// `literal = "{" number ["+"] "}" CRLF`; `literal8 = "~{" number "}" CRLF` (RFC 3516).
    /// Returns `nil` when the text does not end in that form (it is then ordinary text).
    static func literalHeader(endingAt text: ByteBuffer) throws(IMAPParseError) -> (length: UInt64, binary: Bool)? {
        let view = text.readableBytesView
        guard view.last == UInt8(ascii: "}") else { return nil }
        var index = view.endIndex - 1
        if index > view.startIndex, view[index - 1] == UInt8(ascii: "+") { index -= 1 }
        let digitsEnd = index
        while index > view.startIndex, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(view[index - 1]) { index -= 1 }
        let digitsStart = index
        guard digitsStart < digitsEnd, index > view.startIndex, view[index - 1] == UInt8(ascii: "{") else { return nil }
        let binary = index - 1 > view.startIndex && view[index - 2] == UInt8(ascii: "~")
        var length: UInt64 = 0
        for digit in view[digitsStart..<digitsEnd] {
            let (times10, overflow1) = length.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(digit - UInt8(ascii: "0")))
            if overflow1 || overflow2 { throw IMAPParseError(.invalidLiteralHeader, offset: digitsStart - view.startIndex) }
            length = sum
        }
        return (length, binary)
    }
}
