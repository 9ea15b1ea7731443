import IMAPCodec
import MailModel
import NIOCore

/// One step of a streamed body fetch: for each message `begin`, its bytes in order, `end`.
public enum BodyFetchEvent: Hashable, Sendable {
    /// A message body of exactly `byteCount` bytes starts. `uid` is known here when the
    /// server sent UID before the body (Courier and Dovecot do); it is always in `end`.
    case begin(sequenceNumber: SequenceNumber, uid: UID?, byteCount: Int)
    /// The next bytes of the body (at most ``IMAPDefaults/bodyChunkSize``).
    case bytes(ByteBuffer)
    /// The FETCH response of the message is complete.
    case end(FetchedMessage)
}

/// The attributes of one FETCH response (what was requested besides the body).
public struct FetchedMessage: Hashable, Sendable {
    public var sequenceNumber: SequenceNumber
    public var uid: UID
    /// The body's size in bytes as sent (nil when the server sent `NIL`).
    public var bodyByteCount: Int?
    public var flags: [Flag]?
    public var internalDate: InternalDate?
    public var rfc822Size: Int?
    public var modSeq: ModSeq?

    public init(sequenceNumber: SequenceNumber, uid: UID, bodyByteCount: Int? = nil, flags: [Flag]? = nil,
                internalDate: InternalDate? = nil, rfc822Size: Int? = nil, modSeq: ModSeq? = nil) {
        self.sequenceNumber = sequenceNumber
        self.uid = uid
        self.bodyByteCount = bodyByteCount
        self.flags = flags
        self.internalDate = internalDate
        self.rfc822Size = rfc822Size
        self.modSeq = modSeq
    }
}
