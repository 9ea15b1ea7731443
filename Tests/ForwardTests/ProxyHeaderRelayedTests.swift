import Forward
import NIOCore
import ProxyProtocol
import Testing

/// The header the forwarder sends for an accepted connection.
@Suite struct ProxyHeaderRelayedTests {
    @Test func ipv4() throws {
        let header = ProxyHeader.relayed(
            client: try SocketAddress(ipAddress: "192.0.2.7", port: 50000), server: try SocketAddress(ipAddress: "198.51.100.1", port: 143))
        #expect(
            header == ProxyHeader(
                addresses: .inet(source: IPv4Address(192, 0, 2, 7), sourcePort: 50000, destination: IPv4Address(198, 51, 100, 1), destinationPort: 143)))
    }

    /// A dual-stack listener sees IPv4 clients as ::ffff:a.b.c.d; Dovecot should log rip=a.b.c.d.
    @Test func ipv4MappedIPv6IsSentAsIPv4() throws {
        let header = ProxyHeader.relayed(
            client: try SocketAddress(ipAddress: "::ffff:192.0.2.7", port: 50000), server: try SocketAddress(ipAddress: "::ffff:198.51.100.1", port: 993))
        #expect(
            header == ProxyHeader(
                addresses: .inet(source: IPv4Address(192, 0, 2, 7), sourcePort: 50000, destination: IPv4Address(198, 51, 100, 1), destinationPort: 993)))
    }

    @Test func ipv6() throws {
        let header = try #require(
            ProxyHeader.relayed(
                client: try SocketAddress(ipAddress: "2001:db8::7", port: 50000), server: try SocketAddress(ipAddress: "2001:db8::1", port: 110)))
        guard case .inet6(let source, 50000, let destination, 110) = header.addresses else {
            Issue.record("not an IPv6 header: \(header)")
            return
        }
        #expect(source.description == "2001:db8:0:0:0:0:0:7")
        #expect(destination.description == "2001:db8:0:0:0:0:0:1")
    }

    @Test func noHeaderForAUnixSocket() throws {
        #expect(ProxyHeader.relayed(client: try SocketAddress(unixDomainSocketPath: "/run/x"), server: try SocketAddress(ipAddress: "::1", port: 1)) == nil)
    }
}
