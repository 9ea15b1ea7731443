#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failure of ``LineSocket``, naming the peer and the system error.
public struct LineSocketError: Error, CustomStringConvertible, Sendable {
    public let peer: String
    public let what: String
    public let errno: Int32?

    public init(peer: String, what: String, errno: Int32? = nil) {
        self.peer = peer
        self.what = what
        self.errno = errno
    }

    /// ``what`` when the peer closed the connection in an orderly way (end of stream).
    public static let closedByPeer = "connection closed by peer"

    /// True for an orderly close by the peer: not a reset, not a timeout.
    public var isClosedByPeer: Bool { what == Self.closedByPeer && errno == nil }

    public var description: String {
        guard let errno else { return "\(peer): \(what)" }
        return "\(peer): \(what): \(String(cString: strerror(errno)))"
    }
}
