import DNSCodec
import Plan
import Testing

/// A name server network in memory: each server answers from a function of the question.
struct ScriptedTransport: DNSTransport {
    let answer: @Sendable (DNSQuestion, DNSServer) -> DNSMessage?

    func exchange(_ query: DNSMessage, with server: DNSServer) async throws(DNSClientError) -> DNSMessage {
        guard let question = query.questions.first, var response = answer(question, server) else { throw .timeout(server) }
        response.id = query.id
        response.isResponse = true
        response.questions = query.questions
        return response
    }
}

@Suite struct AuthoritativeLookupTests {
    static let root = DNSServer(address: IPAddress("127.0.0.1")!, port: 5300)
    static func server(_ last: UInt8) -> DNSServer { DNSServer(address: IPAddress(octets: [127, 0, 0, last])!, port: 5300) }
    static func name(_ text: String) -> DNSName { try! DNSName(text) }
    static func referral(to zone: String, ns: String, glue: UInt8?) -> DNSMessage {
        DNSMessage(id: 0,
                   authority: [DNSResourceRecord(name: name(zone), type: .ns, ttl: 86_400, data: .ns(name(ns)))],
                   additional: glue.map { [DNSResourceRecord(name: name(ns), type: .a, ttl: 86_400, data: .a([127, 0, 0, $0]))] } ?? [])
    }
    static func answer(_ records: [DNSResourceRecord]) -> DNSMessage {
        DNSMessage(id: 0, isAuthoritative: true, answers: records)
    }

    @Test("a glueless delegation: the name server's address is looked up from the roots first")
    func glueless() async throws {
        let transport = ScriptedTransport { question, server in
            switch (server.address.octets.last!, question.name.description) {
            case (1, "ns.other.test"): return Self.referral(to: "other.test", ns: "ns.other.test", glue: 3)
            case (1, _): return Self.referral(to: "example.test", ns: "ns.other.test", glue: nil)
            case (3, "ns.other.test"): return Self.answer([DNSResourceRecord(name: question.name, type: .a, ttl: 60, data: .a([127, 0, 0, 2]))])
            case (2, "example.test"):
                return Self.answer([DNSResourceRecord(name: question.name, type: .mx, ttl: 300, data: .mx(preference: 10, exchange: Self.name("mail.example.test")))])
            default: return nil
            }
        }
        let lookup = AuthoritativeLookup(transport: transport, roots: [Self.root], port: 5300)
        let answer = try await lookup.query(Self.name("example.test"), .mx)
        #expect(answer.server == Self.server(2))
        #expect(answer.records.map(\.ttl) == [300])
    }

    @Test("a server that refers to the same zone again is lame, not followed forever")
    func referralLoop() async {
        let transport = ScriptedTransport { _, _ in Self.referral(to: "example.test", ns: "ns.example.test", glue: 1) }
        let lookup = AuthoritativeLookup(transport: transport, roots: [Self.root], port: 5300)
        await #expect(throws: DNSLookupError.lame(Self.name("example.test"), Self.root, .noError)) {
            try await lookup.query(Self.name("example.test"), .mx)
        }
    }

    @Test("a CNAME loop across answers ends in tooDeep")
    func cnameLoop() async {
        let transport = ScriptedTransport { question, _ in
            let other = question.name.description == "a.test" ? "b.test" : "a.test"
            return Self.answer([DNSResourceRecord(name: question.name, type: .cname, ttl: 60, data: .cname(Self.name(other)))])
        }
        let lookup = AuthoritativeLookup(transport: transport, roots: [Self.root], port: 5300)
        await #expect(throws: DNSLookupError.tooDeep(Self.name("a.test"))) {
            try await lookup.query(Self.name("a.test"), .a)
        }
    }

    @Test("REFUSED from every server is reported as such; silence as unreachable")
    func refusedAndSilent() async {
        let refusing = ScriptedTransport { _, _ in DNSMessage(id: 0, responseCode: .refused) }
        await #expect(throws: DNSLookupError.lame(Self.name("example.test"), Self.root, .refused)) {
            try await AuthoritativeLookup(transport: refusing, roots: [Self.root], port: 5300).query(Self.name("example.test"), .mx)
        }
        let silent = ScriptedTransport { _, _ in nil }
        await #expect(throws: DNSLookupError.unreachable(Self.name("example.test"), [.timeout(Self.root)])) {
            try await AuthoritativeLookup(transport: silent, roots: [Self.root], port: 5300).query(Self.name("example.test"), .mx)
        }
    }
}
