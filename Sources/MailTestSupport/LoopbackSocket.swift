#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The POSIX calls ``FaultProxy`` (and the tests' echo server) make, on IPv4 loopback
/// sockets: listen on an ephemeral port, accept, connect, poll, receive, send, close with
/// FIN or RST. Every blocking call has a timeout or is preceded by poll.
enum LoopbackSocket {
    /// What ``receive(_:max:)`` got.
    enum Received {
        case bytes([UInt8])
        case end
        case wouldBlock
        case failed(Int32)
    }

    static let backlog: Int32 = 64

    /// A non-blocking listening socket on 127.0.0.1 and its port. The port is bound by
    /// number, not as port 0, so that ``stopListening(_:)`` keeps it reserved (Linux
    /// releases an automatically chosen port when a listener is shut down).
    static func makeListener() throws -> (fd: Int32, port: Int) {
        var lastError: Int32 = 0
        for _ in 0..<20 {
            let probe = try makeSocket()
            var address = loopback(port: 0)
            guard bindTo(probe, &address), let port = boundPort(probe) else {
                lastError = errno
                close(probe)
                continue
            }
            close(probe)
            let fd = try makeSocket()
            var one: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
            address = loopback(port: port)
            if bindTo(fd, &address), listen(fd, backlog) == 0, fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == 0 {
                return (fd, port)
            }
            lastError = errno
            close(fd)  // someone took the port between probe and bind: try another
        }
        throw LineSocketError(peer: "127.0.0.1", what: "cannot listen on an ephemeral loopback port", errno: lastError)
    }

    /// Makes a listener refuse connections (clients get ECONNREFUSED) while keeping its port.
    static func stopListening(_ fd: Int32) {
        shutdown(fd, Int32(SHUT_RDWR))
    }

    /// Undoes ``stopListening(_:)``.
    static func resumeListening(_ fd: Int32) -> Bool {
        listen(fd, backlog) == 0
    }

    /// A pending connection of a non-blocking listener, or nil.
    static func acceptPending(_ listener: Int32) -> Int32? {
        let fd = accept(listener, nil, nil)
        return fd >= 0 ? fd : nil
    }

    /// A blocking socket connected to `host:port` (IPv4), with send/receive timeouts.
    static func connected(host: String, port: Int, timeout seconds: Int) throws -> Int32 {
        let peer = "\(host):\(port)"
        var address = loopback(port: port)
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            throw LineSocketError(peer: peer, what: "not an IPv4 address")
        }
        let fd = try makeSocket()
        setTimeouts(fd, seconds: seconds)
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else {
            let code = errno
            close(fd)
            throw LineSocketError(peer: peer, what: "connect failed", errno: code)
        }
        return fd
    }

    static func setTimeouts(_ fd: Int32, seconds: Int) {
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Which of `fds` are readable (or closed, or failed) within `milliseconds`.
    static func readable(_ fds: [Int32], milliseconds: Int32) -> [Bool] {
        var polls = fds.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        let n = poll(&polls, nfds_t(polls.count), milliseconds)
        guard n > 0 else { return fds.map { _ in false } }
        return polls.map { $0.revents != 0 }
    }

    static func receive(_ fd: Int32, max: Int, dontWait: Bool = false) -> Received {
        var buffer = [UInt8](repeating: 0, count: max)
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, max, dontWait ? Int32(MSG_DONTWAIT) : 0) }
        if n > 0 { return .bytes(Array(buffer[..<n])) }
        if n == 0 { return .end }
        let code = errno
        return code == EAGAIN || code == EWOULDBLOCK ? .wouldBlock : .failed(code)
    }

    /// True once the peer closed or reset the connection (or `fd` was shut down), even with
    /// unread bytes waiting: nothing is read, so a silent server can watch for its client
    /// leaving. Blocks until then or `deadline`; data arriving does not wake it.
    static func peerClosed(_ fd: Int32, before deadline: ContinuousClock.Instant) -> Bool {
        var watch = pollfd(fd: fd, events: pollReadHangUp, revents: 0)
        guard poll(&watch, 1, milliseconds(until: deadline)) > 0 else { return false }
        return watch.revents & (pollReadHangUp | Int16(POLLHUP | POLLERR | POLLNVAL)) != 0
    }

    /// A poll(2) timeout that ends at `deadline` (rounded up, so the wait never ends early).
    static func milliseconds(until deadline: ContinuousClock.Instant) -> Int32 {
        let left = deadline - ContinuousClock.now
        guard left > .zero else { return 0 }
        let parts = left.components
        return Int32(min(parts.seconds * 1000 + parts.attoseconds / 1_000_000_000_000_000 + 1, Int64(Int32.max)))
    }

    /// Linux's POLLRDHUP (the peer shut down its writing side), which Glibc defines only
    /// under _GNU_SOURCE and so is not imported into Swift.
    private static let pollReadHangUp: Int16 = 0x2000

    /// Sends all of `bytes`; false if the peer is gone or the send timeout passed.
    static func sendAll(_ fd: Int32, _ bytes: ArraySlice<UInt8>) -> Bool {
        var sent = bytes.startIndex
        while sent < bytes.endIndex {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { return false }
            sent += n
        }
        return true
    }

    /// Ends our sending side (the peer reads end of stream after what was sent).
    static func shutdownWrite(_ fd: Int32) {
        shutdown(fd, Int32(SHUT_WR))
    }

    /// Wakes every thread blocked on `fd` without freeing the descriptor.
    static func shutdownBoth(_ fd: Int32) {
        shutdown(fd, Int32(SHUT_RDWR))
    }

    /// FIN, not RST: data still unread in our receive buffer would make close() send a
    /// reset, so it is read and dropped first (bounded: at most 64 reads).
    static func closeGracefully(_ fd: Int32) {
        shutdownWrite(fd)
        for _ in 0..<64 {
            guard case .bytes = receive(fd, max: 65_536, dontWait: true) else { break }
        }
        close(fd)
    }

    /// RST: SO_LINGER with a zero timeout makes close() abort the connection.
    static func closeAbortively(_ fd: Int32) {
        var option = linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
        close(fd)
    }

    private static func makeSocket() throws -> Int32 {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw LineSocketError(peer: "127.0.0.1", what: "socket() failed", errno: errno) }
        return fd
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = in_addr_t(0x7F00_0001).bigEndian
        return address
    }

    private static func bindTo(_ fd: Int32, _ address: inout sockaddr_in) -> Bool {
        withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    private static func boundPort(_ fd: Int32) -> Int? {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let rc = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return rc == 0 ? Int(UInt16(bigEndian: address.sin_port)) : nil
    }
}
