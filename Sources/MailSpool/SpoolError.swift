#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A spool operation failed. `description` names the operation and the errno text, never
/// message content or addresses.
public struct SpoolError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        /// A system call failed (disk full, permissions, I/O error).
        case io
        /// A queue file is malformed, truncated or fails its checksum.
        case corrupt
        /// The entry does not exist (already delivered, or a wrong ID).
        case notFound
    }

    public let kind: Kind
    public let message: String
    /// The errno of the failed system call (0 if none).
    public let code: Int32

    public init(_ kind: Kind, _ message: String, code: Int32 = 0) {
        self.kind = kind
        self.message = message
        self.code = code
    }

    /// The file system had no room (disk full, or the owner's quota).
    public var isOutOfSpace: Bool { code == ENOSPC || code == EDQUOT }

    public var description: String { message }
}
