public import NIOCore

/// Encodes a message for the DATA phase: doubles every leading dot, sends only CRLF line
/// ends (a bare CR or LF in the input becomes CRLF) and ends with `<CR><LF>.<CR><LF>`
/// (RFC 5321 §4.5.2). Whatever the input, the output cannot end the data early at the next
/// hop, so a relay built on it is never "service A" of an SMTP smuggling attack (§4 S-D3).
public struct SMTPDataEncoder: Sendable {
    private var atLineStart = true
    private var pendingCR = false

    /// Initialize an encoder for one message.
    public init() {}

    /// Encode a chunk of message content.
    public mutating func encode(_ input: ByteBuffer, into output: inout ByteBuffer) {
        input.withUnsafeReadableBytes { raw in
            var index = 0
            let count = raw.count
            while index < count {
                if pendingCR {
                    pendingCR = false
                    output.writeInteger(UInt16(0x0D0A))
                    atLineStart = true
                    if raw[index] == 10 { index += 1 }
                    continue
                }
                if atLineStart, raw[index] == UInt8(ascii: ".") {
                    output.writeInteger(UInt8(ascii: "."))
                }
                var end = index
                while end < count, raw[end] != 13, raw[end] != 10 { end += 1 }
                if end > index {
                    output.writeBytes(UnsafeRawBufferPointer(rebasing: raw[index..<end]))
                    atLineStart = false
                }
                index = end
                guard index < count else { break }
                if raw[index] == 13 {
                    pendingCR = true
                } else {
                    output.writeInteger(UInt16(0x0D0A))
                    atLineStart = true
                }
                index += 1
            }
        }
    }

    /// Terminate the message: a final CRLF if the content lacked one, then `.` CRLF.
    public mutating func finish(into output: inout ByteBuffer) {
        if pendingCR || !atLineStart { output.writeInteger(UInt16(0x0D0A)) }
        pendingCR = false
        atLineStart = true
        output.writeString(".\r\n")
    }
}
