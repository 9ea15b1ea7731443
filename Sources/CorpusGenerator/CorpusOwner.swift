#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The system account that must own a Courier Maildir (Courier refuses one that is not the
/// user's: `IMAP_MAILBOX_SANITY_CHECK`).
public struct CorpusOwner: Sendable, Equatable {
    public let uid: UInt32
    public let gid: UInt32

    public init(uid: UInt32, gid: UInt32) {
        self.uid = uid
        self.gid = gid
    }

    /// The uid and primary gid of `user`.
    public static func lookup(_ user: String) throws -> CorpusOwner {
        guard let entry = getpwnam(user) else { throw CorpusError.unknownOwner(user) }
        return CorpusOwner(uid: entry.pointee.pw_uid, gid: entry.pointee.pw_gid)
    }
}
