import MailTestSupport
import NIOCore
import ProxyProtocol
import Testing

@Suite("PROXY v2 encoder")
struct ProxyHeaderEncoderTests {
    @Test func refusesAUnixPathThatDoesNotFit() {
        let header = ProxyHeader(addresses: .unix(source: [UInt8](repeating: 0x61, count: 109), destination: []))
        #expect(throws: ProxyHeaderError.unixAddressTooLong(109)) { try header.encoded() }
    }

    @Test func refusesATLVThatDoesNotFit() {
        let header = ProxyHeader(addresses: .unspecified, tlvs: [.init(type: 0xE0, value: [UInt8](repeating: 0, count: 65536))])
        #expect(throws: ProxyHeaderError.tlvTooLong(type: 0xE0, length: 65536)) { try header.encoded() }
    }

    @Test func refusesAHeaderOverTheLengthField() {
        let half = ProxyHeader.TLV(type: 0xE0, value: [UInt8](repeating: 0, count: 40000))
        let header = ProxyHeader(addresses: .unspecified, tlvs: [half, half])
        #expect(throws: ProxyHeaderError.tooLong(length: 16 + 80006, limit: ProxyHeader.maximumLength)) { try header.encoded() }
    }

    @Test func writesNothingWhenItRefuses() {
        var buffer = ByteBuffer(bytes: [1, 2, 3])
        let header = ProxyHeader(addresses: .unix(source: [UInt8](repeating: 0x61, count: 200), destination: []))
        #expect(throws: ProxyHeaderError.self) { try header.encode(into: &buffer) }
        #expect(Array(buffer.readableBytesView) == [1, 2, 3])
    }

    /// Seeded round trips over random headers: what the encoder writes the decoder reads back.
    @Test func roundTripsRandomHeaders() throws {
        var random = SeededRandom.forTest("ProxyHeaderEncoderTests.roundTripsRandomHeaders")
        let seed = random.seed
        for _ in 0..<500 {
            let header = Self.randomHeader(&random)
            let bytes = try header.encoded()
            var buffer = ByteBuffer(bytes: bytes)
            #expect(try ProxyHeaderDecoder(limit: ProxyHeader.maximumLength).decode(&buffer) == header, "seed \(seed)")
            #expect(buffer.readableBytes == 0)
        }
    }

    static func randomHeader(_ random: inout SeededRandom) -> ProxyHeader {
        func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) } }
        func port() -> UInt16 { UInt16(truncatingIfNeeded: random.next()) }
        let addresses: ProxyHeader.Addresses
        switch random.next() % 4 {
        case 0: addresses = .unspecified
        case 1: addresses = .inet(source: IPv4Address(bytes: bytes(4))!, sourcePort: port(), destination: IPv4Address(bytes: bytes(4))!, destinationPort: port())
        case 2: addresses = .inet6(source: IPv6Address(bytes: bytes(16))!, sourcePort: port(), destination: IPv6Address(bytes: bytes(16))!, destinationPort: port())
        default:
            // The decoder ends a path at its first NUL (the padding), so paths have none.
            func path() -> [UInt8] { bytes(Int(random.next() % 109)).map { $0 == 0 ? 0x2F : $0 } }
            addresses = .unix(source: path(), destination: path())
        }
        let tlvs = (0..<Int(random.next() % 4)).map { _ in
            ProxyHeader.TLV(type: UInt8(truncatingIfNeeded: random.next()), value: bytes(Int(random.next() % 64)))
        }
        return ProxyHeader(
            command: random.next() % 2 == 0 ? .proxy : .local, transport: ProxyHeader.Transport(rawValue: UInt8(random.next() % 3))!,
            addresses: addresses, tlvs: tlvs)
    }
}

