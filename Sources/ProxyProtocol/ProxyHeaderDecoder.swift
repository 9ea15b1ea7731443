import NIOCore

/// Reads a PROXY protocol version 2 header from the front of a stream, however the bytes
/// arrive: call ``decode(_:)`` after each read. It consumes nothing until the whole header
/// is there, then consumes exactly the header and leaves what follows (the client's first
/// bytes) in the buffer.
///
/// Bounded: it refuses at the first byte that breaks the signature, at a bad version,
/// command, family or transport as soon as byte 13 or 14 arrives, and at a length above
/// ``limit`` before any of the body is buffered, so a hostile peer cannot make the caller
/// hold more than `limit` bytes.
public struct ProxyHeaderDecoder: Sendable {
    /// The longest header accepted, fixed part included. A forwarder's header is 16 + 36
    /// bytes at most without TLVs; the default leaves room for TLVs a real proxy adds.
    public var limit: Int

    public init(limit: Int = 4096) {
        self.limit = max(ProxyHeader.fixedLength, min(limit, ProxyHeader.maximumLength))
    }

    /// The header, once complete (consumed from `buffer`); nil while more bytes are needed
    /// (nothing consumed). Throws at the first byte that makes the header invalid.
    public func decode(_ buffer: inout ByteBuffer) throws(ProxyHeaderError) -> ProxyHeader? {
        let view = buffer.readableBytesView
        let start = view.startIndex
        let available = view.count
        for offset in 0..<min(available, ProxyHeader.signature.count) where view[start + offset] != ProxyHeader.signature[offset] {
            throw .badSignature(offset: offset)
        }
        guard available > 12 else { return nil }
        let versionCommand = view[start + 12]
        guard versionCommand >> 4 == 2 else { throw .unsupportedVersion(versionCommand >> 4) }
        guard let command = ProxyHeader.Command(rawValue: versionCommand & 0x0F) else { throw .unknownCommand(versionCommand & 0x0F) }
        guard available > 13 else { return nil }
        let familyTransport = view[start + 13]
        let family = familyTransport >> 4
        guard family <= 3 else { throw .unknownFamily(family) }
        guard let transport = ProxyHeader.Transport(rawValue: familyTransport & 0x0F) else {
            throw .unknownTransport(familyTransport & 0x0F)
        }
        guard available >= ProxyHeader.fixedLength else { return nil }
        let length = Int(view[start + 14]) << 8 | Int(view[start + 15])
        let total = ProxyHeader.fixedLength + length
        guard total <= limit else { throw .tooLong(length: total, limit: limit) }
        let needed = [0, 12, 36, 2 * ProxyHeader.unixAddressLength][Int(family)]
        guard length >= needed else { throw .addressBlockTooShort(family: family, length: length, needed: needed) }
        guard available >= total else { return nil }

        let body = Array(view[(start + ProxyHeader.fixedLength)..<(start + total)])
        let addresses: ProxyHeader.Addresses
        switch family {
        case 1:
            addresses = .inet(
                source: IPv4Address(bytes: body[0..<4])!, sourcePort: Self.port(body, 8),
                destination: IPv4Address(bytes: body[4..<8])!, destinationPort: Self.port(body, 10))
        case 2:
            addresses = .inet6(
                source: IPv6Address(bytes: body[0..<16])!, sourcePort: Self.port(body, 32),
                destination: IPv6Address(bytes: body[16..<32])!, destinationPort: Self.port(body, 34))
        case 3:
            addresses = .unix(source: Self.path(body[0..<108]), destination: Self.path(body[108..<216]))
        default:
            addresses = .unspecified
        }
        var tlvs: [ProxyHeader.TLV] = []
        var offset = needed
        while offset < body.count {
            guard offset + 3 <= body.count else { throw .truncatedTLV(offset: ProxyHeader.fixedLength + offset) }
            let valueLength = Int(body[offset + 1]) << 8 | Int(body[offset + 2])
            guard offset + 3 + valueLength <= body.count else { throw .truncatedTLV(offset: ProxyHeader.fixedLength + offset) }
            tlvs.append(.init(type: body[offset], value: Array(body[(offset + 3)..<(offset + 3 + valueLength)])))
            offset += 3 + valueLength
        }
        buffer.moveReaderIndex(forwardBy: total)
        return ProxyHeader(command: command, transport: transport, addresses: addresses, tlvs: tlvs)
    }

    private static func port(_ body: [UInt8], _ offset: Int) -> UInt16 {
        UInt16(body[offset]) << 8 | UInt16(body[offset + 1])
    }

    /// A UNIX path without its NUL padding.
    private static func path(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        Array(bytes.prefix(while: { $0 != 0 }))
    }
}
