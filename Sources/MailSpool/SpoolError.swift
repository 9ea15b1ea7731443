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

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
