#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
internal import BlockingIO
internal import NIOPosix

/// A small TCP client for integration tests: connect to an IPv4 loopback address, write
/// text, read CRLF- or LF-terminated lines and exact byte counts. Every read and write has a
/// timeout, so a silent server fails the test instead of hanging it.
///
/// The socket itself is a plain blocking one, but every call that can block runs on the
/// test clients' threads (``LineSocket/blocking(_:)``), never on the caller's: tests are
/// async, and a test waiting in `recv` on one of the cooperative pool's few threads (two on
/// a 2-core machine) stalls every other test of the process, including the in-process
/// servers it is waiting for.
///
/// Deliberately minimal and independent of the product's IMAP and SMTP code, so tests of
/// the testbed do not depend on what they will later be used to test.
public final class LineSocket {
    private let fd: Int32
    private var buffer: [UInt8] = []
    public let peer: String

    /// Runs `body`, which may block (a read, a child process waited for, a semaphore), on
    /// one of the test clients' threads and returns its result; the caller's thread is free
    /// meanwhile. `body` runs alone, so it may touch state that is not `Sendable`.
    public static func blocking<T>(_ body: @escaping () throws -> T) async throws -> T {
        try await io.runSerially(body)
    }

    /// Where test clients block. A pool of their own, not `BlockingIO.shared`: a client
    /// waits in a read for as long as its timeout, and many of them waiting on a server that
    /// runs in this process must not hold the threads that server needs for its own
    /// blocking work. Threads waiting in `recv` use no CPU, so there are many.
    static let io: BlockingIO = {
        let pool = NIOThreadPool(numberOfThreads: 64)
        pool.start()
        return BlockingIO(pool: pool)
    }()

    /// Connects to `host` (an IPv4 address such as 127.0.0.1) on `port`.
    public init(host: String, port: Int, timeout seconds: Int = 10) async throws {
        let peer = "\(host):\(port)"
        self.peer = peer
        fd = try await Self.io.run { try Self.open(host: host, port: port, peer: peer, timeout: seconds) }
    }

    deinit {
        close(fd)
    }

    /// Sends `text` as UTF-8 bytes, exactly as given.
    public func write(_ text: String) async throws {
        try await write(Array(text.utf8))
    }

    /// Sends `bytes`, all of them.
    public func write(_ bytes: [UInt8]) async throws {
        try await Self.io.runSerially { try self.sendAll(bytes) }
    }

    /// The next line without its line ending (CRLF or a bare LF).
    public func readLine() async throws -> String {
        try await Self.io.runSerially { try self.nextLine() }
    }

    /// Exactly `count` bytes (an IMAP literal, for example).
    public func readBytes(_ count: Int) async throws -> [UInt8] {
        try await Self.io.runSerially {
            while self.buffer.count < count { try self.fill() }
            let bytes = Array(self.buffer[..<count])
            self.buffer.removeSubrange(..<count)
            return bytes
        }
    }

    /// Everything the peer sends until it closes, at most `limit` bytes, and how the
    /// stream ended: nil for an orderly close (or the limit), else the error (a reset, a
    /// timeout). Bytes already read as lines or literals are not repeated.
    public func readToEnd(limit: Int = 64 << 20) async -> (bytes: [UInt8], error: LineSocketError?) {
        do {
            return try await Self.io.runSerially { self.drain(limit: limit) }
        } catch {
            return ([], LineSocketError(peer: peer, what: "the test clients' thread pool is not running"))
        }
    }

    /// A connected socket's descriptor, on the caller's thread: for the one probe of the
    /// testbed when the test process starts (``Testbed/availability``), a loopback connect.
    static func open(host: String, port: Int, peer: String, timeout seconds: Int) throws -> Int32 {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            throw LineSocketError(peer: peer, what: "not an IPv4 address")
        }
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw LineSocketError(peer: peer, what: "socket() failed", errno: errno) }
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard rc == 0 else {
            let code = errno
            close(fd)
            throw LineSocketError(peer: peer, what: "connect failed", errno: code)
        }
        return fd
    }

    private func sendAll(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw LineSocketError(peer: peer, what: "send failed", errno: errno) }
            sent += n
        }
    }

    private func nextLine() throws -> String {
        while true {
            if let lf = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                var line = Array(buffer[..<lf])
                buffer.removeSubrange(...lf)
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                return String(decoding: line, as: UTF8.self)
            }
            try fill()
        }
    }

    private func drain(limit: Int) -> (bytes: [UInt8], error: LineSocketError?) {
        while buffer.count < limit {
            do {
                try fill()
            } catch let error as LineSocketError {
                let bytes = buffer
                buffer = []
                return (bytes, error.isClosedByPeer ? nil : error)
            } catch {
                break
            }
        }
        let bytes = Array(buffer.prefix(limit))
        buffer.removeFirst(bytes.count)
        return (bytes, nil)
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n == 0 { throw LineSocketError(peer: peer, what: LineSocketError.closedByPeer) }
        guard n > 0 else {
            let code = errno
            let what = code == EAGAIN || code == EWOULDBLOCK ? "read timed out" : "recv failed"
            throw LineSocketError(peer: peer, what: what, errno: code)
        }
        buffer.append(contentsOf: chunk[..<n])
    }
}
