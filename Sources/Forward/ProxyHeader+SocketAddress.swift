import NIOCore
import ProxyProtocol

extension ProxyHeader {
    /// The header for a relayed TCP connection: `client` is its peer, `server` the address
    /// the client connected to. IPv4-mapped IPv6 addresses (a dual-stack listener's view of
    /// an IPv4 client) are sent as IPv4, so the server logs `rip=192.0.2.7`, not
    /// `rip=::ffff:192.0.2.7`. Nil when the two are not both IP addresses of one family
    /// (the PROXY block cannot mix families).
    public static func relayed(client: SocketAddress, server: SocketAddress) -> ProxyHeader? {
        guard let source = Self.ipBytes(client), let destination = Self.ipBytes(server),
            let sourcePort = client.port, let destinationPort = server.port
        else { return nil }
        let v4 = { (bytes: [UInt8]) -> IPv4Address? in
            bytes.count == 4 ? IPv4Address(bytes: bytes) : IPv6Address(bytes: bytes)?.mappedIPv4
        }
        if let source4 = v4(source), let destination4 = v4(destination) {
            return ProxyHeader(
                addresses: .inet(
                    source: source4, sourcePort: UInt16(sourcePort), destination: destination4, destinationPort: UInt16(destinationPort)))
        }
        guard source.count == 16, destination.count == 16 else { return nil }
        return ProxyHeader(
            addresses: .inet6(
                source: IPv6Address(bytes: source)!, sourcePort: UInt16(sourcePort),
                destination: IPv6Address(bytes: destination)!, destinationPort: UInt16(destinationPort)))
    }

    /// The address bytes of an IP socket address: sockaddr_in keeps them at offset 4 and
    /// sockaddr_in6 at offset 8, on Linux and on the BSDs alike.
    private static func ipBytes(_ address: SocketAddress) -> [UInt8]? {
        switch address {
        case .v4(let v4):
            return withUnsafeBytes(of: v4.address) { Array($0[4..<8]) }
        case .v6(let v6):
            return withUnsafeBytes(of: v6.address) { Array($0[8..<24]) }
        case .unixDomainSocket:
            return nil
        }
    }
}
