#if canImport(Glibc)
import Glibc
#endif

/// A loopback listener that never accepts and whose accept queue is full: Linux drops
/// further SYNs, so a connection attempt neither succeeds nor is refused, as with an
/// upstream behind a firewall that drops packets. Closed by ``close()``.
final class BacklogFullListener {
    let port: Int
    private let fds: [Int32]

    init() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = in_addr_t(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, length) == 0 && listen(listener, 0) == 0 && getsockname(listener, $0, &length) == 0
            }
        }
        guard ok else {
            Glibc.close(listener)
            throw TestClient.Failure(description: "cannot set up a full listener: errno \(errno)")
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        // Non-blocking connects fill the queue (backlog 0 holds one) without waiting.
        var fillers: [Int32] = []
        for _ in 0..<3 {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            fillers.append(fd)
        }
        fds = [listener] + fillers
    }

    func close() {
        for fd in fds { Glibc.close(fd) }
    }
}
