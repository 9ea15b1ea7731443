import DNSCodec
import Testing

@Suite("DNS message decoding")
struct DNSMessageDecodingTests {
    @Test("an MX answer with compressed names decodes to its records and TTLs")
    func mxAnswer() throws {
        let message = try DNSMessage(decoding: DNSFixtures.mxResponse)
        #expect(message.id == 0x1234)
        #expect(message.isResponse && message.isAuthoritative && !message.isTruncated && !message.recursionDesired)
        #expect(message.responseCode == .noError)
        let domain = try DNSName("example.com")
        #expect(message.questions == [DNSQuestion(name: domain, type: .mx)])
        #expect(message.answers.map(\.data) == [
            .mx(preference: 10, exchange: try DNSName("mail.example.com")),
            .mx(preference: 20, exchange: try DNSName("backup.example.com")),
        ])
        #expect(message.answers.map(\.ttl) == [86_400, 86_400])
        #expect(message.additional.count == 1)
        #expect(message.additional[0].name == (try DNSName("MAIL.Example.COM")))
        #expect(message.additional[0].ttl == 3600)
        #expect(message.additional[0].data.address?.description == "192.0.2.10")
    }

    @Test("NSD's own answers: MX with authority and glue, TLSA")
    func nsdAnswers() throws {
        let mx = try DNSMessage(decoding: DNSFixtures.nsdMXResponse)
        #expect(mx.isAuthoritative)
        #expect(mx.answers.map(\.data) == [.mx(preference: 10, exchange: try DNSName("mail.example.test"))])
        #expect(mx.authority.map(\.data) == [.ns(try DNSName("ns1.example.test"))])
        #expect(mx.additional.map { "\($0.name) \($0.ttl) \($0.data.address!)" } == ["mail.example.test 172800 192.0.2.10", "ns1.example.test 3600 127.0.0.2"])
        let tlsa = try DNSMessage(decoding: DNSFixtures.nsdTLSAResponse)
        #expect(tlsa.answers.map(\.data) == [.tlsa(usage: 3, selector: 1, matchingType: 1, data: Array(repeating: 0xab, count: 32))])
        #expect(tlsa.answers[0].name == (try DNSName("_25._tcp.mail.example.test")))
    }

    @Test("every record type plan reads survives encode and decode")
    func roundTrip() throws {
        let name = try DNSName("host.example.com")
        let all: [(DNSRecordType, DNSRecordData)] = [
            (.a, .a([192, 0, 2, 1])),
            (.aaaa, .aaaa(IPAddress("2001:db8::1")!.octets)),
            (.ns, .ns(try DNSName("ns1.example.com"))),
            (.cname, .cname(try DNSName("other.example.com"))),
            (.ptr, .ptr(try DNSName("mail.example.com"))),
            (.mx, .mx(preference: 10, exchange: try DNSName("mail.example.com"))),
            (.txt, .txt([Array("v=spf1 ip4:192.0.2.0/24".utf8), Array(" -all".utf8)])),
            (.soa, .soa(.init(primary: try DNSName("ns1.example.com"), mailbox: try DNSName("hostmaster.example.com"),
                              serial: 2026120601, refresh: 7200, retry: 900, expire: 1_209_600, minimum: 300))),
            (.srv, .srv(priority: 0, weight: 1, port: 993, target: try DNSName("imap.example.com"))),
            (.tlsa, .tlsa(usage: 3, selector: 1, matchingType: 1, data: Array(repeating: 0xab, count: 32))),
            (DNSRecordType(rawValue: 65280), .other([1, 2, 3])),
        ]
        for (type, data) in all {
            let message = DNSMessage(id: 7, isResponse: true, isAuthoritative: true, questions: [DNSQuestion(name: name, type: type)],
                                     answers: [DNSResourceRecord(name: name, type: type, ttl: 3600, data: data)])
            let decoded = try DNSMessage(decoding: try message.encoded())
            #expect(decoded == message, "\(type)")
        }
    }

    @Test("a TTL with the top bit set is read as 0 (RFC 2181)")
    func negativeTTL() throws {
        let bytes = DNSFixtures.hex(DNSFixtures.header + "c00c 0001 0001 80000001 0004 c0000201")
        let message = try DNSMessage(decoding: bytes)
        #expect(message.answers[0].ttl == 0)
    }

    @Test("a CNAME chain inside the answer is followed, a loop is not")
    func cnameChain() throws {
        let alias = try DNSName("imap.example.com"), target = try DNSName("mail.example.com")
        let message = DNSMessage(id: 1, answers: [
            DNSResourceRecord(name: alias, type: .cname, ttl: 60, data: .cname(target)),
            DNSResourceRecord(name: target, type: .a, ttl: 120, data: .a([192, 0, 2, 1])),
        ])
        #expect(message.answers(for: alias, type: .a).map(\.ttl) == [120])
        let loop = DNSMessage(id: 1, answers: [
            DNSResourceRecord(name: alias, type: .cname, ttl: 60, data: .cname(target)),
            DNSResourceRecord(name: target, type: .cname, ttl: 60, data: .cname(alias)),
        ])
        #expect(loop.answers(for: alias, type: .a).isEmpty)
    }
}
