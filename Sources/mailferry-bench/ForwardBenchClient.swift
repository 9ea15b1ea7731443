import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The forwarder benchmark's client: one blocking TCP connection (TCP_NODELAY, as mail
/// clients set it for their commands), so a round trip is the path's and not a scheduler's.
/// It speaks the benchmark server's line protocol and enough IMAP for Dovecot.
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
        try send(line)
        var received = 0
        while received < bytes {
            received += try receive(upTo: bytes - received)
        }
        return (ContinuousClock.now - start).benchSeconds
    }

    /// Reads an IMAP server's greeting (one line).
    func readGreeting() throws {
        var tail: [UInt8] = []
        while tail.last != UInt8(ascii: "\n") {
            let count = try receive(upTo: 1)
            tail.append(contentsOf: buffer[0..<count])
        }
        guard tail.starts(with: Array("* OK".utf8)) else { throw BenchError("not an IMAP greeting: \(String(decoding: tail, as: UTF8.self))") }
    }

    /// Sends the IMAP command `text` tagged `tag` and reads every response up to and
    /// including the tagged one, which must be OK; returns the seconds it took and the bytes
    /// received. Only the last bytes received are looked at: the tagged reply is the last
    /// line the server sends, and the benchmark's message holds no line that could be taken
    /// for it.
    @discardableResult
    func command(_ tag: String, _ text: String) throws -> (seconds: Double, bytes: Int) {
        let start = ContinuousClock.now
        try send("\(tag) \(text)\r\n")
        let prefix = Array("\(tag) ".utf8)
        var tail: [UInt8] = []
        var received = 0
        while true {
            let count = try receive(upTo: buffer.count)
            received += count
            // Enough for the longest tagged reply (Dovecot's OK to LOGIN lists its capabilities).
            tail.append(contentsOf: buffer[max(0, count - 4096)..<count])
            if tail.count > 4096 { tail.removeFirst(tail.count - 4096) }
            guard tail.count >= 2, tail[tail.count - 2] == UInt8(ascii: "\r"), tail[tail.count - 1] == UInt8(ascii: "\n") else { continue }
            let lineStart = (tail[..<(tail.count - 2)].lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 }) ?? 0
            let line = tail[lineStart...]
            guard line.starts(with: prefix) else { continue }
            guard line.dropFirst(prefix.count).starts(with: Array("OK".utf8)) else {
                throw BenchError("\(text): \(String(decoding: line, as: UTF8.self))")
            }
            return ((ContinuousClock.now - start).benchSeconds, received)
        }
    }

    private func send(_ line: String) throws {
        let request = Array(line.utf8)
        var sent = 0
        while sent < request.count {
            let count = request[sent...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard count > 0 else { throw BenchError("write: \(String(cString: strerror(errno)))") }
            sent += count
        }
    }

    /// One read of at most `limit` bytes into `buffer`; returns the count.
    private func receive(upTo limit: Int) throws -> Int {
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, min($0.count, limit)) }
        guard count > 0 else { throw BenchError(count == 0 ? "the server closed the connection" : "read: \(String(cString: strerror(errno)))") }
        return count
    }
}
