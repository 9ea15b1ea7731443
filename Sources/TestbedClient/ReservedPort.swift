#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// A loopback TCP port for a server that a test must name before anything listens on it: a
/// next hop that is down and comes up later, or a server process (Postfix, Dovecot, sshd)
/// whose configuration names its port.
///
/// The kernel picks the port (a bind to port 0) and the socket stays bound, not listening,
/// until ``release()``: meanwhile connections to the port are refused, and neither an
/// outgoing connection nor another bind to port 0 gets it, so no other test or process can
/// take it between the choice and the server's start. The server itself can listen on it
/// while it is reserved: Linux lets a listener share its address with bound sockets that do
/// not listen when all of them set SO_REUSEADDR, as this one does and as SwiftNIO's servers
/// here (SMTPServer, the Forwarder), Postfix, Dovecot and sshd do.
public final class ReservedPort: Sendable {
    public let port: Int
    public let address: String
    private let descriptor: Mutex<Int32>

    /// Reserves a port on `address` (an IPv4 loopback address).
    public init(address: String = "127.0.0.1") throws {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw LineSocketError(peer: address, what: "socket() failed", errno: errno) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var socketAddress = sockaddr_in()
        socketAddress.sin_family = sa_family_t(AF_INET)
        guard inet_pton(AF_INET, address, &socketAddress.sin_addr) == 1 else {
            close(fd)
            throw LineSocketError(peer: address, what: "not an IPv4 address")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else {
            let code = errno
            close(fd)
            throw LineSocketError(peer: address, what: "cannot reserve a port", errno: code)
        }
        port = Int(UInt16(bigEndian: socketAddress.sin_port))
        self.address = address
        descriptor = Mutex(fd)
    }

    deinit { release() }

    /// Gives the port back (a server listening on it keeps it). Idempotent.
    public func release() {
        let fd = descriptor.withLock { fd in
            defer { fd = -1 }
            return fd
        }
        if fd >= 0 { close(fd) }
    }

    /// Runs `start` with the port of a fresh reservation, released just before, for a
    /// server that cannot share the port with the reservation (a UDP server: datagrams would
    /// go to either socket). Another process may take the port in that moment: when `start`
    /// fails and `addressInUse` says that was the cause, it runs again on another port, at
    /// most `attempts` times.
    public static func startReleased<T>(
        address: String = "127.0.0.1", attempts: Int = 5, addressInUse: (any Error) -> Bool, _ start: (Int) async throws -> T
    ) async throws -> T {
        for attempt in 1...max(1, attempts) {
            let reservation = try ReservedPort(address: address)
            reservation.release()
            do {
                return try await start(reservation.port)
            } catch where attempt < attempts && addressInUse(error) {
                continue
            }
        }
        preconditionFailure("the last attempt returns or throws")
    }
}
