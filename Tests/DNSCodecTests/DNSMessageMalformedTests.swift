import DNSCodec
import Testing

/// Every defect a hostile or broken server can put in a message is a typed error.
@Suite("DNS message defects")
struct DNSMessageMalformedTests {
    static let cases: [(String, String, DNSError)] = [
        ("short header", "1234 8400 0001", .truncated("header")),
        ("more records announced than the message can hold", "1234 8400 0001 00ff 0000 0000 00 0001 0001", .truncated("records")),
        ("pointer to itself", "1234 8400 0001 0000 0000 0000 c00c 000f 0001", .badPointer(offset: 12)),
        ("pointer forwards", "1234 8400 0001 0000 0000 0000 c00e 000f 0001 00", .badPointer(offset: 12)),
        ("two names pointing at each other", "1234 8400 0001 0000 0000 0000 01 61 c00c 000f 0001", .badPointer(offset: 14)),
        ("reserved label type 01", "1234 8400 0001 0000 0000 0000 41 000f 0001", .badLabel(offset: 12)),
        ("label runs past the end", "1234 8400 0001 0000 0000 0000 3f 6162 63646566", .truncated("name")),
        ("A record of 5 octets", DNSFixtures.header + "c00c 0001 0001 00000e10 0005 c000020a01", .badRecordData(type: .a, offset: 41)),
        ("AAAA record of 4 octets", DNSFixtures.header + "c00c 001c 0001 00000e10 0004 c000020a", .badRecordData(type: .aaaa, offset: 41)),
        ("MX exchange running past RDLENGTH", DNSFixtures.header + "c00c 000f 0001 00000e10 0004 000a 0161 c00c", .badRecordData(type: .mx, offset: 41)),
        ("RDLENGTH past the end", DNSFixtures.header + "c00c 000f 0001 00000e10 0020 000a", .truncated("MX record data")),
        ("TXT string longer than its RDATA", DNSFixtures.header + "c00c 0010 0001 00000e10 0003 05 6162", .badRecordData(type: .txt, offset: 41)),
        ("empty TXT", DNSFixtures.header + "c00c 0010 0001 00000e10 0000", .badRecordData(type: .txt, offset: 41)),
        ("SOA with a short tail", DNSFixtures.header + "c00c 0006 0001 00000e10 0008 c00c c00c 00000001", .badRecordData(type: .soa, offset: 41)),
        ("bytes after the last record", DNSFixtures.header + "c00c 0001 0001 00000e10 0004 c000020a ff", .trailingBytes(1)),
    ]

    @Test("malformed messages", arguments: cases.indices)
    func malformed(_ index: Int) {
        let (name, hex, expected) = Self.cases[index]
        #expect(throws: expected, "\(name)") { try DNSMessage(decoding: DNSFixtures.hex(hex)) }
    }

    @Test("a name decompressing to more than 255 octets")
    func longName() {
        // Four names of 63-octet labels, each pointing at the one before: 4 * 64 + 1 > 255.
        var bytes = DNSFixtures.hex("1234 8400 0004 0000 0000 0000")
        let label = [UInt8(63)] + Array(repeating: UInt8(ascii: "a"), count: 63)
        var previous: Int?
        for _ in 0..<4 {
            let start = bytes.count
            bytes += label
            if let previous { bytes += [0xc0 | UInt8(previous >> 8), UInt8(previous & 0xff)] } else { bytes.append(0) }
            bytes += [0, 1, 0, 1]
            previous = start
        }
        #expect(throws: DNSError.nameTooLong(offset: 12 + 69 + 2 * 70)) { try DNSMessage(decoding: bytes) }
    }

    @Test("every prefix of a valid answer is an error, never a trap")
    func everyTruncation() {
        let full = DNSFixtures.mxResponse
        for length in 0..<full.count {
            #expect(throws: DNSError.self) { try DNSMessage(decoding: Array(full.prefix(length))) }
        }
    }

    @Test("names given as text")
    func names() throws {
        #expect(try DNSName("Mail.Example.COM.") == DNSName("mail.example.com"))
        #expect(try DNSName("mail.example.com").description == "mail.example.com")
        #expect(try DNSName(".") == DNSName.root)
        #expect(throws: DNSError.badName("a..b")) { try DNSName("a..b") }
        #expect(throws: DNSError.self) { try DNSName(String(repeating: "a", count: 64) + ".com") }
        #expect(try DNSName("mail.example.com").isSubdomain(of: DNSName("EXAMPLE.com")))
        #expect(try !DNSName("example.com").isSubdomain(of: DNSName("mail.example.com")))
    }
}
