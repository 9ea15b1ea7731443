public import MailModel
public import NIOCore

/// What the server session asks its driver to do. Events marked "answer" stop the session
/// until the driver calls the matching method.
public enum SMTPServerEvent: Hashable, Sendable {
    /// Write this reply. Replies may be batched and written when `nextEvent()` returns nil.
    case send(SMTPReply)
    /// Write any pending replies, then close the connection.
    case close
    /// Write pending replies (the 220 is among them), then start TLS. The session has already
    /// dropped every buffered plaintext byte; the driver must drop any it holds too, then call
    /// `tlsEstablished()` (CVE-2011-0411).
    case startTLS
    /// Answer with `senderChecked(_:)`.
    case checkSender(ReversePath, MailParameters)
    /// Answer with `recipientChecked(_:)`.
    case checkRecipient(ForwardPath)
    /// DATA was accepted by the session: answer with `messageBegun(rejection:)`.
    case beginMessage(MailEnvelope)
    /// Decoded message content (CRLF lines, dot-stuffing removed) to append.
    case messageData(ByteBuffer)
    /// The message is complete and valid: make it durable, then answer with `messageCommitted(_:)`.
    case commitMessage
    /// The transaction that was open (MAIL accepted, or message content written) is dropped:
    /// discard everything written for it.
    case abortTransaction
}
