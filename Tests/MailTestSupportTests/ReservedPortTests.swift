import MailTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite struct ReservedPortTests {
    /// A socket bound to `port` on 127.0.0.1, listening when asked; nil if bind or listen fail.
    static func bound(_ port: Int, reuseAddress: Bool, listening: Bool) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var one: Int32 = 1
        if reuseAddress { setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size)) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = in_addr_t(0x7F00_0001).bigEndian
        let ok = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0 && (!listening || listen(fd, 8) == 0)
        guard ok else {
            close(fd)
            return nil
        }
        return fd
    }

    /// Reserved: connections are refused and nobody else can bind it, but a server that
    /// binds with SO_REUSEADDR (as SMTPServer, Postfix, Dovecot and sshd do) listens on it.
    @Test func refusesTakersButLetsTheServerListen() async throws {
        let reserved = try ReservedPort()
        defer { reserved.release() }
        await #expect(throws: LineSocketError.self) { try await LineSocket(host: "127.0.0.1", port: reserved.port, timeout: 5) }
        #expect(Self.bound(reserved.port, reuseAddress: false, listening: false) == nil, "a plain bind cannot take it")
        let server = try #require(Self.bound(reserved.port, reuseAddress: true, listening: true))
        defer { close(server) }
        _ = try await LineSocket(host: "127.0.0.1", port: reserved.port, timeout: 5)  // connects, then closes
        #expect(Self.bound(reserved.port, reuseAddress: true, listening: true) == nil, "one listener only")
    }

    /// Released, the port is anyone's again.
    @Test func releaseGivesThePortBack() throws {
        let reserved = try ReservedPort()
        reserved.release()
        reserved.release()
        let fd = try #require(Self.bound(reserved.port, reuseAddress: false, listening: false))
        close(fd)
    }

    /// A start that fails because the port was taken runs again on another port.
    @Test func startReleasedRetriesWhenTheAddressIsInUse() async throws {
        struct InUse: Error {}
        var ports: [Int] = []
        let port = try await ReservedPort.startReleased(attempts: 3, addressInUse: { $0 is InUse }) { port -> Int in
            ports.append(port)
            if ports.count == 1 { throw InUse() }
            return port
        }
        #expect(ports.count == 2 && port == ports[1])
        var calls = 0
        do {
            _ = try await ReservedPort.startReleased(attempts: 2, addressInUse: { $0 is InUse }) { _ -> Int in
                calls += 1
                throw InUse()
            }
            Issue.record("the last attempt's error was not thrown")
        } catch is InUse {
            #expect(calls == 2, "two attempts, then the error")
        }
    }
}
