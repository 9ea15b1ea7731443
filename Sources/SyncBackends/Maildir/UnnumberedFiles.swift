import MailModel
import Maildir

/// The files of a Dovecot folder that `dovecot-uidlist` does not number, looked up by size
/// and then by SHA-256 (each file hashed at most once), so that a message already there is
/// given its UID instead of being written a second time.
struct UnnumberedFiles {
    private var bySize: [Int64: [DovecotMessage]] = [:]
    private var hashes: [String: MessageFingerprint] = [:]

    init(_ messages: [DovecotMessage]) {
        for message in messages { bySize[message.file.size, default: []].append(message) }
    }

    /// The first unnumbered file with exactly these bytes, removed from the pool.
    mutating func take(size: Int64, fingerprint: MessageFingerprint, in folder: DovecotFolder) throws -> DovecotMessage? {
        guard let candidates = bySize[size] else { return nil }
        for (index, candidate) in candidates.enumerated() {
            let hash: MessageFingerprint?
            if let known = hashes[candidate.base] {
                hash = known
            } else {
                hash = try DovecotMaildirSession.fingerprint(of: candidate, in: folder)
                if let hash { hashes[candidate.base] = hash }
            }
            if hash == fingerprint {
                bySize[size]!.remove(at: index)
                return candidate
            }
        }
        return nil
    }
}
