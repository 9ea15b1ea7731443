import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The forwarder benchmark's client: one blocking TCP connection (TCP_NODELAY, as mail
/// clients set it for their commands), so a round trip is the path's and not a scheduler's.
final class ForwardBenchClient {
    private let fd: Int32
    private var buffer = [UInt8](repeating: 0, count: 1 << 20)

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw BenchError("socket: \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            throw BenchError("connect to 127.0.0.1:\(port): \(String(cString: strerror(errno)))")
        }
    }

    deinit { close(fd) }

    /// Sends `line` and reads until `bytes` bytes came back; returns the seconds it took.
    func exchange(_ line: String, expecting bytes: Int) throws -> Double {
        let start = ContinuousClock.now
        let request = Array(line.utf8)
        var sent = 0
        while sent < request.count {
            let count = request[sent...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard count > 0 else { throw BenchError("write: \(String(cString: strerror(errno)))") }
            sent += count
        }
        var received = 0
        while received < bytes {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, min($0.count, bytes - received)) }
            guard count > 0 else { throw BenchError(count == 0 ? "the server closed the connection" : "read: \(String(cString: strerror(errno)))") }
            received += count
        }
        return (ContinuousClock.now - start).benchSeconds
    }
}
