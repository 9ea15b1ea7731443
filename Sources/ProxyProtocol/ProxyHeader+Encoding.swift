import NIOCore

extension ProxyHeader {
    /// The header's total size on the wire.
    public var encodedLength: Int {
        ProxyHeader.fixedLength + addresses.blockLength + tlvs.reduce(0) { $0 + 3 + $1.value.count }
    }

    /// Writes the header. Throws, writing nothing, when a value cannot be represented: a UNIX
    /// path over 108 bytes, a TLV value over 65535 bytes, or a total over the 16-bit length.
    public func encode(into buffer: inout ByteBuffer) throws(ProxyHeaderError) {
        if case .unix(let source, let destination) = addresses {
            for path in [source, destination] where path.count > ProxyHeader.unixAddressLength {
                throw .unixAddressTooLong(path.count)
            }
        }
        for tlv in tlvs where tlv.value.count > Int(UInt16.max) {
            throw .tlvTooLong(type: tlv.type, length: tlv.value.count)
        }
        let length = encodedLength - ProxyHeader.fixedLength
        guard length <= Int(UInt16.max) else { throw .tooLong(length: encodedLength, limit: ProxyHeader.maximumLength) }

        buffer.reserveCapacity(minimumWritableBytes: encodedLength)
        buffer.writeBytes(ProxyHeader.signature)
        buffer.writeInteger(0x20 | command.rawValue)
        buffer.writeInteger(addresses.familyNibble << 4 | transport.rawValue)
        buffer.writeInteger(UInt16(length))
        switch addresses {
        case .unspecified:
            break
        case .inet(let source, let sourcePort, let destination, let destinationPort):
            buffer.writeBytes(source.array)
            buffer.writeBytes(destination.array)
            buffer.writeInteger(sourcePort)
            buffer.writeInteger(destinationPort)
        case .inet6(let source, let sourcePort, let destination, let destinationPort):
            buffer.writeBytes(source.array)
            buffer.writeBytes(destination.array)
            buffer.writeInteger(sourcePort)
            buffer.writeInteger(destinationPort)
        case .unix(let source, let destination):
            for path in [source, destination] {
                buffer.writeBytes(path)
                buffer.writeRepeatingByte(0, count: ProxyHeader.unixAddressLength - path.count)
            }
        }
        for tlv in tlvs {
            buffer.writeInteger(tlv.type)
            buffer.writeInteger(UInt16(tlv.value.count))
            buffer.writeBytes(tlv.value)
        }
    }

    /// The header as bytes.
    public func encoded() throws(ProxyHeaderError) -> [UInt8] {
        var buffer = ByteBuffer()
        try encode(into: &buffer)
        return Array(buffer.readableBytesView)
    }
}
