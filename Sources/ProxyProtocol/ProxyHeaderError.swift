/// Why bytes are not a valid PROXY protocol version 2 header, or why a header value cannot
/// be encoded. Every malformed input gets one of these; a receiver drops the connection.
public enum ProxyHeaderError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Byte `offset` differs from the signature (the peer speaks no PROXY v2 at all, for
    /// example a client that connected straight to a PROXY-only listener).
    case badSignature(offset: Int)
    /// The high nibble of byte 13 is not 2.
    case unsupportedVersion(UInt8)
    /// The low nibble of byte 13 is neither LOCAL (0) nor PROXY (1).
    case unknownCommand(UInt8)
    /// The high nibble of byte 14 is not UNSPEC, INET, INET6 or UNIX.
    case unknownFamily(UInt8)
    /// The low nibble of byte 14 is not UNSPEC, STREAM or DGRAM.
    case unknownTransport(UInt8)
    /// The length field leaves less room than the family's address block needs.
    case addressBlockTooShort(family: UInt8, length: Int, needed: Int)
    /// The header is longer than the receiver allows.
    case tooLong(length: Int, limit: Int)
    /// A TLV record runs past the end of the header (or only part of its 3-byte prefix fits).
    case truncatedTLV(offset: Int)
    /// Encoding only: a UNIX address longer than 108 bytes.
    case unixAddressTooLong(Int)
    /// Encoding only: a TLV value longer than 65535 bytes.
    case tlvTooLong(type: UInt8, length: Int)

    public var description: String {
        switch self {
        case .badSignature(let offset): "not a PROXY v2 header (byte \(offset) differs from the signature)"
        case .unsupportedVersion(let version): "PROXY protocol version \(version) is not supported (only 2)"
        case .unknownCommand(let command): "unknown PROXY v2 command \(command)"
        case .unknownFamily(let family): "unknown PROXY v2 address family \(family)"
        case .unknownTransport(let transport): "unknown PROXY v2 transport \(transport)"
        case .addressBlockTooShort(let family, let length, let needed):
            "PROXY v2 length \(length) is too short for address family \(family) (needs \(needed))"
        case .tooLong(let length, let limit): "PROXY v2 header of \(length) bytes exceeds the limit of \(limit)"
        case .truncatedTLV(let offset): "PROXY v2 TLV at byte \(offset) runs past the end of the header"
        case .unixAddressTooLong(let length): "a UNIX socket address of \(length) bytes does not fit in 108"
        case .tlvTooLong(let type, let length): "TLV \(type) of \(length) bytes does not fit in 65535"
        }
    }
}
