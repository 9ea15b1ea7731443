/// A PROXY protocol version 2 header (haproxy's proxy-protocol.txt, section 2.2): the
/// binary preamble a forwarder sends before the client's bytes, so that the server behind
/// it sees the client's address instead of the forwarder's.
///
/// The value holds what the wire holds and nothing more; ``ProxyHeader/encode(into:)``
/// writes it and ``ProxyHeaderDecoder`` reads it back. Both check the same rules, so a
/// header this type encodes is one the decoder accepts.
public struct ProxyHeader: Equatable, Sendable {
    /// The 12 bytes every version 2 header starts with. They cannot begin a valid IMAP,
    /// POP3 or SMTP exchange (a NUL byte after an empty line), which is what lets a server
    /// refuse a connection that lacks them.
    public static let signature: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A]
    /// Signature, version/command, family/transport and the 16-bit length.
    public static let fixedLength = 16
    /// The length field is 16 bits: no header is longer than this.
    public static let maximumLength = fixedLength + Int(UInt16.max)
    /// The size of each address of an AF_UNIX block.
    public static let unixAddressLength = 108

    /// The low nibble of byte 13. The high nibble is the version, always 2.
    public enum Command: UInt8, Sendable {
        /// The forwarder's own connection (a health check): the receiver uses the real
        /// endpoints of the connection and ignores any address block.
        case local = 0x0
        /// A relayed connection: the address block names the original endpoints.
        case proxy = 0x1
    }

    /// The low nibble of byte 14.
    public enum Transport: UInt8, Sendable {
        case unspecified = 0x0
        case stream = 0x1
        case datagram = 0x2
    }

    /// The address block, chosen by the high nibble of byte 14.
    public enum Addresses: Equatable, Sendable {
        /// AF_UNSPEC: no addresses (the receiver uses the connection's own).
        case unspecified
        /// AF_INET: 4-byte addresses in network order.
        case inet(source: IPv4Address, sourcePort: UInt16, destination: IPv4Address, destinationPort: UInt16)
        /// AF_INET6: 16-byte addresses in network order.
        case inet6(source: IPv6Address, sourcePort: UInt16, destination: IPv6Address, destinationPort: UInt16)
        /// AF_UNIX: socket paths, each at most 108 bytes (NUL-padded on the wire).
        case unix(source: [UInt8], destination: [UInt8])

        /// The high nibble of byte 14.
        var familyNibble: UInt8 {
            switch self {
            case .unspecified: 0x0
            case .inet: 0x1
            case .inet6: 0x2
            case .unix: 0x3
            }
        }

        /// The bytes the block takes on the wire.
        var blockLength: Int {
            switch self {
            case .unspecified: 0
            case .inet: 12
            case .inet6: 36
            case .unix: 2 * ProxyHeader.unixAddressLength
            }
        }
    }

    public var command: Command
    public var transport: Transport
    public var addresses: Addresses
    /// Type-length-value records after the address block, in wire order.
    public var tlvs: [TLV]

    public init(command: Command = .proxy, transport: Transport = .stream, addresses: Addresses, tlvs: [TLV] = []) {
        self.command = command
        self.transport = transport
        self.addresses = addresses
        self.tlvs = tlvs
    }

    /// A header for a forwarder's own connection: no addresses.
    public static let local = ProxyHeader(command: .local, transport: .unspecified, addresses: .unspecified)
}

extension ProxyHeader {
    /// One type-length-value record. The value is opaque here; the types the spec names
    /// are constants so that tests and logs can refer to them.
    public struct TLV: Equatable, Sendable {
        public var type: UInt8
        public var value: [UInt8]

        public init(type: UInt8, value: [UInt8]) {
            self.type = type
            self.value = value
        }

        public static let alpn: UInt8 = 0x01
        public static let authority: UInt8 = 0x02
        public static let crc32c: UInt8 = 0x03
        public static let noop: UInt8 = 0x04
        public static let uniqueID: UInt8 = 0x05
        public static let ssl: UInt8 = 0x20
        public static let netns: UInt8 = 0x30
    }
}
