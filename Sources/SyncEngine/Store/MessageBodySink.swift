public import MailModel

/// Receives message bodies as a store streams them, one message after another:
/// `begin`, any number of `append`, `end`. The engine's implementation hashes the bytes and
/// keeps small messages in memory and large ones in a temporary file, so memory stays
/// bounded whatever the message size.
public protocol MessageBodySink: AnyObject {
    /// A message starts; `size` is the exact byte count that will follow.
    func begin(uid: UID, size: Int) throws
    /// The next bytes of the current message.
    func append(_ bytes: UnsafeRawBufferPointer) throws
    /// The current message is complete.
    func end() throws
    /// A whole message that is a file of the source's own (a local Maildir's). A sink that
    /// keeps bodies holds on to the file instead of copying it; the default streams it
    /// through `begin`, `append` and `end`.
    func adopt(uid: UID, file: SourceFile) throws
}

extension MessageBodySink {
    public func adopt(uid: UID, file: SourceFile) throws {
        try begin(uid: uid, size: file.size)
        try file.forEachChunk(chunkSize: 64 * 1024) { try append($0) }
        try end()
    }
}
