#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MailTestSupport

/// An IPv4 client socket for the tests: every call has a deadline (SO_RCVTIMEO,
/// SO_SNDTIMEO), so a test that waits on the forwarder fails instead of hanging. The socket
/// blocks, but only test-client threads (``LineSocket/blocking(_:)``) wait in it: a test
/// waiting on a cooperative thread would starve the forwarder's own tasks on a 2-core machine.
final class TestClient {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let fd: Int32

    /// Connects to 127.0.0.1:`port`. `receiveBuffer` sets SO_RCVBUF first (a client that
    /// never reads then stalls the forwarder early).
    /// `source` binds the socket to that loopback address first (a client other than the
    /// forwarder, which connects from 127.0.0.1).
    init(port: Int, timeout seconds: Int = 20, receiveBuffer: Int32? = nil, source: String? = nil) async throws {
        fd = try await LineSocket.blocking { try Self.connected(port: port, timeout: seconds, receiveBuffer: receiveBuffer, source: source) }
    }

    private static func connected(port: Int, timeout seconds: Int, receiveBuffer: Int32?, source: String?) throws -> Int32 {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw Failure(description: "socket() failed") }
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        if var size = receiveBuffer { setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size)) }
        if let source {
            var local = sockaddr_in()
            local.sin_family = sa_family_t(AF_INET)
            inet_pton(AF_INET, source, &local.sin_addr)
            let bound = withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard bound == 0 else {
                close(fd)
                throw Failure(description: "cannot bind to \(source): errno \(errno)")
            }
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = in_addr_t(0x7F00_0001).bigEndian
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else {
            let code = errno
            close(fd)
            throw Failure(description: "connect to 127.0.0.1:\(port) failed: errno \(code)")
        }
        return fd
    }

    deinit { close(fd) }

    /// The port this socket connected from (what the PROXY header must carry).
    var localPort: Int {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    func sendText(_ text: String) async throws {
        try await LineSocket.blocking { try self.blockingSend(text) }
    }

    /// Reads until `count` bytes arrived or the peer closed; throws on the deadline.
    func receive(count: Int) async throws -> [UInt8] {
        try await LineSocket.blocking { try self.blockingReceive(count: count) }
    }

    /// Reads one line (up to LF); throws on the deadline or when the peer closes first.
    func readLine() async throws -> String {
        try await LineSocket.blocking { try self.blockingReadLine() }
    }

    /// Reads until the peer closes (EOF or reset); throws on the deadline.
    func receiveUntilClosed(limit: Int = 1 << 26) async throws -> [UInt8] {
        try await LineSocket.blocking { try self.blockingReceiveUntilClosed(limit: limit) }
    }

    private func blockingSend(_ text: String) throws {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw Failure(description: "send failed: errno \(errno)") }
            sent += n
        }
    }

    func shutdownWrite() { shutdown(fd, Int32(SHUT_WR)) }

    private func blockingReceive(count: Int) throws -> [UInt8] {
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while result.count < count {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, min($0.count, count - result.count), 0) }
            if n == 0 { break }
            guard n > 0 else { throw Failure(description: "receive failed after \(result.count) bytes: errno \(errno)") }
            result += chunk[..<n]
        }
        return result
    }

    private func blockingReadLine() throws -> String {
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while line.count < 4096 {
            let n = recv(fd, &byte, 1, 0)
            guard n == 1 else { throw Failure(description: "no line: \(n == 0 ? "closed" : "errno \(errno)") after \(line.count) bytes") }
            line.append(byte)
            if byte == UInt8(ascii: "\n") { break }
        }
        return String(decoding: line, as: UTF8.self)
    }

    private func blockingReceiveUntilClosed(limit: Int) throws -> [UInt8] {
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while result.count < limit {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 || (n < 0 && errno == ECONNRESET) { return result }
            guard n > 0 else { throw Failure(description: "still open after \(result.count) bytes: errno \(errno)") }
            result += chunk[..<n]
        }
        throw Failure(description: "more than \(limit) bytes")
    }
}
