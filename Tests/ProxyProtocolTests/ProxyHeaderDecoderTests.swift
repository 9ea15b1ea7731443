import NIOCore
import ProxyProtocol
import Testing

/// Fixtures written byte by byte from haproxy's proxy-protocol.txt, section 2.2, not from
/// the encoder, so that encoder and decoder cannot agree on a mistake.
@Suite("PROXY v2 decoder")
struct ProxyHeaderDecoderTests {
    static let signature: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A]

    struct Valid: CustomTestStringConvertible, Sendable {
        var name: String
        var bytes: [UInt8]
        var header: ProxyHeader
        var testDescription: String { name }
    }

    static let valid: [Valid] = [
        Valid(
            name: "TCP over IPv4",
            bytes: signature + [0x21, 0x11, 0x00, 0x0C, 192, 0, 2, 7, 198, 51, 100, 1, 0xC3, 0x50, 0x00, 0x8F],
            header: ProxyHeader(
                addresses: .inet(source: IPv4Address(192, 0, 2, 7), sourcePort: 50000, destination: IPv4Address(198, 51, 100, 1), destinationPort: 143))
        ),
        Valid(
            name: "TCP over IPv6",
            bytes: signature + [0x21, 0x21, 0x00, 0x24] + [0x20, 0x01, 0x0D, 0xB8] + [UInt8](repeating: 0, count: 11) + [1]
                + [0x20, 0x01, 0x0D, 0xB8] + [UInt8](repeating: 0, count: 11) + [2] + [0x01, 0xBB, 0x03, 0xE1],
            header: ProxyHeader(
                addresses: .inet6(
                    source: IPv6Address(bytes: [0x20, 0x01, 0x0D, 0xB8] + [UInt8](repeating: 0, count: 11) + [1])!, sourcePort: 443,
                    destination: IPv6Address(bytes: [0x20, 0x01, 0x0D, 0xB8] + [UInt8](repeating: 0, count: 11) + [2])!, destinationPort: 993))
        ),
        Valid(
            name: "LOCAL with no address block",
            bytes: signature + [0x20, 0x00, 0x00, 0x00],
            header: .local
        ),
        Valid(
            name: "LOCAL with an INET block the receiver must ignore but accept",
            bytes: signature + [0x20, 0x11, 0x00, 0x0C, 127, 0, 0, 1, 127, 0, 0, 1, 0, 1, 0, 2],
            header: ProxyHeader(
                command: .local, transport: .stream,
                addresses: .inet(source: IPv4Address(127, 0, 0, 1), sourcePort: 1, destination: IPv4Address(127, 0, 0, 1), destinationPort: 2))
        ),
        Valid(
            name: "UDP over IPv4",
            bytes: signature + [0x21, 0x12, 0x00, 0x0C, 10, 0, 0, 1, 10, 0, 0, 2, 0x00, 0x35, 0x00, 0x35],
            header: ProxyHeader(
                transport: .datagram,
                addresses: .inet(source: IPv4Address(10, 0, 0, 1), sourcePort: 53, destination: IPv4Address(10, 0, 0, 2), destinationPort: 53))
        ),
        Valid(
            name: "UNIX stream, paths NUL-padded to 108 bytes",
            bytes: signature + [0x21, 0x31, 0x00, 0xD8] + Array("/run/a".utf8) + [UInt8](repeating: 0, count: 102)
                + Array("/run/b".utf8) + [UInt8](repeating: 0, count: 102),
            header: ProxyHeader(addresses: .unix(source: Array("/run/a".utf8), destination: Array("/run/b".utf8)))
        ),
        Valid(
            name: "IPv4 with ALPN and NOOP TLVs after the addresses",
            bytes: signature + [0x21, 0x11, 0x00, 0x17, 192, 0, 2, 7, 198, 51, 100, 1, 0xC3, 0x50, 0x00, 0x8F]
                + [0x01, 0x00, 0x04] + Array("imap".utf8) + [0x04, 0x00, 0x01, 0x00],
            header: ProxyHeader(
                addresses: .inet(source: IPv4Address(192, 0, 2, 7), sourcePort: 50000, destination: IPv4Address(198, 51, 100, 1), destinationPort: 143),
                tlvs: [.init(type: ProxyHeader.TLV.alpn, value: Array("imap".utf8)), .init(type: ProxyHeader.TLV.noop, value: [0])])
        ),
        Valid(
            name: "a zero-length TLV",
            bytes: signature + [0x20, 0x00, 0x00, 0x03, 0x04, 0x00, 0x00],
            header: ProxyHeader(command: .local, transport: .unspecified, addresses: .unspecified, tlvs: [.init(type: 0x04, value: [])])
        ),
    ]

    @Test(arguments: valid)
    func decodesWholeAndLeavesTheRest(_ fixture: Valid) throws {
        var buffer = ByteBuffer(bytes: fixture.bytes + Array("A1 LOGIN".utf8))
        let header = try ProxyHeaderDecoder().decode(&buffer)
        #expect(header == fixture.header)
        #expect(Array(buffer.readableBytesView) == Array("A1 LOGIN".utf8))
    }

    /// Byte-at-a-time feeding: nil and nothing consumed until the last byte, then the header.
    @Test(arguments: valid)
    func decodesByteAtATime(_ fixture: Valid) throws {
        var buffer = ByteBuffer()
        let decoder = ProxyHeaderDecoder()
        for (index, byte) in fixture.bytes.enumerated() {
            buffer.writeInteger(byte)
            let header = try decoder.decode(&buffer)
            if index < fixture.bytes.count - 1 {
                #expect(header == nil, "complete after \(index + 1) of \(fixture.bytes.count) bytes")
                #expect(buffer.readableBytes == index + 1)
            } else {
                #expect(header == fixture.header)
                #expect(buffer.readableBytes == 0)
            }
        }
    }

    /// The encoder writes exactly the spec's bytes (UNIX paths padded with NULs).
    @Test(arguments: valid)
    func encoderWritesTheSpecBytes(_ fixture: Valid) throws {
        #expect(try fixture.header.encoded() == fixture.bytes)
        #expect(fixture.header.encodedLength == fixture.bytes.count)
    }

    struct Invalid: CustomTestStringConvertible, Sendable {
        var name: String
        var bytes: [UInt8]
        var error: ProxyHeaderError
        var testDescription: String { name }
    }

    static let invalid: [Invalid] = [
        Invalid(name: "an IMAP client talking straight to the listener", bytes: Array("a1 CAPABILITY\r\n".utf8), error: .badSignature(offset: 0)),
        Invalid(name: "PROXY v1 text header", bytes: Array("PROXY TCP4 192.0.2.7 198.51.100.1 50000 143\r\n".utf8), error: .badSignature(offset: 0)),
        Invalid(name: "signature broken at its last byte", bytes: Array(signature.dropLast()) + [0x0B], error: .badSignature(offset: 11)),
        Invalid(name: "signature broken at the NUL", bytes: [0x0D, 0x0A, 0x0D, 0x0A, 0x01], error: .badSignature(offset: 4)),
        Invalid(name: "version 1 in the binary form", bytes: signature + [0x11], error: .unsupportedVersion(1)),
        Invalid(name: "version 3", bytes: signature + [0x31, 0x11, 0x00, 0x0C], error: .unsupportedVersion(3)),
        Invalid(name: "command 2", bytes: signature + [0x22], error: .unknownCommand(2)),
        Invalid(name: "command 15", bytes: signature + [0x2F, 0x11], error: .unknownCommand(15)),
        Invalid(name: "family 4", bytes: signature + [0x21, 0x41], error: .unknownFamily(4)),
        Invalid(name: "family 15", bytes: signature + [0x21, 0xF1, 0x00, 0x00], error: .unknownFamily(15)),
        Invalid(name: "transport 3", bytes: signature + [0x21, 0x13], error: .unknownTransport(3)),
        Invalid(
            name: "IPv4 with a length of 11", bytes: signature + [0x21, 0x11, 0x00, 0x0B] + [UInt8](repeating: 1, count: 11),
            error: .addressBlockTooShort(family: 1, length: 11, needed: 12)),
        Invalid(name: "IPv6 with a length of 12", bytes: signature + [0x21, 0x21, 0x00, 0x0C], error: .addressBlockTooShort(family: 2, length: 12, needed: 36)),
        Invalid(name: "UNIX with a length of 0", bytes: signature + [0x21, 0x31, 0x00, 0x00], error: .addressBlockTooShort(family: 3, length: 0, needed: 216)),
        Invalid(name: "length 65535, refused before the body arrives", bytes: signature + [0x21, 0x11, 0xFF, 0xFF], error: .tooLong(length: 65551, limit: 4096)),
        Invalid(
            name: "a TLV with only its type byte", bytes: signature + [0x20, 0x00, 0x00, 0x01, 0x04],
            error: .truncatedTLV(offset: 16)),
        Invalid(
            name: "a TLV longer than the header", bytes: signature + [0x21, 0x11, 0x00, 0x10, 1, 2, 3, 4, 5, 6, 7, 8, 0, 1, 0, 2, 0x02, 0x00, 0x05, 0x61],
            error: .truncatedTLV(offset: 28)),
    ]

    @Test(arguments: invalid)
    func refusesMalformed(_ fixture: Invalid) {
        var buffer = ByteBuffer(bytes: fixture.bytes)
        #expect(throws: fixture.error) { try ProxyHeaderDecoder().decode(&buffer) }
    }

    /// The error comes at the first byte that makes the header invalid, without waiting for
    /// more: a client that sends "a" to a PROXY listener is refused at once.
    @Test(arguments: invalid)
    func refusesMalformedByteAtATime(_ fixture: Invalid) {
        var buffer = ByteBuffer()
        var result: Result<ProxyHeader?, ProxyHeaderError> = .success(nil)
        for byte in fixture.bytes {
            buffer.writeInteger(byte)
            result = Result { () throws(ProxyHeaderError) in try ProxyHeaderDecoder().decode(&buffer) }
            if case .failure = result { break }
        }
        #expect(result == .failure(fixture.error))
    }

    @Test func aLowerLimitRefusesTLVsBeyondIt() throws {
        let bytes = Self.signature + [0x20, 0x00, 0x00, 0x20] + [UInt8](repeating: 0, count: 32)
        var buffer = ByteBuffer(bytes: bytes)
        #expect(throws: ProxyHeaderError.tooLong(length: 48, limit: 32)) { try ProxyHeaderDecoder(limit: 32).decode(&buffer) }
        #expect(buffer.readableBytes == bytes.count)
    }

    @Test func theLimitCannotExceedWhatTheLengthFieldAllows() {
        #expect(ProxyHeaderDecoder(limit: 1 << 30).limit == ProxyHeader.maximumLength)
        #expect(ProxyHeaderDecoder(limit: 0).limit == ProxyHeader.fixedLength)
    }
}
