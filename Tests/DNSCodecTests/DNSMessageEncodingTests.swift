import DNSCodec
import Testing

@Suite("DNS message encoding")
struct DNSMessageEncodingTests {
    @Test("a non-recursive MX query with EDNS0 is exactly the RFC 1035 / 6891 octets")
    func query() throws {
        let query = DNSMessage.query(id: 0x1234, name: try DNSName("example.com"), type: .mx, recursionDesired: false)
        #expect(try query.encoded() == DNSFixtures.mxQuery)
        var recursive = DNSMessage.query(id: 0x1234, name: try DNSName("example.com"), type: .mx, recursionDesired: true)
        #expect(try recursive.encoded()[2] == 0x01)
        recursive.additional = [DNSResourceRecord(name: .root, type: .txt, ttl: 0, data: .txt([Array(repeating: 0x61, count: 256)]))]
        #expect(throws: DNSError.self) { try recursive.encoded() }
    }

    @Test("addresses as text and as reverse names")
    func addresses() throws {
        let table: [(String, String, String)] = [
            ("192.0.2.10", "192.0.2.10", "10.2.0.192.in-addr.arpa"),
            ("2001:db8::1", "2001:db8::1", "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa"),
            ("2001:DB8:0:0:1:0:0:1", "2001:db8::1:0:0:1", "1.0.0.0.0.0.0.0.0.0.0.0.1.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa"),
            ("::ffff:192.0.2.1", "::ffff:c000:201", "1.0.2.0.0.0.0.c.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa"),
        ]
        for (input, text, reverse) in table {
            let address = try #require(IPAddress(input), "\(input)")
            #expect(address.description == text)
            #expect(address.reverseName.description == reverse)
        }
        for bad in ["192.0.2", "192.0.2.256", "1:2:3:4:5:6:7:8:9", "2001:db8::1::2", "::g", "", "1.2.3.04x"] {
            #expect(IPAddress(bad) == nil, "\(bad)")
        }
        #expect(IPAddress("192.0.2.77")!.isIn(IPAddress("192.0.2.0")!, prefixLength: 24))
        #expect(!IPAddress("192.0.3.77")!.isIn(IPAddress("192.0.2.0")!, prefixLength: 24))
    }
}
