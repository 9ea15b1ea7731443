#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small blocking TCP client for integration tests: connect to an IPv4 loopback address,
/// write text, read CRLF- or LF-terminated lines and exact byte counts. Every read and
/// write has a timeout, so a silent server fails the test instead of hanging it.
///
/// Deliberately minimal and independent of the product's IMAP and SMTP code, so tests of
/// the testbed do not depend on what they will later be used to test.
public final class LineSocket {
    private let fd: Int32
    private var buffer: [UInt8] = []
    public let peer: String

    /// Connects to `host` (an IPv4 address such as 127.0.0.1) on `port`.
    public init(host: String, port: Int, timeout seconds: Int = 10) throws {
        peer = "\(host):\(port)"
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            throw LineSocketError(peer: peer, what: "not an IPv4 address")
        }
        #if canImport(Glibc)
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        fd = socket(AF_INET, SOCK_STREAM, 0)
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
    }

    deinit {
        close(fd)
    }

    /// Sends `text` as UTF-8 bytes, exactly as given.
    public func write(_ text: String) throws {
        try write(Array(text.utf8))
    }

    /// Sends `bytes`, all of them.
    public func write(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw LineSocketError(peer: peer, what: "send failed", errno: errno) }
            sent += n
        }
    }

    /// The next line without its line ending (CRLF or a bare LF).
    public func readLine() throws -> String {
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

    /// Exactly `count` bytes (an IMAP literal, for example).
    public func readBytes(_ count: Int) throws -> [UInt8] {
        while buffer.count < count { try fill() }
        let bytes = Array(buffer[..<count])
        buffer.removeSubrange(..<count)
        return bytes
    }

    /// Everything the peer sends until it closes, at most `limit` bytes, and how the
    /// stream ended: nil for an orderly close (or the limit), else the error (a reset, a
    /// timeout). Bytes already read as lines or literals are not repeated.
    public func readToEnd(limit: Int = 64 << 20) -> (bytes: [UInt8], error: LineSocketError?) {
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
