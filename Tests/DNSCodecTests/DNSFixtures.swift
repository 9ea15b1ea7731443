/// Wire bytes written out by hand from RFC 1035's layout, octet by octet, so that the tests
/// check the codec against the format and not against itself.
enum DNSFixtures {
    static func hex(_ text: String) -> [UInt8] {
        let digits = text.filter { $0.isHexDigit }
        precondition(digits.count % 2 == 0)
        var bytes: [UInt8] = []
        var index = digits.startIndex
        while index < digits.endIndex {
            let next = digits.index(index, offsetBy: 2)
            bytes.append(UInt8(digits[index..<next], radix: 16)!)
            index = next
        }
        return bytes
    }

    /// An authoritative answer to `example.com MX`: two MX records whose exchanges are
    /// compressed against the question (offset 12), and the glue A of the first exchange,
    /// whose owner points into the first MX's RDATA (offset 43).
    static let mxResponse = hex("""
        1234 8400 0001 0002 0000 0001
        07 6578616d706c65 03 636f6d 00 000f 0001
        c00c 000f 0001 00015180 0009 000a 04 6d61696c c00c
        c00c 000f 0001 00015180 000b 0014 06 6261636b7570 c00c
        c02b 0001 0001 00000e10 0004 c000020a
        """)

    /// The query `mailferry plan` sends for `example.com MX`: RD clear, EDNS0 OPT with a
    /// 1232-octet UDP size (0x04d0).
    static let mxQuery = hex("""
        1234 0000 0001 0000 0000 0001
        07 6578616d706c65 03 636f6d 00 000f 0001
        00 0029 04d0 00000000 0000
        """)

    /// NSD 4.6.1's answer to `example.test MX` (captured from the integration test's zone):
    /// compression pointers in the answer, the authority NS and the glue.
    static let nsdMXResponse = hex("""
        123484000001000100010002076578616d706c65047465737400000f0001c00c000f0001000151800009000a046d61696cc00c\
        c00c0002000100000e100006036e7331c00cc02c000100010002a3000004c000020ac03f0001000100000e1000047f000002
        """)

    /// NSD 4.6.1's answer to `_25._tcp.mail.example.test TLSA` (3 1 1, 32 octets of 0xab).
    static let nsdTLSAResponse = hex("""
        123484000001000100010001035f3235045f746370046d61696c076578616d706c6504746573740000340001c00c00340001\
        00000e100023030101ababababababababababababababababababababababababababababababababc01a0002000100000e10\
        0006036e7331c01ac0670001000100000e1000047f000002
        """)

    static let header = "1234 8400 0001 0001 0000 0000 07 6578616d706c65 03 636f6d 00 000f 0001 "
}
