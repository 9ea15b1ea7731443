import DNSCodec

/// A name server's address and port. Port 53 in the wild; tests point everything at a
/// loopback port of their own.
public struct DNSServer: Hashable, Sendable, Codable, CustomStringConvertible {
    public var address: IPAddress
    public var port: Int

    public init(address: IPAddress, port: Int = 53) {
        self.address = address
        self.port = port
    }

    public var description: String {
        let host = address.isIPv4 ? address.description : "[\(address)]"
        return port == 53 ? (address.isIPv4 ? host : address.description) : "\(host):\(port)"
    }

    /// The root servers' IPv4 addresses (IANA's root hints, stable for decades), where the
    /// NS chain starts unless the config names other roots.
    public static let internetRoots: [DNSServer] = [
        "198.41.0.4", "170.247.170.2", "192.33.4.12", "199.7.91.13", "192.203.230.10", "192.5.5.241", "192.112.36.4",
        "198.97.190.53", "192.36.148.17", "192.58.128.30", "193.0.14.129", "199.7.83.42", "202.12.27.33",
    ].map { DNSServer(address: IPAddress($0)!) }
}
