import NIOCore

/// A piece of an encoded command. After writing a chunk whose `waitForContinuation` is
/// true, the client must wait for the server's `+` before writing the next one (the chunk
/// ended with a synchronizing literal header `{n}` CRLF).
public struct CommandChunk: Hashable, Sendable {
    public var bytes: ByteBuffer
    public var waitForContinuation: Bool

    public init(bytes: ByteBuffer, waitForContinuation: Bool) {
        self.bytes = bytes
        self.waitForContinuation = waitForContinuation
    }
}

/// A command ready for the wire, with a description that is safe to log: passwords and
/// authentication data appear as `[redacted]`, literal payloads as `{n bytes}`.
public struct EncodedCommand: Hashable, Sendable, CustomStringConvertible {
    public var tag: String
    public var chunks: [CommandChunk]
    /// The command as it may be logged.
    public var redactedDescription: String

    public var description: String { redactedDescription }
}
