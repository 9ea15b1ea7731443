import MailModel
import SyncEngine

/// Hashes each streamed message and keeps only its first bytes (for Message-ID and
/// Subject): memory stays bounded whatever the message size.
final class ManifestSink: MessageBodySink {
    struct Result {
        var fingerprint: MessageFingerprint
        var size: Int
        var headers: MessageHeaders
    }

    private(set) var results: [UID: Result] = [:]
    private var current: (uid: UID, hasher: MessageFingerprint.Hasher, prefix: [UInt8])?
    private let prefixLimit = 8 * 1024

    func begin(uid: UID, size: Int) throws {
        guard current == nil else { throw StagingError(.sequence, "message \(uid) began before the previous one ended") }
        current = (uid, MessageFingerprint.Hasher(), [])
    }

    func append(_ bytes: UnsafeRawBufferPointer) throws {
        guard current != nil else { throw StagingError(.sequence, "bytes outside a message") }
        current!.hasher.update(bufferPointer: bytes)
        let room = prefixLimit - current!.prefix.count
        if room > 0 { current!.prefix.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[0..<min(room, bytes.count)])) }
    }

    func end() throws {
        guard let (uid, hasher, prefix) = current else { throw StagingError(.sequence, "end outside a message") }
        results[uid] = Result(fingerprint: hasher.finalize(), size: hasher.byteCount, headers: MessageHeaders(prefix: prefix))
        current = nil
    }
}
