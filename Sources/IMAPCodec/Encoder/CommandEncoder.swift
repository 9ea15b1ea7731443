import MailModel
import NIOCore

/// Writes commands: tag, arguments in the shortest safe form (atom, quoted, literal), and
/// literal chunking for the server's LITERAL+/LITERAL- support.
public enum CommandEncoder {
    /// Encodes a complete command line with its CRLF.
    public static func encode(_ command: Command, tag: String, options: CommandEncodingOptions = CommandEncodingOptions()) throws(CommandEncodingError) -> EncodedCommand {
        var buffer = EncodeBuffer(options: options)
        buffer.writeRaw(tag + " ")
        try buffer.writeCommand(command)
        buffer.writeRaw("\r\n")
        let (chunks, log) = buffer.finish()
        return EncodedCommand(tag: tag, chunks: chunks, redactedDescription: log)
    }

    // append = "APPEND" SP mailbox 1*append-message          ; RFC 3502 MULTIAPPEND
    // append-message = append-opts SP append-data
    /// The start of APPEND, `tag APPEND mailbox`, without CRLF. Each message follows with
    /// ``encodeAppendMessageHeader(flags:internalDate:byteCount:options:)``, its bytes, and
    /// after the last one ``appendEnd``.
    public static func encodeAppendStart(tag: String, mailbox: MailboxPath, options: CommandEncodingOptions = CommandEncodingOptions()) throws(CommandEncodingError) -> EncodedCommand {
        var buffer = EncodeBuffer(options: options)
        buffer.writeRaw(tag + " APPEND ")
        try buffer.writeMailbox(mailbox)
        let (chunks, log) = buffer.finish()
        return EncodedCommand(tag: tag, chunks: chunks, redactedDescription: log)
    }

    // append-opts = [SP flag-list] [SP date-time] *(SP append-ext)
    // append-data = literal / literal8 / append-data-ext
    /// ` (flags) "date" {n}` CRLF (or `{n+}`): the header of one message of an APPEND. If
    /// the literal is synchronizing, the chunk waits for `+` before the message bytes.
    public static func encodeAppendMessageHeader(
        flags: [Flag], internalDate: InternalDate?, byteCount: Int, options: CommandEncodingOptions = CommandEncodingOptions()
    ) throws(CommandEncodingError) -> CommandChunk {
        var buffer = EncodeBuffer(options: options)
        let storable = flags.filter { $0 != .recent }
        if !storable.isEmpty {
            buffer.writeRaw(" ")
            try buffer.writeFlagList(storable)
        }
        if let internalDate {
            buffer.writeRaw(" \"\(internalDate.imapString)\"")
        }
        buffer.writeRaw(" ")
        buffer.writeLiteralHeader(byteCount: byteCount)
        let (chunks, _) = buffer.finish()
        // A synchronizing header leaves an empty trailing chunk; the header chunk is first.
        return chunks[0]
    }

    /// The CRLF that ends an APPEND after its last message.
    public static var appendEnd: ByteBuffer { ByteBuffer(string: "\r\n") }

    /// The line answering a continuation request during AUTHENTICATE (base64, or `*` to cancel).
    public static func encodeAuthenticationResponse(_ response: Secret) -> ByteBuffer {
        ByteBuffer(string: response.revealed + "\r\n")
    }
}
