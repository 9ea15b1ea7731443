public import MailModel
public import NIOCore
public import SMTPCodec

/// Where the SMTP server hands what it receives. The server enforces the protocol; the sink
/// decides what to accept and makes accepted mail durable. The server never knows about
/// queues or next hops (Postfix's smtpd / cleanup split).
public protocol MessageSink: Sendable {
    /// One sink session per connection; it lives as long as the connection.
    func makeSession(_ connection: SMTPConnectionInfo) async -> any MessageSinkSession
}

/// The per-connection side of a sink. Its methods are called in protocol order from the
/// connection's task, never concurrently.
public protocol MessageSinkSession: AnyObject {
    /// `MAIL FROM`: a 2yz reply opens the transaction.
    func sender(_ sender: ReversePath, parameters: MailParameters) async -> SMTPReply
    /// `RCPT TO`: a 2yz reply accepts the recipient.
    func recipient(_ recipient: ForwardPath) async -> SMTPReply
    /// `DATA` with at least one recipient: nil lets the content come (354).
    func beginMessage(_ envelope: MailEnvelope) async -> SMTPReply?
    /// Decoded content (CRLF lines, dot-stuffing removed). A failure should be remembered
    /// and reported by `commitMessage()`: the client is still sending.
    func messageData(_ chunk: ByteBuffer) async
    /// End of data: make the message durable, then return 250; anything else on failure.
    /// Never return 2yz before the message is safe (RFC 5321 §6.1).
    func commitMessage() async -> SMTPReply
    /// The open transaction is dropped (RSET, a new EHLO, QUIT, a rejected message, a lost
    /// connection): discard what was written for it.
    func abortTransaction() async
    /// The connection is gone.
    func close() async
}
