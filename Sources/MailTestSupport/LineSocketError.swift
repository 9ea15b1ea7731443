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

    public var description: String {
        guard let errno else { return "\(peer): \(what)" }
        return "\(peer): \(what): \(String(cString: strerror(errno)))"
    }
}
