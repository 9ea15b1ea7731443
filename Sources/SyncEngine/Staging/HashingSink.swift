public import MailModel

/// A ``MessageBodySink`` that keeps nothing but each message's fingerprint: used to
/// recognise messages on the destination (crash recovery, lost state, dedupe) without
/// holding their bytes.
public final class HashingSink: MessageBodySink {
    public private(set) var fingerprints: [UID: MessageFingerprint] = [:]
    private var current: (uid: UID, hasher: MessageFingerprint.Hasher)?

    public init() {}

    public func begin(uid: UID, size: Int) throws {
        guard current == nil else { throw StagingError(.sequence, "message \(uid) began before the previous one ended") }
        current = (uid, MessageFingerprint.Hasher())
    }

    public func append(_ bytes: UnsafeRawBufferPointer) throws {
        guard current != nil else { throw StagingError(.sequence, "bytes outside a message") }
        current!.hasher.update(bufferPointer: bytes)
    }

    public func end() throws {
        guard let (uid, hasher) = current else { throw StagingError(.sequence, "end outside a message") }
        fingerprints[uid] = hasher.finalize()
        current = nil
    }
}
